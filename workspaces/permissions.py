"""Role checks for workspace-scoped views (SPEC §3)."""

from rest_framework.permissions import BasePermission

from workspaces.models import Membership

Role = Membership.Role


class HasWorkspaceRole(BasePermission):
    """The caller is a member of the URL's workspace with at least the role the action needs.

    Non-members never reach the role check: `view.membership` raises 404 for them.
    Reads need VIEWER and writes EDITOR unless the view's `required_roles` says otherwise per action.
    """

    message = "Your role in this workspace does not allow this action."

    def has_permission(self, request, view):
        membership = view.membership
        return membership.role >= view.required_role()
