"""Projects: a workspace's client engagements."""

from django.db import transaction

from orbit.updates import apply_changes
from scopes.models import Project
from workspaces import activity
from workspaces.activity import Verb

EDITABLE_FIELDS = ("name", "client_name", "description")


@transaction.atomic
def create_project(*, workspace, actor, name: str, client_name: str = "", description: str = "") -> Project:
    project = Project(workspace=workspace, name=name, client_name=client_name, description=description)
    project.full_clean()
    project.save()
    activity.record(actor=actor, verb=Verb.PROJECT_CREATED, target=project)
    return project


@transaction.atomic
def update_project(*, project: Project, actor, changes: dict, replace: bool = False) -> Project:
    """PATCH (`replace=False`) or PUT (`replace=True`: omitted fields go back to their defaults)."""
    activity.record_update(
        project, changes, fields=EDITABLE_FIELDS, replace=replace, actor=actor, verb=Verb.PROJECT_UPDATED
    )
    return project


@transaction.atomic
def set_project_status(*, project: Project, actor, status: str) -> Project:
    if apply_changes(project, {"status": status}, fields=("status",)):
        verb = Verb.PROJECT_ARCHIVED if status == Project.Status.ARCHIVED else Verb.PROJECT_UNARCHIVED
        activity.record(actor=actor, verb=verb, target=project)
    return project


@transaction.atomic
def delete_project(*, project: Project, actor) -> None:
    """Its scopes stay, detached from the project.

    The project row is locked before its scopes are detached, so a scope being created or moved into it at the
    same moment either lands first (and is detached here) or waits and is refused (scopes.services.scopes).
    """
    Project.objects.select_for_update().filter(pk=project.pk).values_list("pk", flat=True).first()
    activity.record(actor=actor, verb=Verb.PROJECT_DELETED, target=project, metadata={"name": project.name})
    project.delete()
