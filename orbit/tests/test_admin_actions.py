"""The staff actions in the admin: each goes through its app's service, is audited (activity or auth event) and
tells the staff user what happened; a refusal changes nothing and says why."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.messages import get_messages
from django.urls import reverse
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken

from accounts.models import AuthEvent
from accounts.tests.factories import UserFactory
from ai.models import AIRun
from ai.tests.factories import AIRunFactory
from documents.models import Document
from documents.tests.factories import DocumentFactory
from orbit.testing import assert_error
from workspaces.models import ActivityEvent, Workspace
from workspaces.tests.factories import InvitationFactory, WorkspaceFactory

pytestmark = pytest.mark.django_db
Verb = ActivityEvent.Verb


def act(client, model, action, *objects):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    response = client.post(url, {"action": action, ACTION_CHECKBOX_NAME: [str(obj.pk) for obj in objects]})
    assert response.status_code == 302
    return [str(message) for message in get_messages(response.wsgi_request)]


def staff_of(client):
    return client.session and UserFactory._meta.model.objects.get(pk=client.session["_auth_user_id"])


def test_resend_invitation_changes_the_token_and_is_recorded(
    staff_client, mailoutbox, django_capture_on_commit_callbacks
):
    invitation = InvitationFactory()
    old_hash = invitation.token_hash
    with django_capture_on_commit_callbacks(execute=True):
        messages = act(staff_client, type(invitation), "resend", invitation)
    invitation.refresh_from_db()
    assert invitation.token_hash != old_hash
    assert len(mailoutbox) == 1
    event = ActivityEvent.objects.get(verb=Verb.MEMBER_INVITATION_RESENT, target_id=str(invitation.pk))
    assert event.actor == staff_of(staff_client)
    assert messages == ["Resent: 1."]


def test_resend_a_revoked_invitation_is_refused_and_changes_nothing(staff_client, mailoutbox):
    from django.utils import timezone

    invitation = InvitationFactory(revoked_at=timezone.now())
    messages = act(staff_client, type(invitation), "resend", invitation)
    assert InvitationFactory._meta.model.objects.get(pk=invitation.pk).token_hash == invitation.token_hash
    assert mailoutbox == []
    assert not ActivityEvent.objects.filter(verb=Verb.MEMBER_INVITATION_RESENT).exists()
    assert len(messages) == 1
    assert messages[0].startswith("Skipped")


def test_reprocess_document_queues_it_again_and_is_recorded(staff_client):
    document = DocumentFactory(status=Document.Status.FAILED)
    messages = act(staff_client, Document, "reprocess", document)
    document.refresh_from_db()
    assert (document.status, document.processing_run) == (Document.Status.UPLOADED, 2)
    event = ActivityEvent.objects.get(verb=Verb.DOCUMENT_REPROCESSED)
    assert (event.target_id, event.actor) == (str(document.pk), staff_of(staff_client))
    assert messages == ["Queued: 1."]


def test_reprocess_a_document_without_a_file_is_refused(staff_client):
    document = DocumentFactory(status=Document.Status.FAILED, blob_stored=False)
    messages = act(staff_client, Document, "reprocess", document)
    document.refresh_from_db()
    assert (document.status, document.processing_run) == (Document.Status.FAILED, 1)
    assert not ActivityEvent.objects.filter(verb=Verb.DOCUMENT_REPROCESSED).exists()
    assert "no stored file" in messages[0]


def test_retry_failed_ai_run_queues_it_again_and_is_recorded(staff_client, django_capture_on_commit_callbacks):
    run = AIRunFactory(status=AIRun.Status.FAILED, error_code="ai_unavailable", attempts=3, progress=40)
    with django_capture_on_commit_callbacks() as callbacks:
        messages = act(staff_client, AIRun, "retry", run)
    run.refresh_from_db()
    assert (run.status, run.error_code, run.attempts, run.progress) == (AIRun.Status.QUEUED, "", 0, 0)
    assert len(callbacks) == 1  # the task is sent once the retry commits
    event = ActivityEvent.objects.get(verb=Verb.AI_RUN_RETRIED)
    assert (event.target_id, event.actor) == (str(run.pk), staff_of(staff_client))
    assert messages == ["Queued again: 1."]


def test_retry_a_succeeded_ai_run_is_refused(staff_client):
    run = AIRunFactory(status=AIRun.Status.SUCCEEDED)
    messages = act(staff_client, AIRun, "retry", run)
    run.refresh_from_db()
    assert run.status == AIRun.Status.SUCCEEDED
    assert not ActivityEvent.objects.filter(verb=Verb.AI_RUN_RETRIED).exists()
    assert "Only a failed AI run" in messages[0]


def test_deactivate_revokes_refresh_tokens_and_is_audited(staff_client):
    user = UserFactory()
    refresh = RefreshToken.for_user(user)
    messages = act(staff_client, type(user), "deactivate", user)
    user.refresh_from_db()
    assert not user.is_active
    assert BlacklistedToken.objects.filter(token__jti=refresh["jti"]).exists()
    event = AuthEvent.objects.get(kind=AuthEvent.Kind.USER_DEACTIVATED)
    assert (event.user, event.metadata["refresh_tokens_revoked"]) == (user, 1)
    assert event.metadata["staff_email"] == staff_of(staff_client).email
    assert messages == ["Deactivated: 1."]
    with pytest.raises(TokenError):
        RefreshToken(str(refresh))  # blacklisted: it can mint no new access token


def test_reactivate_is_audited_and_a_second_time_does_nothing(staff_client):
    user = UserFactory(is_active=False)
    act(staff_client, type(user), "reactivate", user)
    messages = act(staff_client, type(user), "reactivate", user)
    user.refresh_from_db()
    assert user.is_active
    assert AuthEvent.objects.filter(kind=AuthEvent.Kind.USER_REACTIVATED, user=user).count() == 1
    assert messages[-1].startswith("Skipped")
    assert OutstandingToken.objects.filter(user=user).count() == 0


def test_restore_workspace_undoes_the_soft_delete_and_is_recorded(staff_client):
    from django.utils import timezone

    deleted, live = WorkspaceFactory(deleted_at=timezone.now()), WorkspaceFactory()
    messages = act(staff_client, Workspace, "restore", deleted, live)
    deleted.refresh_from_db()
    assert deleted.deleted_at is None
    assert list(ActivityEvent.objects.filter(verb=Verb.WORKSPACE_RESTORED).values_list("workspace", flat=True)) == [
        deleted.pk
    ]
    assert messages[0] == "Restored: 1."
    assert messages[1].startswith("Skipped")


def test_workspace_page_links_to_its_related_lists(staff_client):
    import re

    workspace = WorkspaceFactory()
    DocumentFactory(workspace=workspace)
    page = staff_client.get(reverse("admin:workspaces_workspace_change", args=[workspace.pk])).content.decode()
    links = re.findall(r'href="([^"]*\?workspace__id__exact=[^"]*)"', page)
    assert len(links) >= 6
    for link in links:
        response = staff_client.get(link.replace("&amp;", "&"))
        assert response.status_code == 200, link


def test_retry_failed_export_queues_it_again_and_is_recorded(staff_client):
    from exports.models import Export
    from exports.tests.factories import ExportFactory

    export = ExportFactory(status=Export.Status.FAILED, error="render failed")
    messages = act(staff_client, Export, "retry", export)
    export.refresh_from_db()
    assert (export.status, export.run, export.error) == (Export.Status.QUEUED, 2, "")
    event = ActivityEvent.objects.get(verb=Verb.EXPORT_RETRIED)
    assert (event.target_id, event.actor) == (str(export.pk), staff_of(staff_client))
    assert messages == ["Queued again: 1."]


def test_retry_a_queued_export_is_refused(staff_client):
    from exports.models import Export
    from exports.tests.factories import ExportFactory

    export = ExportFactory()
    messages = act(staff_client, Export, "retry", export)
    export.refresh_from_db()
    assert (export.status, export.run) == (Export.Status.QUEUED, 1)
    assert not ActivityEvent.objects.filter(verb=Verb.EXPORT_RETRIED).exists()
    assert "Only a failed export" in messages[0]


@pytest.mark.parametrize("kind", ["activity", "auth"])
def test_audit_trails_are_read_only_in_the_admin(staff_client, kind):
    if kind == "activity":
        from workspaces.tests.factories import ActivityEventFactory

        row = ActivityEventFactory()
    else:
        row = AuthEvent.objects.create(kind=AuthEvent.Kind.LOGIN_FAILED, email="x@example.com", reason="password")
    prefix = f"admin:{row._meta.app_label}_{row._meta.model_name}"
    assert staff_client.get(reverse(f"{prefix}_change", args=[row.pk])).status_code == 200  # readable
    assert_error(
        staff_client.post(reverse(f"{prefix}_change", args=[row.pk]), {"reason": "edited"}), 403, "permission_denied"
    )
    assert_error(
        staff_client.post(reverse(f"{prefix}_delete", args=[row.pk]), {"post": "yes"}), 403, "permission_denied"
    )
    assert_error(staff_client.get(reverse(f"{prefix}_add")), 403, "permission_denied")
    assert type(row).objects.filter(pk=row.pk).count() == 1


def test_staff_action_runs_the_method_for_each_selected_object_and_reports(rf):
    from django.contrib import admin
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.messages.storage.fallback import FallbackStorage

    from orbit.admin import staff_action
    from orbit.errors import Conflict

    class Bells(admin.ModelAdmin):
        actions = ["ring"]
        rung = []

        @staff_action("Ring selected", done="Rung")
        def ring(self, request, bell):
            if bell == "cracked":
                raise Conflict("A cracked bell does not ring.")
            self.rung.append((request, bell))
            return bell != "rung already"

    request = rf.post("/")
    request.session, request.user = {}, AnonymousUser()
    request._messages = FallbackStorage(request)
    modeladmin = Bells(ActivityEvent, admin.site)
    modeladmin.ring(request, ["big", "cracked", "small", "rung already"])

    assert Bells.rung == [(request, "big"), (request, "small"), (request, "rung already")]
    assert [str(message) for message in get_messages(request)] == [
        "Rung: 2.",
        "Skipped cracked: A cracked bell does not ring.",
        "Skipped rung already: nothing to do",
    ]
    # Django lists and labels the action by these.
    assert (Bells.ring.__name__, Bells.ring.short_description) == ("ring", "Ring selected")
    assert dict(modeladmin.get_action_choices(request))["ring"] == "Ring selected"
