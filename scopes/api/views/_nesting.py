from functools import cached_property

from scopes import selectors
from scopes.models import Scope


class ScopeChildMixin:
    """For routes under scopes/<scope_id>/: the parent scope, resolved inside the URL's workspace (else 404)."""

    @cached_property
    def scope(self) -> Scope:
        return selectors.get_scope(workspace=self.workspace, scope_id=self.kwargs["scope_id"])

    def get_queryset(self):
        return super().get_queryset().filter(scope_id=self.kwargs["scope_id"], scope__deleted_at__isnull=True)
