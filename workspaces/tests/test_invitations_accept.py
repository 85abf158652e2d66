"""Previewing and accepting an invitation link, from a signed-in account or straight after signing up."""

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
from orbit.testing import assert_error, race
from orbit.testing_state import unchanged
from workspaces.models import ActivityEvent, Membership
from workspaces.tests.factories import InvitationFactory, MembershipFactory, WorkspaceFactory
from workspaces.tests.invitation_support import accept, everything, invitations_url, token_from_last_mail

Role = Membership.Role


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
        assert_error(api_client.get("/api/invitations/not-a-token/"), 404, "not_found")
        with unchanged(*everything()):
            assert_error(accept(auth_client, "not-a-token"), 404, "not_found")

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
        with unchanged(*everything()):
            assert_error(accept(client, invitation.token), 409, "invitation_used")

    def test_accept_needs_sign_in(self, api_client, workspace):
        invitation = InvitationFactory(workspace=workspace)
        with unchanged(*everything()):
            assert_error(accept(api_client, invitation.token), 401, "not_authenticated")

    def test_expired_invitation_is_refused(self, workspace, make_client):
        invitation = InvitationFactory(workspace=workspace, expires_at=timezone.now() - timedelta(seconds=1))
        invitee = make_client(UserFactory(email=invitation.email))
        with unchanged(*everything()):
            assert_error(accept(invitee, invitation.token), 410, "invitation_expired")

    def test_wrong_email_is_refused(self, workspace, auth_client):
        invitation = InvitationFactory(workspace=workspace)
        with unchanged(*everything()):
            assert_error(accept(auth_client, invitation.token), 403, "email_mismatch")

    def test_unverified_email_is_refused_until_verified(self, workspace, make_client):
        invitation = InvitationFactory(workspace=workspace)
        user = UserFactory(email=invitation.email, verified=False)
        client = make_client(user)
        with unchanged(*everything()):
            assert_error(accept(client, invitation.token), 403, "email_mismatch")
        EmailAddress.objects.filter(user=user).update(verified=True)
        assert accept(client, invitation.token).status_code == 200

    def test_a_verified_secondary_address_counts(self, workspace, auth_client):
        invitation = InvitationFactory(workspace=workspace)
        EmailAddress.objects.create(user=auth_client.user, email=invitation.email, verified=True, primary=False)
        assert accept(auth_client, invitation.token).status_code == 200

    def test_already_a_member(self, workspace, make_client):
        existing = MembershipFactory(workspace=workspace)
        invitation = InvitationFactory(workspace=workspace, email=existing.user.email)
        with unchanged(*everything()):
            assert_error(accept(make_client(existing.user), invitation.token), 409, "already_member")

    def test_invitation_to_a_deleted_workspace_is_404(self, workspace, make_client):
        invitation = InvitationFactory(workspace=workspace)
        workspace.deleted_at = timezone.now()
        workspace.save()
        invitee = make_client(UserFactory(email=invitation.email))
        with unchanged(*everything()):
            assert_error(accept(invitee, invitation.token), 404, "not_found")


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
    assert signup.status_code == 401  # not a refusal: signed up, verification pending
    assert [flow["id"] for flow in signup.json()["data"]["flows"] if flow.get("is_pending")] == ["verify_email"]
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
