from contextlib import nullcontext

import pytest

from orbit.testing import assert_error, race
from orbit.testing_state import unchanged
from workspaces.models import ActivityEvent, Membership, Workspace
from workspaces.services import members as member_services
from workspaces.tests.conftest import role_answer
from workspaces.tests.factories import MembershipFactory, WorkspaceFactory

Role = Membership.Role


def members_url(workspace):
    return f"/api/workspaces/{workspace.pk}/members/"


def member_url(membership):
    return f"/api/workspaces/{membership.workspace_id}/members/{membership.pk}/"


def transfer_url(workspace):
    return f"/api/workspaces/{workspace.pk}/transfer-ownership/"


def everything():
    """What a refused membership call must leave as it was: memberships, workspaces (owner) and the feed."""
    return Membership.objects.all(), Workspace.objects.all(), ActivityEvent.objects.all()


def refused_with(expected: int):
    return unchanged(*everything()) if expected >= 400 else nullcontext()


@pytest.mark.django_db
class TestList:
    @pytest.mark.parametrize("role", ["owner", "admin", "editor", "viewer"])
    def test_every_member_lists_members(self, role, member, workspace):
        client = member(role)
        response = client.get(members_url(workspace))
        assert response.status_code == 200
        by_user = {item["user"]["id"]: item["role"] for item in response.json()["results"]}
        assert by_user[str(client.user.pk)] == role
        assert by_user[str(workspace.owner_id)] == "owner"

    def test_lists_only_this_workspace(self, member, workspace, other_workspace):
        MembershipFactory(workspace=other_workspace)
        ids = {item["user"]["id"] for item in member("viewer").get(members_url(workspace)).json()["results"]}
        assert str(other_workspace.owner_id) not in ids

    @pytest.mark.parametrize("count", [1, 50])
    def test_constant_queries(self, count, member, workspace, django_assert_num_queries):
        client = member("viewer")
        for _ in range(count - 1):
            MembershipFactory(workspace=workspace, invited_by=workspace.owner)
        # auth user + membership + workspace (one query), page of members with users
        with django_assert_num_queries(2):
            response = client.get(members_url(workspace), {"limit": 100})
        assert len(response.json()["results"]) == count + 1


@pytest.mark.django_db
class TestChangeRole:
    @pytest.mark.parametrize(("actor", "expected"), [("owner", 200), ("admin", 200), ("editor", 403), ("viewer", 403)])
    def test_role_table(self, actor, expected, member, workspace):
        target, client = MembershipFactory(workspace=workspace, role=Role.VIEWER), member(actor)
        with refused_with(expected):
            role_answer(client.patch(member_url(target), {"role": "editor"}), expected)
        target.refresh_from_db()
        assert target.role == (Role.EDITOR if expected == 200 else Role.VIEWER)

    def test_change_records_activity(self, member, workspace):
        target = MembershipFactory(workspace=workspace, role=Role.VIEWER)
        admin = member("admin")
        assert admin.patch(member_url(target), {"role": "admin"}).json()["role"] == "admin"
        event = ActivityEvent.objects.get(workspace=workspace, verb="member.role_changed")
        assert event.actor == admin.user
        assert event.target_id == str(target.user_id)
        assert event.metadata == {"from": "viewer", "to": "admin"}

    def test_only_an_owner_grants_owner(self, member, workspace):
        target, admin = MembershipFactory(workspace=workspace, role=Role.EDITOR), member("admin")
        with unchanged(*everything()):
            assert_error(admin.patch(member_url(target), {"role": "owner"}), 403, "permission_denied")
        assert member("owner").patch(member_url(target), {"role": "owner"}).status_code == 200

    def test_only_an_owner_revokes_owner(self, member, workspace):
        second_owner, admin = MembershipFactory(workspace=workspace, role=Role.OWNER), member("admin")
        with unchanged(*everything()):
            assert_error(admin.patch(member_url(second_owner), {"role": "viewer"}), 403, "permission_denied")
        assert member("owner").patch(member_url(second_owner), {"role": "viewer"}).status_code == 200

    def test_the_last_owner_cannot_step_down(self, member, workspace):
        owner = member("owner")
        with unchanged(*everything()):
            assert_error(owner.patch(member_url(owner.membership), {"role": "admin"}), 409, "last_owner")

    def test_an_owner_may_step_down_when_another_owner_remains(self, member, workspace):
        MembershipFactory(workspace=workspace, role=Role.OWNER)
        owner = member("owner")
        assert owner.patch(member_url(owner.membership), {"role": "admin"}).status_code == 200

    def test_unknown_role_is_a_validation_error(self, member, workspace):
        target = MembershipFactory(workspace=workspace)
        with unchanged(*everything()):
            response = member("owner").patch(member_url(target), {"role": "superuser"})
            assert "role" in assert_error(response, 400, "validation_error")

    def test_member_of_another_workspace_is_404(self, member, other_workspace):
        foreign = MembershipFactory(workspace=other_workspace)
        owner = member("owner")
        url = f"/api/workspaces/{owner.membership.workspace_id}/members/{foreign.pk}/"
        with unchanged(*everything()):
            assert_error(owner.patch(url, {"role": "viewer"}), 404, "not_found")


