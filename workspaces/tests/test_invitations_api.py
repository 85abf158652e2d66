import hashlib
import re
from datetime import timedelta
from urllib.parse import unquote

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import mail
from django.test import Client
from django.utils import timezone

from accounts.tests.factories import UserFactory
from orbit.testing import race
from workspaces.models import ActivityEvent, Invitation, Membership
from workspaces.services.invitations import invite
from workspaces.tests.conftest import error_code
from workspaces.tests.factories import InvitationFactory, MembershipFactory, WorkspaceFactory

Role = Membership.Role
LINK = re.compile(re.escape(settings.FRONTEND_URL) + r"/invitations/(\S+)")


def invitations_url(workspace):
    return f"/api/workspaces/{workspace.pk}/invitations/"


def token_from_last_mail() -> str:
    assert mail.outbox, "no mail was sent"
    match = LINK.search(mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)


def accept(client, token):
    return client.post(f"/api/invitations/{token}/accept/")


@pytest.fixture
def pro(workspace):
    """Room for a few more seats than Free's two."""
    workspace.plan = "pro"
    workspace.save()
    return workspace


@pytest.mark.django_db
class TestInvite:
    @pytest.mark.parametrize(("role", "expected"), [("owner", 201), ("admin", 201), ("editor", 403), ("viewer", 403)])
    def test_role_table(self, role, expected, member, pro, committed):
        with committed():
            response = member(role).post(invitations_url(pro), {"email": "new@example.com", "role": "editor"})
        assert response.status_code == expected, response.content
        assert len(mail.outbox) == (1 if expected == 201 else 0)

    def test_invite_mails_a_link_and_stores_only_the_hash(self, member, pro, committed):
        workspace = pro
        admin = member("admin")
        with committed():
            response = admin.post(invitations_url(workspace), {"email": "New@Example.com", "role": "viewer"})
        body = response.json()
        assert (body["email"], body["role"], body["status"]) == ("new@example.com", "viewer", "pending")
        assert "token" not in body
        assert "token_hash" not in body
        message = mail.outbox[0]
        assert message.to == ["new@example.com"]
        assert workspace.name in message.subject
        token = token_from_last_mail()
        invitation = Invitation.objects.get(pk=body["id"])
        assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
        assert token not in str(Invitation.objects.filter(pk=invitation.pk).values().get())
        expected_expiry = timezone.now() + timedelta(days=settings.INVITATION_TTL_DAYS)
        assert abs((invitation.expires_at - expected_expiry).total_seconds()) < 60
        event = ActivityEvent.objects.get(workspace=workspace, verb="member.invited")
        assert (event.actor, event.metadata) == (admin.user, {"email": "new@example.com", "role": "viewer"})

    def test_a_rolled_back_invite_sends_no_mail(self, member, workspace, committed):
        MembershipFactory(workspace=workspace)  # Free: 2 seats, both taken
        with committed():
            response = member("owner").post(invitations_url(workspace), {"email": "x@example.com"})
        assert response.status_code == 402
        assert mail.outbox == []
        assert not Invitation.objects.exists()

    def test_inviting_a_pending_address_again_returns_the_same_invitation(self, member, pro, committed):
        owner = member("owner")
        with committed():
            first = owner.post(invitations_url(pro), {"email": "dup@example.com"})
            second = owner.post(invitations_url(pro), {"email": "DUP@example.com", "role": "viewer"})
        assert (first.status_code, second.status_code) == (201, 200)
        assert first.json()["id"] == second.json()["id"]
        assert Invitation.objects.filter(workspace=pro).count() == 1
        assert len(mail.outbox) == 1

    def test_inviting_an_expired_address_replaces_the_invitation(self, member, pro, committed):
        old = InvitationFactory(workspace=pro, email="late@example.com", expires_at=timezone.now() - timedelta(days=1))
        with committed():
            response = member("owner").post(invitations_url(pro), {"email": "late@example.com"})
        assert response.status_code == 201
        assert response.json()["id"] != str(old.pk)
        old.refresh_from_db()
        assert old.revoked_at is not None

    def test_inviting_a_member_is_a_conflict(self, member, workspace):
        existing = MembershipFactory(workspace=workspace)
        response = member("owner").post(invitations_url(workspace), {"email": existing.user.email.upper()})
        assert response.status_code == 409
        assert error_code(response) == "already_member"

    def test_only_an_owner_invites_an_owner(self, member, pro):
        assert (
            member("admin").post(invitations_url(pro), {"email": "a@example.com", "role": "owner"}).status_code == 403
        )
        assert (
            member("owner").post(invitations_url(pro), {"email": "a@example.com", "role": "owner"}).status_code == 201
        )

    def test_bad_input(self, member, workspace):
        response = member("owner").post(invitations_url(workspace), {"email": "nope", "role": "king"})
        assert response.status_code == 400
        assert set(response.json()["error"]["details"]) == {"email", "role"}


