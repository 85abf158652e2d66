import pytest
from rest_framework.test import APIRequestFactory

from orbit.concurrency import etag_for, expected_version
from orbit.errors import NotFound, PreconditionFailed
from orbit.updates import apply_changes
from scopes.models import Scope
from scopes.tests.factories import ScopeFactory


def request_with(if_match=None):
    headers = {} if if_match is None else {"HTTP_IF_MATCH": if_match}
    return APIRequestFactory().patch("/", **headers)


@pytest.mark.parametrize(
    ("header", "expected"), [(None, None), ("*", None), ('"3"', 3), ('W/"12"', 12), ("7", 7), (' "5" ', 5)]
)
def test_expected_version_reads_our_etags(header, expected):
    assert expected_version(request_with(header), current=1) == expected


@pytest.mark.parametrize("header", ['"abc"', '"1", "2"', "", '"-1"'])
def test_foreign_etags_cannot_match(header):
    with pytest.raises(PreconditionFailed) as refused:
        expected_version(request_with(header), current=4)
    assert refused.value.headers == {"ETag": '"4"'}  # the current version, as on a lost update
    assert refused.value.details["current_version"] == 4


def test_etag_round_trips():
    assert expected_version(request_with(etag_for(42)), current=1) == 42


FIELDS = ("title", "summary")


@pytest.mark.django_db
class TestVersionedChanges:
    def test_conditional_update_bumps_once(self, workspace):
        scope = ScopeFactory(workspace=workspace)
        assert apply_changes(scope, {"title": "New"}, fields=FIELDS, expected_version=1) == ["title"]
        assert (scope.title, scope.version) == ("New", 2)
        assert Scope.objects.get(pk=scope.pk).version == 2

    def test_stale_instance_cannot_overwrite(self, workspace):
        scope = ScopeFactory(workspace=workspace)
        stale = Scope.objects.get(pk=scope.pk)
        apply_changes(scope, {"title": "First"}, fields=FIELDS, expected_version=1)
        with pytest.raises(PreconditionFailed) as raised:
            apply_changes(stale, {"title": "Second"}, fields=FIELDS, expected_version=1)
        assert raised.value.details == {"expected_version": 1, "current_version": 2}
        assert Scope.objects.get(pk=scope.pk).title == "First"

    def test_missing_row_is_not_found(self, workspace):
        scope = ScopeFactory(workspace=workspace)
        Scope.objects.filter(pk=scope.pk).delete()
        with pytest.raises(NotFound):
            apply_changes(scope, {"title": "x"}, fields=FIELDS)


@pytest.mark.django_db
@pytest.mark.parametrize("changes", [{}, {"title": "Same"}])
def test_an_update_that_changes_nothing_checks_the_precondition_but_keeps_the_version(changes, workspace):
    scope = ScopeFactory(workspace=workspace, title="Same")
    assert apply_changes(scope, changes, fields=FIELDS, expected_version=1) == []
    assert Scope.objects.get(pk=scope.pk).version == 1
    with pytest.raises(PreconditionFailed):
        apply_changes(scope, changes, fields=FIELDS, expected_version=5)