@pytest.mark.django_db
class TestRemoveAndLeave:
    @pytest.mark.parametrize(("actor", "expected"), [("owner", 204), ("admin", 204), ("editor", 403), ("viewer", 403)])
    def test_remove_role_table(self, actor, expected, member, workspace):
        target, client = MembershipFactory(workspace=workspace, role=Role.EDITOR), member(actor)
        with refused_with(expected):
            role_answer(client.delete(member_url(target)), expected)
        assert Membership.objects.filter(pk=target.pk).exists() == (expected != 204)

    def test_removal_records_activity_and_the_removed_user_loses_access(self, member, workspace, make_client):
        target = MembershipFactory(workspace=workspace, role=Role.EDITOR)
        assert member("admin").delete(member_url(target)).status_code == 204
        assert ActivityEvent.objects.filter(workspace=workspace, verb="member.removed", target_id=str(target.user_id))
        assert_error(make_client(target.user).get(f"/api/workspaces/{workspace.pk}/"), 404, "not_found")

    def test_admin_cannot_remove_an_owner(self, member, workspace):
        owner, admin = member("owner"), member("admin")
        with unchanged(*everything()):
            assert_error(admin.delete(member_url(owner.membership)), 403, "permission_denied")

    def test_the_last_owner_cannot_be_removed(self, member, workspace):
        owner = member("owner")
        with unchanged(*everything()):
            assert_error(owner.delete(member_url(owner.membership)), 409, "last_owner")

    @pytest.mark.parametrize("role", ["admin", "editor", "viewer"])
    def test_any_member_may_leave(self, role, member, workspace):
        client = member(role)
        assert client.post(f"{members_url(workspace)}leave/").status_code == 204
        assert not Membership.objects.filter(pk=client.membership.pk).exists()
        assert ActivityEvent.objects.filter(workspace=workspace, verb="member.left", actor=client.user).exists()

    def test_the_last_owner_cannot_leave(self, member, workspace):
        owner = member("owner")
        with unchanged(*everything()):
            assert_error(owner.post(f"{members_url(workspace)}leave/"), 409, "last_owner")

    def test_one_of_two_owners_may_leave(self, member, workspace):
        MembershipFactory(workspace=workspace, role=Role.OWNER)
        assert member("owner").post(f"{members_url(workspace)}leave/").status_code == 204