@pytest.mark.django_db
class TestMemberLimit:
    def test_pending_invitations_take_seats(self, member, workspace):
        owner = member("owner")  # Free: members = 2; the owner holds one
        assert owner.post(invitations_url(workspace), {"email": "one@example.com"}).status_code == 201
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
        assert owner.post(invitations_url(workspace), {"email": "x@example.com"}).status_code == 402
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
        response = accept(first, invitations[0].token)
        assert response.status_code == 402
        assert error_code(response) == "plan_limit_exceeded"
        assert not Membership.objects.filter(workspace=workspace, user=first.user).exists()

    def test_resending_an_expired_invitation_needs_a_free_seat(self, member, workspace):
        """An expired invitation holds no seat; resending makes it pending again, so it must find one."""
        owner = member("owner")  # Free: 2 seats, the owner holds one
        expired = InvitationFactory(workspace=workspace, expires_at=timezone.now() - timedelta(days=1))
        assert owner.post(invitations_url(workspace), {"email": "new@example.com"}).status_code == 201
        response = owner.post(f"{invitations_url(workspace)}{expired.pk}/resend/")
        assert response.status_code == 402
        assert error_code(response) == "plan_limit_exceeded"
        expired.refresh_from_db()
        assert expired.expires_at < timezone.now()  # untouched: still expired, no new token

    def test_resending_a_pending_invitation_at_the_limit_is_fine(self, member, workspace):
        owner = member("owner")
        pending = InvitationFactory(workspace=workspace)  # the workspace is now full
        assert owner.post(f"{invitations_url(workspace)}{pending.pk}/resend/").status_code == 200

    def test_the_limit_comes_from_the_plan_settings(self, member, workspace, settings):
        settings.ORBIT_PLANS_OVERRIDE = {"free": {"members": 3}}
        owner = member("owner")
        assert owner.post(invitations_url(workspace), {"email": "a@example.com"}).status_code == 201
        assert owner.post(invitations_url(workspace), {"email": "b@example.com"}).status_code == 201
        assert owner.post(invitations_url(workspace), {"email": "c@example.com"}).status_code == 402


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


@pytest.mark.django_db(transaction=True)
def test_one_invitation_accepted_twice_at_once_makes_one_membership():
    workspace = WorkspaceFactory(plan="pro")
    user = UserFactory(email="twice@example.com")
    invitation = InvitationFactory(workspace=workspace, email=user.email)

    def accept_once():
        from workspaces.services.invitations import accept_invitation

        accept_invitation(token=invitation.token, user=user)

    outcomes = race(accept_once, accept_once)
    assert sorted(outcomes) == ["invitation_used", "ok"]
    assert Membership.objects.filter(workspace=workspace, user=user).count() == 1


