"""The one way a view is scoped to a tenant. Every workspace-owned endpoint builds on this."""

from functools import cached_property

import structlog
from django.core.exceptions import ImproperlyConfigured
from rest_framework import viewsets
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import SAFE_METHODS, IsAuthenticated

from orbit.authentication import MEMBERSHIP_ATTRIBUTE
from orbit.errors import NotFound
from workspaces.models import Membership
from workspaces.permissions import HasWorkspaceRole
from workspaces.selectors import get_membership_or_404


class WorkspaceScopedMixin:
    """Resolves `workspace_id` from the URL, checks the caller's role, and limits every queryset to that workspace.

    - `required_roles`: {key: Membership.Role}. On a ViewSet the keys are its action names (`create`,
      `partial_update`, an `@action`'s name); on an APIView its lower-case HTTP methods (`patch`). Unlisted reads
      need VIEWER, writes EDITOR. The keys and values are checked when the class is created, so a typo fails at
      import instead of silently falling back to EDITOR.
    - `workspace_field`: the lookup from the model to its workspace (e.g. "scope__workspace" for sections).
    Subclasses narrow with `super().get_queryset()`; they never filter by workspace themselves.
    """

    permission_classes = [IsAuthenticated, HasWorkspaceRole]
    required_roles: dict = {}
    workspace_field = "workspace"
    lookup_url_kwarg = "id"  # the URL names the addressed object {id} (README, API conventions)

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "required_roles" in cls.__dict__:
            problems = required_roles_problems(cls)
            if problems:
                raise ImproperlyConfigured(f"{cls.__module__}.{cls.__qualname__}.required_roles: {'; '.join(problems)}")

    @cached_property
    def membership(self) -> Membership:
        # Every log line of the request carries the workspace it addressed (members or not: useful in audits).
        workspace_id = str(self.kwargs["workspace_id"])
        structlog.contextvars.bind_contextvars(workspace_id=workspace_id)
        user = self.request.user
        # The bearer authentication read it with the user (one query for both): the same filter as
        # get_membership_or_404, for this user and this workspace.
        known = getattr(self.request, MEMBERSHIP_ATTRIBUTE, None)
        if known is not None and known[0] == workspace_id and known[1] == user.pk:
            if known[2] is None:
                raise NotFound()
            return known[2]
        return get_membership_or_404(user=user, workspace_id=self.kwargs["workspace_id"])

    @property
    def workspace(self):
        return self.membership.workspace

    def required_role(self) -> int:
        key = self.action if isinstance(self, viewsets.ViewSetMixin) else self.request.method.lower()
        return self.role_for(key, self.request.method)

    @classmethod
    def role_for(cls, key: str | None, method: str) -> Membership.Role:
        """The role needed for `key` (action or lower-case method) of a request with HTTP `method`."""
        if key in cls.required_roles:
            return cls.required_roles[key]
        return Membership.Role.VIEWER if method.upper() in SAFE_METHODS else Membership.Role.EDITOR

    def get_queryset(self):
        return super().get_queryset().filter(**{self.workspace_field: self.workspace})

    def get_serializer_context(self):
        """Serializers of scoped views can read the workspace and the caller's membership from their context."""
        context = super().get_serializer_context()
        if getattr(self, "swagger_fake_view", False):
            return context
        return {**context, "workspace": self.workspace, "membership": self.membership}


HTTP_METHODS = ("get", "post", "put", "patch", "delete")
STANDARD_ACTIONS = ("list", "create", "retrieve", "update", "partial_update", "destroy")


def role_keys(view_class) -> set[str]:
    """The keys `required_roles` may use on `view_class`: its actions (ViewSet) or its HTTP methods (APIView)."""
    if issubclass(view_class, viewsets.ViewSetMixin):
        keys = {name for name in STANDARD_ACTIONS if callable(getattr(view_class, name, None))}
        for extra in view_class.get_extra_actions():
            keys.update(extra.mapping.values())
        return keys
    return {method for method in HTTP_METHODS if callable(getattr(view_class, method, None))}


def required_roles_problems(view_class) -> list[str]:
    problems = []
    keys = role_keys(view_class)
    kind = "action" if issubclass(view_class, viewsets.ViewSetMixin) else "HTTP method"
    for key, role in view_class.required_roles.items():
        if key not in keys:
            problems.append(f"{key!r} is not an {kind} of this view (known: {', '.join(sorted(keys)) or 'none'})")
        if not isinstance(role, Membership.Role):
            problems.append(f"{key!r} must map to a Membership.Role, not {role!r}")
    return problems


def patch_of(update):
    """`partial_update = patch_of(update)` in a ViewSet: PATCH is the view's `update` with partial=True, and its
    OpenAPI operation is documented as `update`'s is (the same `@extend_schema`, `@if_match` and other markers)."""

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    if hasattr(update, "kwargs"):  # where drf-spectacular keeps @extend_schema
        partial_update.kwargs = dict(update.kwargs)
    if hasattr(update, "orbit_contract"):  # where orbit.schema.declare keeps @if_match, @answers...
        partial_update.orbit_contract = update.orbit_contract
    return partial_update


class WorkspaceScopedViewSet(WorkspaceScopedMixin, viewsets.GenericViewSet):
    pass


class WorkspaceScopedAPIView(WorkspaceScopedMixin, GenericAPIView):
    pass