@pytest.mark.django_db
class TestTransferOwnership:
    @pytest.mark.parametrize(("actor", "expected"), [("owner", 200), ("admin", 403), ("editor", 403), ("viewer", 403)])
    def test_role_table(self, actor, expected, member, workspace):
        target, client = MembershipFactory(workspace=workspace, role=Role.EDITOR), member(actor)
        with refused_with(expected):
            role_answer(client.post(transfer_url(workspace), {"user_id": str(target.user_id)}), expected)

    def test_transfer_swaps_roles_and_billing_owner(self, member, workspace):
        owner = member("owner")
        target = MembershipFactory(workspace=workspace, role=Role.EDITOR)
        response = owner.post(transfer_url(workspace), {"user_id": str(target.user_id)})
        assert response.json()["role"] == "owner"
        workspace.refresh_from_db()
        owner.membership.refresh_from_db()
        target.refresh_from_db()
        assert (workspace.owner, target.role, owner.membership.role) == (target.user, Role.OWNER, Role.ADMIN)
        assert ActivityEvent.objects.filter(workspace=workspace, verb="workspace.ownership_transferred").exists()

    def test_options_describes_the_post(self, member, workspace):
        """OPTIONS builds the POST form from the view's serializer (was an AssertionError 500 without one)."""
        response = member("owner").options(transfer_url(workspace))
        assert response.status_code == 200
        assert "user_id" in response.json()["actions"]["POST"]

    def test_target_must_be_a_member(self, member, workspace, other_workspace):
        owner = member("owner")
        with unchanged(*everything()):
            response = owner.post(transfer_url(workspace), {"user_id": str(other_workspace.owner_id)})
            assert assert_error(response, 404, "not_found") == {"user_id": [str(other_workspace.owner_id)]}


@pytest.mark.django_db(transaction=True)
def test_two_owners_demoting_each_other_at_once_leave_one_owner():
    """Both requests see two owners if they read without a lock; with the workspace row locked, one waits and
    then finds itself the last owner."""
    workspace = WorkspaceFactory()
    first = Membership.objects.get(workspace=workspace, user=workspace.owner)
    second = MembershipFactory(workspace=workspace, role=Role.OWNER)

    def demote(target, actor):
        return lambda: member_services.change_role(membership=target, role=Role.ADMIN, actor_membership=actor)

    outcomes = race(demote(first, second), demote(second, first))
    assert sorted(outcomes) == ["last_owner", "ok"]
    assert Membership.objects.filter(workspace=workspace, role=Role.OWNER).count() == 1
    assert Workspace.objects.filter(pk=workspace.pk).exists()


@pytest.mark.django_db
class TestBillingOwnerFollowsTheOwners:
    """`Workspace.owner` (the billing contact) is always one of the workspace's current owners."""

    def test_billing_owner_stepping_down_hands_it_to_the_remaining_owner(self, member, workspace):
        co_owner = MembershipFactory(workspace=workspace, role=Role.OWNER)
        owner = member("owner")
        assert owner.patch(member_url(owner.membership), {"role": "admin"}).status_code == 200
        workspace.refresh_from_db()
        assert workspace.owner == co_owner.user

    def test_billing_owner_removed_by_a_co_owner(self, member, workspace, make_client):
        co_owner = MembershipFactory(workspace=workspace, role=Role.OWNER)
        billing_owner = Membership.objects.get(workspace=workspace, user=workspace.owner)
        assert make_client(co_owner.user).delete(member_url(billing_owner)).status_code == 204
        workspace.refresh_from_db()
        assert workspace.owner == co_owner.user

    def test_billing_owner_leaving(self, member, workspace):
        co_owner = MembershipFactory(workspace=workspace, role=Role.OWNER)
        assert member("owner").post(f"{members_url(workspace)}leave/").status_code == 204
        workspace.refresh_from_db()
        assert workspace.owner == co_owner.user

    def test_other_owner_leaving_keeps_the_billing_owner(self, member, workspace, make_client):
        co_owner = MembershipFactory(workspace=workspace, role=Role.OWNER)
        assert make_client(co_owner.user).post(f"{members_url(workspace)}leave/").status_code == 204
        owner_id = workspace.owner_id
        workspace.refresh_from_db()
        assert workspace.owner_id == owner_id