@pytest.mark.django_db
class TestListResendRevoke:
    @pytest.mark.parametrize(("role", "expected"), [("owner", 200), ("admin", 200), ("editor", 403), ("viewer", 403)])
    def test_list_role_table(self, role, expected, member, workspace):
        InvitationFactory(workspace=workspace)
        assert member(role).get(invitations_url(workspace)).status_code == expected

    def test_list_shows_open_invitations_of_this_workspace_only(self, member, pro, other_workspace):
        pending = InvitationFactory(workspace=pro)
        expired = InvitationFactory(workspace=pro, expires_at=timezone.now() - timedelta(hours=1))
        InvitationFactory(workspace=pro, accepted_at=timezone.now())
        InvitationFactory(workspace=pro, revoked_at=timezone.now())
        InvitationFactory(workspace=other_workspace)
        body = member("admin").get(invitations_url(pro)).json()["results"]
        assert {item["id"]: item["status"] for item in body} == {str(pending.pk): "pending", str(expired.pk): "expired"}

    @pytest.mark.parametrize("count", [1, 50])
    def test_list_constant_queries(self, count, member, pro, django_assert_num_queries):
        admin = member("admin")
        for _ in range(count):
            InvitationFactory(workspace=pro)
        # auth user + membership + workspace (one query), page of invitations with inviters
        with django_assert_num_queries(2):
            response = admin.get(invitations_url(pro), {"limit": 100})
        assert len(response.json()["results"]) == count

    def test_resend_issues_a_new_token_and_expiry(self, member, pro, committed, make_client):
        workspace = pro
        invitation = InvitationFactory(workspace=workspace, expires_at=timezone.now() - timedelta(days=1))
        old_token = invitation.token
        with committed():
            response = member("admin").post(f"{invitations_url(workspace)}{invitation.pk}/resend/")
        assert response.status_code == 200
        assert response.json()["status"] == "pending"
        new_token = token_from_last_mail()
        assert new_token != old_token
        invitee = make_client(UserFactory(email=invitation.email))
        assert accept(invitee, old_token).status_code == 404
        assert accept(invitee, new_token).status_code == 200

    @pytest.mark.parametrize(("role", "expected"), [("owner", 200), ("admin", 200), ("editor", 403), ("viewer", 403)])
    def test_resend_role_table(self, role, expected, member, workspace):
        invitation = InvitationFactory(workspace=workspace)
        assert member(role).post(f"{invitations_url(workspace)}{invitation.pk}/resend/").status_code == expected

    @pytest.mark.parametrize(("role", "expected"), [("owner", 204), ("admin", 204), ("editor", 403), ("viewer", 403)])
    def test_revoke_role_table(self, role, expected, member, workspace):
        invitation = InvitationFactory(workspace=workspace)
        assert member(role).delete(f"{invitations_url(workspace)}{invitation.pk}/").status_code == expected
        invitation.refresh_from_db()
        assert (invitation.revoked_at is not None) == (expected == 204)

    def test_a_revoked_invitation_cannot_be_accepted(self, member, workspace, make_client):
        invitation = InvitationFactory(workspace=workspace)
        member("owner").delete(f"{invitations_url(workspace)}{invitation.pk}/")
        response = accept(make_client(UserFactory(email=invitation.email)), invitation.token)
        assert response.status_code == 410
        assert error_code(response) == "invitation_revoked"
        assert ActivityEvent.objects.filter(verb="member.invitation_revoked").exists()

    def test_invitation_of_another_workspace_is_404(self, member, other_workspace):
        foreign = InvitationFactory(workspace=other_workspace)
        owner = member("owner")
        base = invitations_url(owner.membership.workspace)
        assert owner.post(f"{base}{foreign.pk}/resend/").status_code == 404
        assert owner.delete(f"{base}{foreign.pk}/").status_code == 404


