"""orbit.testing_state.unchanged fails on any added, removed or changed row, and passes when nothing moved."""

import pytest

from accounts.models import User
from accounts.tests.factories import UserFactory
from orbit.testing_state import unchanged

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda user: UserFactory(), id="added"),
        pytest.param(lambda user: user.delete(), id="removed"),
        pytest.param(lambda user: User.objects.filter(pk=user.pk).update(full_name="Changed"), id="changed"),
    ],
)
def test_any_change_fails(change):
    user = UserFactory(full_name="Kept")
    with pytest.raises(AssertionError, match="User rows changed"), unchanged(User.objects.all()):
        change(user)


def test_nothing_changed_passes():
    UserFactory()
    with unchanged(User.objects.all(), User.objects.filter(full_name="nobody")):
        list(User.objects.all())
