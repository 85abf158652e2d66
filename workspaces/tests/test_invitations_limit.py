"""Pending invitations take seats of the plan's member limit: invite, resend and accept are refused at the limit."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.tests.factories import UserFactory
from orbit.testing import assert_error, race
from orbit.testing_state import unchanged
from workspaces.models import Invitation, Membership
from workspaces.services.invitations import invite
from workspaces.tests.factories import InvitationFactory, WorkspaceFactory
from workspaces.tests.invitation_support import accept, everything, invitations_url

Role = Membership.Role


@pytest.mark.django_db
class TestMemberLimit:
    def test_pending_invitations_take_seats(self, member, workspace):
        owner = member("owner")  # Free: members = 2; the owner holds one
        assert owner.post(invitations_url(workspace), {"email": "one@example.com"}).status_code == 201
        with unchanged(*everything()):
            response = owner.post(invitations_url(workspace), {"email": "two@example.com"})
        assert response.status_code == 402
        assert response.json()["error"] == {
            "code": "plan_limit_exceeded",
            "message": response.json()["error"]["message"],
            "details": {
                "limit": 2,
                "usage": 2,
                "plan": "free",
                "limit_name": "members",
                "applies_to": "new_actions_only",
            },
        }

    def test_revoking_and_expiry_free_the_seat(self, member, workspace):
        owner = member("owner")
        invitation = InvitationFactory(workspace=workspace)
        with unchanged(*everything()):
            assert_error(owner.post(invitations_url(workspace), {"email": "x@example.com"}), 402, "plan_limit_exceeded")
        assert owner.delete(f"{invitations_url(workspace)}{invitation.pk}/").status_code == 204
        second = owner.post(invitations_url(workspace), {"email": "x@example.com"})
        assert second.status_code == 201
        Invitation.objects.filter(pk=second.json()["id"]).update(expires_at=timezone.now() - timedelta(seconds=1))
        assert owner.post(invitations_url(workspace), {"email": "y@example.com"}).status_code == 201

    def test_accepting_beyond_the_limit_is_refused(self, workspace, make_client):
        """Invited on Pro, downgraded to Free before the invitees accept."""
        workspace.plan = "pro"
        workspace.save()
        invitations = [InvitationFactory(workspace=workspace, email=f"p{n}@example.com") for n in range(2)]
        workspace.plan = "free"
        workspace.save()
        first = make_client(UserFactory(email="p0@example.com"))
        with unchanged(*everything()):
            assert_error(accept(first, invitations[0].token), 402, "plan_limit_exceeded")

    def test_resending_an_expired_invitation_needs_a_free_seat(self, member, workspace):
        """An expired invitation holds no seat; resending makes it pending again, so it must find one."""
        owner = member("owner")  # Free: 2 seats, the owner holds one
        expired = InvitationFactory(workspace=workspace, expires_at=timezone.now() - timedelta(days=1))
        assert owner.post(invitations_url(workspace), {"email": "new@example.com"}).status_code == 201
        with unchanged(*everything()):  # untouched: still expired, no new token
            assert_error(owner.post(f"{invitations_url(workspace)}{expired.pk}/resend/"), 402, "plan_limit_exceeded")

    def test_resending_a_pending_invitation_at_the_limit_is_fine(self, member, workspace):
        owner = member("owner")
        pending = InvitationFactory(workspace=workspace)  # the workspace is now full
        assert owner.post(f"{invitations_url(workspace)}{pending.pk}/resend/").status_code == 200

    def test_the_limit_comes_from_the_plan_settings(self, member, workspace, settings):
        settings.ORBIT_PLANS_OVERRIDE = {"free": {"members": 3}}
        owner = member("owner")
        assert owner.post(invitations_url(workspace), {"email": "a@example.com"}).status_code == 201
        assert owner.post(invitations_url(workspace), {"email": "b@example.com"}).status_code == 201
        with unchanged(*everything()):
            assert_error(owner.post(invitations_url(workspace), {"email": "c@example.com"}), 402, "plan_limit_exceeded")


@pytest.mark.django_db(transaction=True)
def test_two_invites_racing_for_the_last_seat_give_one_invitation():
    """Free allows 2 seats; the owner holds one. Two invites start together: the workspace row lock makes the
    second count after the first commits, so exactly one gets the seat."""
    workspace = WorkspaceFactory()
    owner_membership = Membership.objects.get(workspace=workspace, user=workspace.owner)

    def invite_one(email):
        return lambda: invite(workspace=workspace, inviter_membership=owner_membership, email=email, role=Role.EDITOR)

    outcomes = race(*(invite_one(f"racer{n}@example.com") for n in range(2)))
    assert sorted(outcomes) == ["ok", "plan_limit_exceeded"]
    assert Invitation.objects.filter(workspace=workspace).count() == 1