@pytest.mark.django_db
class TestAcceptAndPreview:
    def test_preview_needs_no_sign_in(self, api_client, workspace):
        invitation = InvitationFactory(workspace=workspace, role=Role.VIEWER)
        response = api_client.get(f"/api/invitations/{invitation.token}/")
        assert response.status_code == 200
        body = response.json()
        assert body["workspace"]["name"] == workspace.name
        assert (body["role"], body["expired"], body["status"], body["email"]) == (
            "viewer",
            False,
            "pending",
            invitation.email,
        )
        assert body["invited_by"]["id"] == str(workspace.owner_id)

    def test_preview_of_an_expired_invitation_says_so(self, api_client, workspace):
        invitation = InvitationFactory(workspace=workspace, expires_at=timezone.now() - timedelta(minutes=1))
        body = api_client.get(f"/api/invitations/{invitation.token}/").json()
        assert (body["expired"], body["status"]) == (True, "expired")

    def test_unknown_token_is_404(self, api_client, auth_client):
        assert api_client.get("/api/invitations/not-a-token/").status_code == 404
        assert accept(auth_client, "not-a-token").status_code == 404

    def test_accept_joins_with_the_invited_role_once(self, workspace, make_client):
        invitation = InvitationFactory(workspace=workspace, role=Role.VIEWER)
        client = make_client(UserFactory(email=invitation.email.upper()))
        response = accept(client, invitation.token)
        assert response.status_code == 200, response.content
        assert response.json()["role"] == "viewer"
        assert response.json()["workspace"]["id"] == str(workspace.pk)
        membership = Membership.objects.get(workspace=workspace, user=client.user)
        assert (membership.role, membership.invited_by) == (Role.VIEWER, workspace.owner)
        invitation.refresh_from_db()
        assert (invitation.accepted_by, invitation.accepted_at is not None) == (client.user, True)
        assert ActivityEvent.objects.filter(workspace=workspace, verb="member.joined", actor=client.user).exists()
        again = accept(client, invitation.token)
        assert (again.status_code, error_code(again)) == (409, "invitation_used")

    def test_accept_needs_sign_in(self, api_client, workspace):
        invitation = InvitationFactory(workspace=workspace)
        assert accept(api_client, invitation.token).status_code == 401

    def test_expired_invitation_is_refused(self, workspace, make_client):
        invitation = InvitationFactory(workspace=workspace, expires_at=timezone.now() - timedelta(seconds=1))
        response = accept(make_client(UserFactory(email=invitation.email)), invitation.token)
        assert (response.status_code, error_code(response)) == (410, "invitation_expired")

    def test_wrong_email_is_refused(self, workspace, auth_client):
        invitation = InvitationFactory(workspace=workspace)
        response = accept(auth_client, invitation.token)
        assert (response.status_code, error_code(response)) == (403, "email_mismatch")
        assert not Membership.objects.filter(workspace=workspace, user=auth_client.user).exists()

    def test_unverified_email_is_refused_until_verified(self, workspace, make_client):
        invitation = InvitationFactory(workspace=workspace)
        user = UserFactory(email=invitation.email, verified=False)
        client = make_client(user)
        assert error_code(accept(client, invitation.token)) == "email_mismatch"
        EmailAddress.objects.filter(user=user).update(verified=True)
        assert accept(client, invitation.token).status_code == 200

    def test_a_verified_secondary_address_counts(self, workspace, auth_client):
        invitation = InvitationFactory(workspace=workspace)
        EmailAddress.objects.create(user=auth_client.user, email=invitation.email, verified=True, primary=False)
        assert accept(auth_client, invitation.token).status_code == 200

    def test_already_a_member(self, workspace, make_client):
        existing = MembershipFactory(workspace=workspace)
        invitation = InvitationFactory(workspace=workspace, email=existing.user.email)
        response = accept(make_client(existing.user), invitation.token)
        assert (response.status_code, error_code(response)) == (409, "already_member")

    def test_invitation_to_a_deleted_workspace_is_404(self, workspace, make_client):
        invitation = InvitationFactory(workspace=workspace)
        workspace.deleted_at = timezone.now()
        workspace.save()
        assert accept(make_client(UserFactory(email=invitation.email)), invitation.token).status_code == 404


@pytest.mark.django_db
def test_a_person_signs_up_from_the_invite_link_and_accepts(member, workspace, committed):
    """The whole path: invite mail -> preview -> allauth headless signup -> verification mail -> accept."""
    with committed():
        member("owner").post(invitations_url(workspace), {"email": "newcomer@example.com", "role": "editor"})
    token = token_from_last_mail()
    http = Client()
    assert http.get(f"/api/invitations/{token}/").json()["email"] == "newcomer@example.com"

    signup = http.post(
        "/_allauth/app/v1/auth/signup",
        {"email": "newcomer@example.com", "password": "violet-harbour-tangerine-42", "full_name": "New Comer"},
        content_type="application/json",
    )
    assert signup.status_code == 401  # verification pending
    session_token = signup.json()["meta"]["session_token"]
    verify_link = re.search(re.escape(settings.FRONTEND_URL) + r"/verify-email/(\S+)", mail.outbox[-1].body)
    verified = http.post(
        "/_allauth/app/v1/auth/email/verify",
        {"key": unquote(verify_link.group(1))},
        content_type="application/json",
        HTTP_X_SESSION_TOKEN=session_token,
    )
    assert verified.status_code == 200, verified.content
    access = verified.json()["meta"]["access_token"]

    response = http.post(f"/api/invitations/{token}/accept/", HTTP_AUTHORIZATION=f"Bearer {access}")
    assert response.status_code == 200, response.content
    assert Membership.objects.get(workspace=workspace, user__email="newcomer@example.com").role == Role.EDITOR
