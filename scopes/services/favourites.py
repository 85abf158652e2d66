"""Favourites: a user's bookmarks on scopes. Adding twice or removing twice is not an error."""

from django.db import IntegrityError, transaction

from scopes.models import Favourite, Scope


def add_favourite(*, user, scope: Scope) -> tuple[Favourite, bool]:
    """The favourite and whether it was created now. Safe under concurrent double-clicks (unique constraint)."""
    try:
        with transaction.atomic():
            return Favourite.objects.get_or_create(user=user, scope=scope)
    except IntegrityError:
        return Favourite.objects.get(user=user, scope=scope), False


@transaction.atomic
def remove_favourite(*, user, scope: Scope) -> bool:
    deleted, _ = Favourite.objects.filter(user=user, scope=scope).delete()
    return bool(deleted)
