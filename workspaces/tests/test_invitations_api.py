"""Inviting (role table, mail with a link, hash stored, re-invites) and managing invitations: list, resend, revoke."""

import hashlib
from contextlib import nullcontext
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

from accounts.tests.factories import UserFactory
from orbit.testing import assert_error
from orbit.testing_state import unchanged
from workspaces.models import ActivityEvent, Invitation, Membership
from workspaces.tests.conftest import role_answer
from workspaces.tests.factories import InvitationFactory, MembershipFactory
from workspaces.tests.invitation_support import accept, everything, invitations_url, token_from_last_mail

Role = Membership.Role


class FailingBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP is down")


@pytest.mark.django_db
class TestInvite:
    @pytest.mark.parametrize(("role", "expected"), [("owner", 201), ("admin", 201), ("editor", 403), ("viewer", 403)])
    def test_role_table(self, role, expected, member, pro, committed):
        client = member(role)
        with committed(), unchanged(*everything()) if expected == 403 else nullcontext():
            response = client.post(invitations_url(pro), {"email": "new@example.com", "role": "editor"})
            role_answer(response, expected)
        assert len(mail.outbox) == (1 if expected == 201 else 0)

    def test_a_name_with_line_breaks_makes_a_one_line_subject(self, member, pro, committed):
        pro.name = "Acme\r\nBcc: everyone@example.com\x07"
        pro.save(update_fields=["name"])
        with committed():
            response = member("admin").post(invitations_url(pro), {"email": "new@example.com", "role": "viewer"})
        assert response.status_code == 201, response.content
        (message,) = mail.outbox
        assert message.subject.endswith("invited you to Acme Bcc: everyone@example.com on Orbit")
        assert message.message()["Subject"] == message.subject  # a header Django accepts, on one line
        assert message.recipients() == ["new@example.com"]

    def test_a_failing_mail_server_does_not_undo_or_fail_the_invitation(self, member, pro, committed, settings, caplog):
        settings.EMAIL_BACKEND = "workspaces.tests.test_invitations_api.FailingBackend"
        with committed():
            response = member("admin").post(invitations_url(pro), {"email": "new@example.com", "role": "viewer"})
        assert response.status_code == 201, response.content
        assert Invitation.objects.filter(workspace=pro, email="new@example.com", revoked_at__isnull=True).exists()
        assert any("SMTP is down" in str(record.exc_info[1]) for record in caplog.records if record.exc_info)

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
        with committed(), unchanged(*everything()):
            response = member("owner").post(invitations_url(workspace), {"email": "x@example.com"})
            assert_error(response, 402, "plan_limit_exceeded")
        assert mail.outbox == []

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
        with unchanged(*everything()):
            response = member("owner").post(invitations_url(workspace), {"email": existing.user.email.upper()})
            assert_error(response, 409, "already_member")

    def test_only_an_owner_invites_an_owner(self, member, pro):
        admin = member("admin")
        with unchanged(*everything()):
            response = admin.post(invitations_url(pro), {"email": "a@example.com", "role": "owner"})
            assert_error(response, 403, "permission_denied")
        assert (
            member("owner").post(invitations_url(pro), {"email": "a@example.com", "role": "owner"}).status_code == 201
        )

    def test_bad_input(self, member, workspace):
        with unchanged(*everything()):
            response = member("owner").post(invitations_url(workspace), {"email": "nope", "role": "king"})
            assert set(assert_error(response, 400, "validation_error")) == {"email", "role"}


@pytest.mark.django_db
class TestListResendRevoke:
    @pytest.mark.parametrize(("role", "expected"), [("owner", 200), ("admin", 200), ("editor", 403), ("viewer", 403)])
    def test_list_role_table(self, role, expected, member, workspace):
        InvitationFactory(workspace=workspace)
        role_answer(member(role).get(invitations_url(workspace)), expected)

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
        assert_error(accept(invitee, old_token), 404, "not_found")
        assert accept(invitee, new_token).status_code == 200

    @pytest.mark.parametrize(("role", "expected"), [("owner", 200), ("admin", 200), ("editor", 403), ("viewer", 403)])
    def test_resend_role_table(self, role, expected, member, workspace):
        invitation, client = InvitationFactory(workspace=workspace), member(role)
        with unchanged(*everything()) if expected == 403 else nullcontext():
            role_answer(client.post(f"{invitations_url(workspace)}{invitation.pk}/resend/"), expected)

    @pytest.mark.parametrize(("role", "expected"), [("owner", 204), ("admin", 204), ("editor", 403), ("viewer", 403)])
    def test_revoke_role_table(self, role, expected, member, workspace):
        invitation, client = InvitationFactory(workspace=workspace), member(role)
        with unchanged(*everything()) if expected == 403 else nullcontext():
            role_answer(client.delete(f"{invitations_url(workspace)}{invitation.pk}/"), expected)
        invitation.refresh_from_db()
        assert (invitation.revoked_at is not None) == (expected == 204)

    def test_a_revoked_invitation_cannot_be_accepted(self, member, workspace, make_client):
        invitation = InvitationFactory(workspace=workspace)
        member("owner").delete(f"{invitations_url(workspace)}{invitation.pk}/")
        assert ActivityEvent.objects.filter(verb="member.invitation_revoked").exists()
        invitee = make_client(UserFactory(email=invitation.email))
        with unchanged(*everything()):
            assert_error(accept(invitee, invitation.token), 410, "invitation_revoked")

    def test_invitation_of_another_workspace_is_404(self, member, other_workspace):
        foreign = InvitationFactory(workspace=other_workspace)
        owner = member("owner")
        base = invitations_url(owner.membership.workspace)
        with unchanged(*everything()):
            assert_error(owner.post(f"{base}{foreign.pk}/resend/"), 404, "not_found")
            assert_error(owner.delete(f"{base}{foreign.pk}/"), 404, "not_found")
