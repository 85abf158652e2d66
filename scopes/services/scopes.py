"""Scopes: create (blank or from a template), update, status transitions, duplicate, trash, restore, purge."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from billing.plans import enforce_limit
from orbit.errors import Conflict, not_in_workspace
from orbit.updates import apply_changes
from scopes import counts, search
from scopes.models import Project, Scope, ScopeSection
from scopes.services.sections import build_sections, copy_sections
from workspaces import activity
from workspaces.activity import Verb

TRASH_RETENTION = timedelta(days=30)
EDITABLE_FIELDS = ("title", "client_name", "summary", "project")
_SEARCHED_FIELDS = {"title", "client_name", "summary"}

Status = Scope.Status
ALLOWED_TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.DRAFT: (Status.IN_REVIEW, Status.ARCHIVED),
    Status.IN_REVIEW: (Status.APPROVED, Status.ARCHIVED),
    Status.APPROVED: (Status.SENT, Status.ARCHIVED),
    Status.SENT: (Status.ARCHIVED,),
    Status.ARCHIVED: (Status.DRAFT,),
}


def _check_project(*, workspace, project: Project | None) -> Project | None:
    """The project, locked until commit, so a concurrent delete_project cannot leave this scope pointing at nothing.

    delete_project locks the project first too: whichever comes second waits, then sees the other's outcome.
    """
    if project is None:
        return None
    locked = Project.objects.select_for_update().filter(pk=project.pk, workspace=workspace).first()
    if locked is None:
        raise not_in_workspace("project_id", project.pk)
    return locked


@transaction.atomic
def create_scope(
    *,
    workspace,
    actor,
    title: str = "",
    client_name: str = "",
    summary: str = "",
    project: Project | None = None,
    template=None,
    sections: list[dict] | None = None,
) -> Scope:
    """A new draft scope, counted against the plan's scopes_per_month.

    `template` (a scope_templates.Template) copies its sections; `sections` (list of section dicts, e.g. from
    the AI extractor) are appended after them.
    """
    enforce_limit(workspace=workspace, limit="scopes_per_month")
    project = _check_project(workspace=workspace, project=project)
    if template is not None and template.workspace_id not in (None, workspace.pk):
        raise not_in_workspace("template_id", template.pk)
    scope = Scope(
        workspace=workspace,
        project=project,
        title=title or (template.name if template is not None else "Untitled scope"),
        client_name=client_name or (project.client_name if project is not None else ""),
        summary=summary,
        created_by=actor,
    )
    scope.full_clean()
    scope.save()
    specs = [*(template.sections if template is not None else []), *(sections or [])]
    ScopeSection.objects.bulk_create(build_sections(scope=scope, specs=specs, start=0))
    counts.refresh(scope)  # nobody else sees the new row before commit: no lock needed
    search.refresh([scope.pk])
    activity.record(
        actor=actor,
        verb=Verb.SCOPE_CREATED,
        target=scope,
        metadata={"template_id": str(template.pk)} if template is not None else {},
    )
    return scope


@transaction.atomic
def update_scope(
    *, scope: Scope, actor, changes: dict, replace: bool = False, expected_version: int | None = None
) -> Scope:
    """PATCH or PUT (`replace`) the scope's EDITABLE_FIELDS if it is still at `expected_version` (None: any).
    `project` is a Project of this workspace or None."""
    if changes.get("project") is not None:
        changes = {**changes, "project": _check_project(workspace=scope.workspace, project=changes["project"])}
    changed = activity.record_update(
        scope,
        changes,
        fields=EDITABLE_FIELDS,
        replace=replace,
        expected_version=expected_version,
        actor=actor,
        verb=Verb.SCOPE_UPDATED,
        metadata=lambda: {"version": scope.version},  # the version this change made
    )
    if _SEARCHED_FIELDS & set(changed):
        search.refresh([scope.pk])
    return scope


@transaction.atomic
def transition_scope(*, scope: Scope, actor, status: str, expected_version: int | None = None) -> Scope:
    """Move the scope along its review workflow; anything not in ALLOWED_TRANSITIONS is refused with 409."""
    current = Scope.objects.select_for_update().values_list("status", flat=True).get(pk=scope.pk)
    allowed = ALLOWED_TRANSITIONS[current]
    if status not in allowed:
        raise Conflict(
            f"A scope cannot go from {current} to {status}.",
            details={"from": current, "to": status, "allowed": list(allowed)},
        )
    apply_changes(scope, {"status": status}, fields=("status",), expected_version=expected_version)
    activity.record(actor=actor, verb=Verb.SCOPE_STATUS_CHANGED, target=scope, metadata={"from": current, "to": status})
    return scope


@transaction.atomic
def duplicate_scope(*, scope: Scope, actor, title: str = "") -> Scope:
    """A draft copy with every section, counted against the plan like any new scope."""
    enforce_limit(workspace=scope.workspace, limit="scopes_per_month")
    # Locked like in create_scope; a project deleted meanwhile leaves the copy without one, as it left the original.
    project = Project.objects.select_for_update().filter(pk=scope.project_id).first() if scope.project_id else None
    copy = Scope.objects.create(
        workspace=scope.workspace,
        project=project,
        title=title or f"Copy of {scope.title}"[:300],
        client_name=scope.client_name,
        summary=scope.summary,
        confidence=scope.confidence,
        ai_analysis=scope.ai_analysis,
        created_by=actor,
    )
    copy_sections(source=scope, to=copy)
    counts.refresh(copy)  # its sections (not its comments); nobody else sees the new row before commit
    search.refresh([copy.pk])
    activity.record(actor=actor, verb=Verb.SCOPE_DUPLICATED, target=copy, metadata={"source_id": str(scope.pk)})
    return copy


@transaction.atomic
def trash_scope(*, scope: Scope, actor) -> None:
    """Soft delete: the scope leaves lists and can be restored for TRASH_RETENTION, then cleanup purges it."""
    if Scope.objects.filter(pk=scope.pk, deleted_at__isnull=True).update(deleted_at=timezone.now()):
        activity.record(actor=actor, verb=Verb.SCOPE_DELETED, target=scope)


@transaction.atomic
def restore_scope(*, scope: Scope, actor) -> Scope:
    if Scope.objects.filter(pk=scope.pk, deleted_at__isnull=False).update(deleted_at=None, updated_at=timezone.now()):
        activity.record(actor=actor, verb=Verb.SCOPE_RESTORED, target=scope)
    scope.refresh_from_db()
    return scope


def purge_trashed(*, now: datetime, dry_run: bool = False) -> int:
    """Delete scopes trashed more than TRASH_RETENTION ago, with their sections, comments and favourites."""
    expired = Scope.objects.filter(deleted_at__lt=now - TRASH_RETENTION)
    if dry_run:
        return expired.count()
    _total, per_model = expired.delete()
    return per_model.get(Scope._meta.label, 0)
