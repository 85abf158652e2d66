"""On a workspace URL the bearer token's user and their membership are read in one query (orbit.authentication,
workspaces.selectors.membership_with_user); every answer stays what the two separate lookups gave."""

import pytest
from django.utils import timezone

from accounts.tests.factories import UserFactory
from orbit.testing import assert_error
from scopes.models import Scope
from workspaces.models import Membership
from workspaces.selectors import membership_with_user
from workspaces.tests.factories import MembershipFactory, WorkspaceFactory

pytestmark = pytest.mark.django_db


def activity(workspace) -> str:
    return f"/api/workspaces/{workspace.pk}/activity/"


def test_the_joined_read_is_the_orm_membership_with_its_user_and_workspace(workspace, django_assert_num_queries):
    membership = MembershipFactory(workspace=workspace, role=Membership.Role.ADMIN)
    with django_assert_num_queries(1):
        joined = membership_with_user(user_id=membership.user_id, workspace_id=workspace.pk)
        user, joined_workspace = joined.user, joined.workspace
    expected = Membership.objects.select_related("user", "workspace").get(pk=membership.pk)
    pairs = ((joined, expected), (user, expected.user), (joined_workspace, expected.workspace))
    for model_instance, reference in pairs:
        assert type(model_instance) is type(reference)
        assert model_instance.pk == reference.pk
        assert model_instance._state.adding is False
        assert model_instance._state.db == "default"
        for field in reference._meta.concrete_fields:
            assert getattr(model_instance, field.attname) == getattr(reference, field.attname), field.name
    assert joined_workspace.goals == expected.workspace.goals  # a JSONField, through its converter


def test_no_row_for_a_non_member_or_a_deleted_workspace(workspace):
    outsider = UserFactory()
    assert membership_with_user(user_id=outsider.pk, workspace_id=workspace.pk) is None
    workspace.deleted_at = timezone.now()
    workspace.save()
    assert membership_with_user(user_id=workspace.owner.pk, workspace_id=workspace.pk) is None


def test_a_member_is_authenticated_and_authorised_in_one_query(member, workspace, django_assert_num_queries):
    client = member("viewer")
    with django_assert_num_queries(2):  # user + membership + workspace, the page of events
        response = client.get(activity(workspace))
    assert response.status_code == 200


def test_a_non_member_is_still_404_after_the_users_own_lookup(make_client, workspace, django_assert_num_queries):
    client = make_client(UserFactory())
    with django_assert_num_queries(2):  # the join finds nothing; simplejwt's lookup of the user
        response = client.get(activity(workspace))
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_a_member_of_a_deleted_workspace_is_404(member, workspace):
    client = member("owner")
    workspace.deleted_at = timezone.now()
    workspace.save()
    response = client.get(activity(workspace))
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("is_member", [True, False])
def test_an_inactive_user_is_401_before_any_404(make_client, workspace, is_member):
    user = UserFactory()
    if is_member:
        MembershipFactory(workspace=workspace, user=user)
    client = make_client(user)
    user.is_active = False
    user.save()
    response = client.get(activity(workspace))
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "user_inactive"


def _change_password(user):
    user.set_password("a-new-password-1234")
    user.save()


@pytest.mark.parametrize(
    ("change", "code"), [(_change_password, "password_changed"), (lambda user: user.delete(), "user_not_found")]
)
def test_a_members_token_is_401_once_the_password_changes_or_the_user_is_gone(member, workspace, change, code):
    client = member("editor")
    change(client.user)
    response = client.get(activity(workspace))
    assert response.status_code == 401
    assert response.json()["error"]["code"] == code


def test_a_membership_is_never_reused_for_another_workspace(member, workspace):
    client = member("owner")
    other = WorkspaceFactory()
    assert_error(client.get(activity(other)), 404, "not_found")
    assert client.get(activity(workspace)).status_code == 200


def test_the_role_read_with_the_user_decides(member, workspace):
    viewer = member("viewer")
    response = viewer.post(f"/api/workspaces/{workspace.pk}/scopes/", {"title": "Nope"}, format="json")
    assert_error(response, 403, "permission_denied")
    assert not Scope.objects.exists()
