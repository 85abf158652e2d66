"""Shared by the scope API tests: the scopes URL of a workspace and its activity verbs in order."""

from workspaces.models import ActivityEvent


def scopes_url(workspace, *parts):
    return "/".join([f"/api/workspaces/{workspace.pk}/scopes", *map(str, parts)]) + "/"


def verbs(workspace):
    return list(ActivityEvent.objects.filter(workspace=workspace).order_by("created_at").values_list("verb", flat=True))
