"""SPEC §3's role table, role by role, on every workspace route the isolation matrix finds (walking orbit.urls):

- `test_declared_roles_follow_the_spec`: the role the view declares (`required_roles`, else VIEWER for reads and
  EDITOR for writes) is the one SPEC §3 gives the route's area (`spec_role`: workspace settings, members,
  invitations and billing need ADMIN; deleting the workspace and transferring it OWNER; ...).
- `test_each_role_gets_what_the_table_says`: owner, admin, editor and viewer each send the request; a role below
  the declared one gets 403 `permission_denied`, a role at or above it is let through (anything but
  401/403/404/500; the empty body may well be a 400). Object-level rules the route-level role cannot express (an
  editor resolves only their own comments) are listed in OBJECT_RULES with the status and the reason.
New routes (ai, billing, exports, ...) are checked without edits here; a route SPEC §3 really treats apart from
its area goes in SPEC_EXCEPTIONS with the reason. Non-members (404) and anonymous callers (401) are
test_isolation_matrix.py's.
"""

import pytest

from workspaces.models import Membership
from workspaces.tests.test_isolation_matrix import _object_kwargs, scoped_routes, send, url_for

ROLES = ("owner", "admin", "editor", "viewer")
Role = Membership.Role

# SPEC §3 by area: the first path segment after `workspaces/<workspace_id>/` -> {method or "read"/"write": role}.
# An area not listed follows the table's first rows: any member reads; editors and up create and update
# (projects, scopes, sections, documents, templates, comments, AI runs, exports).
SPEC_AREAS = {
    "": {"read": Role.VIEWER, "patch": Role.ADMIN, "delete": Role.OWNER},  # the workspace itself
    "transfer-ownership": {"write": Role.OWNER},
    "members": {"read": Role.VIEWER, "write": Role.ADMIN},  # change roles, remove members
    "invitations": {"read": Role.ADMIN, "write": Role.ADMIN},  # invite; open invitations are the admins' list
    "billing": {"read": Role.ADMIN, "write": Role.ADMIN},  # subscription, invoices, checkout, portal
}
# (URL name, method) -> (role, reason): routes SPEC §3 treats apart from their area.
SPEC_EXCEPTIONS = {
    ("member-leave", "post"): (Role.VIEWER, "Anyone may leave a workspace (an owner only after handing it over)."),
    ("favourite-list", "post"): (Role.VIEWER, "Favourites are personal bookmarks; viewers keep them too."),
    ("favourite-detail", "delete"): (Role.VIEWER, "Favourites are personal bookmarks; viewers keep them too."),
    ("billing-usage", "get"): (Role.VIEWER, "Every member sees the plan's limits and usage (any may meet a 402)."),
}
# (URL name, method, role) -> (status, reason): object-level rules on top of the route's role. The matrix's
# objects are made by factories, so the caller is never their author.
OBJECT_RULES = {
    ("scope-comment-resolve", "post", "editor"): (403, "SPEC §3: an editor resolves only their own comments."),
    ("scope-comment-unresolve", "post", "editor"): (403, "SPEC §3: an editor unresolves only their own comments."),
    ("scope-comment-detail", "delete", "editor"): (403, "An editor deletes only their own comments."),
    **{
        ("scope-restore", "post", role): (404, "Restore addresses the trash; the matrix's scope is not trashed.")
        for role in ("owner", "admin", "editor")
    },
}


def _params(*, roles=False):
    params = []
    for route in scoped_routes():
        for method in route.methods:
            label = f"{method.upper()} {route.pattern}"
            if roles:
                params += [pytest.param(route, method, role, id=f"{role} {label}") for role in ROLES]
            else:
                params.append(pytest.param(route, method, id=label))
    return params


def declared_role(route, method) -> Role:
    """What the view says `method` needs: its `required_roles` entry for the action (ViewSet) or method."""
    actions = getattr(route.callback, "actions", None)
    key = actions[method] if actions else method
    view = route.view_class
    if not hasattr(view, "role_for"):  # not built on the mixin (a failure of its own): the table's default
        return Role.VIEWER if method == "get" else Role.EDITOR
    return view.role_for(key, method)


def spec_role(route, method) -> Role:
    """The role SPEC §3 gives this route and method (SPEC_AREAS, SPEC_EXCEPTIONS)."""
    if (route.name, method) in SPEC_EXCEPTIONS:
        return SPEC_EXCEPTIONS[(route.name, method)][0]
    area = route.pattern.split("<uuid:workspace_id>/", 1)[1].split("/", 1)[0]
    rules = SPEC_AREAS.get(area, {})
    kind = "read" if method == "get" else "write"
    return rules.get(method) or rules.get(kind) or (Role.VIEWER if kind == "read" else Role.EDITOR)


@pytest.mark.parametrize(("route", "method"), _params())
def test_declared_roles_follow_the_spec(route, method):
    declared, spec = declared_role(route, method), spec_role(route, method)
    assert declared == spec, (
        f"{method.upper()} {route}: the view requires {declared.label}, SPEC §3 says {spec.label}. Fix the view's "
        "required_roles, or (if SPEC §3 really treats this route apart) add it to SPEC_EXCEPTIONS with the reason."
    )


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "method", "role"), _params(roles=True))
def test_each_role_gets_what_the_table_says(route, method, role, member, workspace):
    client = member(role)
    url = url_for(route, workspace, objects_in=workspace if _object_kwargs(route) else None)
    response = send(client, method, url)
    seen = f"{role} {method.upper()} {url} -> {response.status_code} {response.content[:300]}"
    if (route.name, method, role) in OBJECT_RULES:
        assert response.status_code == OBJECT_RULES[(route.name, method, role)][0], seen
    elif Role[role.upper()] < declared_role(route, method):
        assert response.status_code == 403, seen
        assert response.json()["error"]["code"] == "permission_denied", seen
    else:
        assert response.status_code not in (401, 403, 404, 500), seen
