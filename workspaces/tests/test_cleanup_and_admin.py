from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from orbit.testing import assert_error
from workspaces.activity import Verb, record
from workspaces.cleanup import cleanup
from workspaces.models import ActivityEvent, Invitation
from workspaces.tests.factories import InvitationFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def test_cleanup_deletes_only_invitations_expired_past_retention(workspace, settings):
    now = timezone.now()
    settings.INVITATION_RETENTION_DAYS = 30
    old = InvitationFactory(workspace=workspace, expires_at=now - timedelta(days=31))
    old_revoked = InvitationFactory(workspace=workspace, expires_at=now - timedelta(days=40), revoked_at=now)
    recent = InvitationFactory(workspace=workspace, expires_at=now - timedelta(days=29))
    accepted = InvitationFactory(workspace=workspace, expires_at=now - timedelta(days=90), accepted_at=now)
    live = InvitationFactory(workspace=workspace)
    assert cleanup(now=now) == {"expired invitations deleted": 2}
    assert set(Invitation.objects.values_list("pk", flat=True)) == {recent.pk, accepted.pk, live.pk}
    assert not Invitation.objects.filter(pk__in=[old.pk, old_revoked.pk]).exists()
    assert cleanup(now=now) == {"expired invitations deleted": 0}


def test_cleanup_command_runs_it(workspace, capsys):
    InvitationFactory(workspace=workspace, expires_at=timezone.now() - timedelta(days=100))
    call_command("cleanup")
    assert "workspaces: expired invitations deleted: 1" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("model", "query"),
    [
        ("workspace", "?q=acme&deleted=no&plan__exact=free"),
        ("membership", "?q=example&role__exact=40"),
        ("invitation", "?q=invitee&status=pending"),
        ("activityevent", "?q=member&verb=member.joined"),
        ("onboarding", "?q=example"),
    ],
)
def test_admin_lists_search_and_filter(model, query, staff_client, workspace):
    MembershipFactory(workspace=workspace)
    InvitationFactory(workspace=workspace)
    record(workspace=workspace, actor=workspace.owner, verb=Verb.MEMBER_JOINED)
    response = staff_client.get(f"/admin/workspaces/{model}/{query}")
    assert response.status_code == 200


def test_admin_never_shows_the_token_hash_and_activity_is_read_only(staff_client, workspace):
    invitation = InvitationFactory(workspace=workspace)
    page = staff_client.get(f"/admin/workspaces/invitation/{invitation.pk}/change/")
    assert page.status_code == 200
    assert invitation.token_hash not in page.content.decode()
    assert 'name="token_hash"' not in page.content.decode()
    assert_error(staff_client.get("/admin/workspaces/invitation/add/"), 403, "permission_denied")
    event = record(workspace=workspace, actor=None, verb=Verb.SCOPE_CREATED)
    page = staff_client.get(f"/admin/workspaces/activityevent/{event.pk}/change/")
    assert page.status_code == 200
    assert 'name="verb"' not in page.content.decode()
    assert_error(staff_client.post(f"/admin/workspaces/activityevent/{event.pk}/delete/"), 403, "permission_denied")
    assert ActivityEvent.objects.filter(pk=event.pk).exists()  # admin pages are HTML: the status and the row kept
    assert_error(staff_client.get("/admin/workspaces/activityevent/add/"), 403, "permission_denied")
