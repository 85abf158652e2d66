"""The one way a view is scoped to a tenant. Every workspace-owned endpoint builds on this."""

from functools import cached_property

import structlog
from rest_framework import viewsets
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import SAFE_METHODS, IsAuthenticated

from workspaces.models import Membership
from workspaces.permissions import HasWorkspaceRole
from workspaces.selectors import get_membership_or_404


class WorkspaceScopedMixin:
    """Resolves `workspace_id` from the URL, checks the caller's role, and limits every queryset to that workspace.

    - `required_roles`: {action or lower-case HTTP method: Membership.Role}. Unlisted reads need VIEWER, writes EDITOR.
    - `workspace_field`: the lookup from the model to its workspace (e.g. "scope__workspace" for sections).
    Subclasses narrow with `super().get_queryset()`; they never filter by workspace themselves.
    """

    permission_classes = [IsAuthenticated, HasWorkspaceRole]
    required_roles: dict = {}
    workspace_field = "workspace"

    @cached_property
    def membership(self) -> Membership:
        # Every log line of the request carries the workspace it addressed (members or not: useful in audits).
        structlog.contextvars.bind_contextvars(workspace_id=str(self.kwargs["workspace_id"]))
        return get_membership_or_404(user=self.request.user, workspace_id=self.kwargs["workspace_id"])

    @property
    def workspace(self):
        return self.membership.workspace

    def required_role(self) -> int:
        action = getattr(self, "action", None)
        for key in (action, self.request.method.lower()):
            if key in self.required_roles:
                return self.required_roles[key]
        return Membership.Role.VIEWER if self.request.method in SAFE_METHODS else Membership.Role.EDITOR

    def get_queryset(self):
        return super().get_queryset().filter(**{self.workspace_field: self.workspace})

    def get_serializer_context(self):
        """Serializers of scoped views can read the workspace and the caller's membership from their context."""
        context = super().get_serializer_context()
        if getattr(self, "swagger_fake_view", False):
            return context
        return {**context, "workspace": self.workspace, "membership": self.membership}


class WorkspaceScopedViewSet(WorkspaceScopedMixin, viewsets.GenericViewSet):
    pass


class WorkspaceScopedAPIView(WorkspaceScopedMixin, GenericAPIView):
    pass
