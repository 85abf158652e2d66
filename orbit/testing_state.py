"""`unchanged`: a refusal leaves the rows it could have touched exactly as they were (a test helper beside
orbit.testing's `assert_error`)."""

from contextlib import contextmanager

from django.db.models import QuerySet


def rows(queryset: QuerySet) -> list[dict]:
    """Every row of `queryset` with every field, in primary-key order."""
    return list(queryset.order_by("pk").values())


@contextmanager
def unchanged(*querysets: QuerySet):
    """Asserts that the block adds, removes and changes no row of any of `querysets` (evaluated afresh after it):

    with unchanged(Document.objects.filter(workspace=workspace), ActivityEvent.objects.all()):
        assert_error(client.delete(url), 403, "permission_denied")
    """
    before = [rows(queryset) for queryset in querysets]
    yield
    for queryset, was in zip(querysets, before, strict=True):
        now = rows(queryset.all())
        assert now == was, f"{queryset.model.__name__} rows changed:\nbefore {was}\nafter  {now}"
