"""The tenancy proof: every route under /api/, found by walking `orbit.urls` itself, is either workspace-scoped
(and behaves so) or listed in ALLOWLIST with the reason it is not. Nobody edits this file when adding a scoped
endpoint; an endpoint added without scoping makes it fail.

What is checked, for every route whose URL carries `workspace_id`, for every method its view allows:
0. `test_anonymous_gets_401`: without credentials, 401.
1. `test_route_is_built_on_the_tenancy_mixin`: the view subclasses `WorkspaceScopedMixin`.
2. `test_non_member_gets_404`: a signed-in outsider gets 404 `not_found` on another workspace's URL, with that
   workspace's real objects in the other URL kwargs (so reading, writing and creating there all fail alike).
3. SPEC §3's role table, role by role: `test_role_table.py`, on the routes this module finds.
4. `test_foreign_object_ids_give_404`: the workspace's owner, on their own workspace's URL but with object ids
   from another workspace in the other kwargs, gets 404 on every method, sent with an empty body. So views
   resolve their objects (get_object / a scoped lookup) before they validate the body.
5. `test_reads_never_include_another_workspaces_rows`: a read without its own object id (a list, also one
   nested under parents of the caller's workspace) does not show a row of the view's model built in another
   workspace.
6. `test_owner_can_read_own_objects`: the same GET with the owner's own objects is not a 404 (the checks above
   are not passing because a route 404s for everyone).
Every other route under /api/ must be in ALLOWLIST (`test_every_unscoped_route_is_allowlisted`).

The routes are found and their objects built by workspaces/tests/matrix_support.py, whose docstring lists the
conventions this relies on (follow them in every app).
"""

import uuid

import pytest
from django.urls import reverse

from orbit.testing import assert_error
from workspaces.api.mixins import WorkspaceScopedMixin
from workspaces.tests.matrix_support import (  # noqa: F401 - re-exported for the selftest and test_role_table
    _factory_for,
    _lookup_kwarg,
    _object_kwargs,
    _view_model,
    _walk,
    api_routes,
    rebase,
    scoped_routes,
    send,
    signed_routes,
    url_for,
)

ONBOARDING = "The caller's own onboarding; acts only on the workspace the caller created in step 1."
PUBLIC_TEMPLATES = (
    "Public (system) templates, readable by any signed-in user; workspace templates live under "
    "api/workspaces/<workspace_id>/templates/."
)

# Routes under /api/ that are rightly not scoped to one workspace, each listed exactly (no prefixes), so a new
# unscoped route fails `test_every_unscoped_route_is_allowlisted` until someone writes down why it is public.
ALLOWLIST = {
    "api/": "Catch-all that answers unknown /api/ paths with the 404 envelope.",
    "api/health/": "Liveness probe, public.",
    "api/ready/": "Readiness probe, public.",
    "api/schema/": "OpenAPI schema, public documentation.",
    "api/docs/": "Swagger UI over the schema.",
    "api/redoc/": "ReDoc over the schema.",
    "api/blobs/": "Local-storage target of the signed upload/download URLs the API hands out (orbit.blobstore); "
    "the signed `token` (key, operation, expiry) is the credential, as on S3.",
    "api/me/": "The signed-in user's own profile; no workspace involved.",
    "api/auth/token/": "Trades the caller's own allauth session for a token pair; no workspace involved.",
    "api/auth/logout/": "Revokes the caller's own refresh token and session; no workspace involved.",
    "api/workspaces/": "Lists only the caller's workspaces; creating makes the caller owner of a new one.",
    "api/invitations/<str:token>/": "Invitation preview: the secret token is the credential (no membership yet).",
    "api/invitations/<str:token>/accept/": "Accepting is how a non-member becomes a member; needs the token.",
    "api/onboarding/status/": ONBOARDING,
    "api/onboarding/workspace/": ONBOARDING,
    "api/onboarding/team/": ONBOARDING,
    "api/onboarding/goals/": ONBOARDING,
    "api/onboarding/plan/": ONBOARDING,
    "api/onboarding/skip/": ONBOARDING,
    "api/templates/": PUBLIC_TEMPLATES,
    "api/templates/<uuid:id>/": PUBLIC_TEMPLATES,
}

# Allowlisted routes that answer anonymous callers (everything else in ALLOWLIST needs a sign-in).
PUBLIC_ROUTES = {
    "api/",
    "api/health/",
    "api/ready/",
    "api/schema/",
    "api/docs/",
    "api/redoc/",
    "api/blobs/",  # the signed token is the credential (orbit/tests/test_blobstore.py)
    "api/auth/logout/",  # the refresh token in the body is the credential
    "api/invitations/<str:token>/",  # the token in the URL is the credential
}


def allowlisted(pattern: str) -> bool:
    return pattern in ALLOWLIST


def _params(*, with_objects=False, gets_only=False):
    params = []
    for route in scoped_routes():
        if with_objects and not _object_kwargs(route):
            continue
        for method in route.methods:
            if gets_only and method != "get":
                continue
            params.append(pytest.param(route, method, id=f"{method.upper()} {route.pattern}"))
    return params


# --- The matrix --------------------------------------------------------------------------------


def test_the_walk_finds_the_routes_this_test_knows():
    """Guards against a walk that finds nothing and so proves nothing."""
    patterns = {route.pattern for route in api_routes()}
    assert "api/health/" in patterns
    assert "api/workspaces/<uuid:workspace_id>/members/<uuid:id>/" in patterns
    assert "api/workspaces/<uuid:workspace_id>/billing/usage/" in patterns
    assert len(scoped_routes()) >= 8


def test_every_unscoped_route_is_allowlisted():
    missing = [route.pattern for route in api_routes() if not route.scoped and not allowlisted(route.pattern)]
    assert not missing, (
        "These /api/ routes are neither under workspaces/<uuid:workspace_id>/ nor in ALLOWLIST of "
        f"workspaces/tests/test_isolation_matrix.py (with the reason they are public): {missing}"
    )


def test_allowlist_has_no_stale_entries():
    patterns = {route.pattern for route in api_routes()}
    stale = [entry for entry in ALLOWLIST if entry not in patterns]
    assert not stale, f"ALLOWLIST names routes that no longer exist: {stale}"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("route", "method"),
    [
        pytest.param(r, m, id=f"{m.upper()} {r.pattern}")
        for r in api_routes()
        if not r.scoped and r.pattern in ALLOWLIST and r.pattern not in PUBLIC_ROUTES
        for m in r.methods
    ],
)
def test_allowlisted_routes_other_than_the_public_ones_need_a_sign_in(route, method, api_client):
    """An unscoped route is not an open one: apart from PUBLIC_ROUTES, anonymous callers get 401 on every method."""
    kwargs = {name: str(uuid.uuid4()) if "uuid:" in route.pattern else "x" * 43 for name in route.kwargs}
    assert_error(send(api_client, method, reverse(route.name, kwargs=kwargs)), 401, "not_authenticated")


def test_every_scoped_route_has_a_name_and_a_drf_view():
    bad = [str(route) for route in scoped_routes() if not route.name or route.view_class is None or not route.methods]
    assert not bad, f"Scoped routes need a URL name and a DRF view with HTTP methods: {bad}"


@pytest.mark.parametrize("route", [pytest.param(r, id=r.pattern) for r in scoped_routes()])
def test_route_is_built_on_the_tenancy_mixin(route):
    assert route.view_class is not None
    assert issubclass(route.view_class, WorkspaceScopedMixin), (
        f"{route}: workspace-scoped views must build on workspaces.api.mixins.WorkspaceScopedMixin "
        "(WorkspaceScopedViewSet / WorkspaceScopedAPIView)."
    )


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "method"), _params())
def test_non_member_gets_404(route, method, member, other_workspace):
    outsider = member("owner")  # owns a workspace of their own, but not `other_workspace`
    url = url_for(route, other_workspace, objects_in=other_workspace)
    response = send(outsider, method, url)
    assert response.status_code == 404, f"{method.upper()} {url} -> {response.status_code} {response.content[:300]}"
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "method"), _params())
def test_anonymous_gets_401(route, method, api_client, workspace):
    assert_error(send(api_client, method, url_for(route, workspace)), 401, "not_authenticated")


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "method"), _params(with_objects=True))
def test_foreign_object_ids_give_404(route, method, member, workspace, other_workspace):
    """404 on every method, with an empty body too: a view resolves its objects in the caller's workspace before
    it reads the body, so a foreign id is never answered with a validation error about the body."""
    owner = member("owner")
    url = rebase(url_for(route, other_workspace, objects_in=other_workspace), other_workspace, workspace)
    response = send(owner, method, url)
    assert response.status_code == 404, f"{method.upper()} {url} -> {response.status_code} {response.content[:300]}"
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "route",
    [
        pytest.param(r, id=r.pattern)
        for r in scoped_routes()
        if "get" in r.methods and _lookup_kwarg(r.view_class) not in r.kwargs
    ],
)
def test_reads_never_include_another_workspaces_rows(route, member, workspace, other_workspace):
    """A list (or any read without object ids) in the caller's workspace must not show a row of the view's model
    that belongs to another workspace: catches a get_queryset that forgets super()."""
    owner = member("owner")
    model = _view_model(route)
    workspace_field = getattr(route.view_class, "workspace_field", "workspace")
    if workspace_field == "pk":
        foreign = other_workspace
    else:
        foreign = _factory_for(model, route)(**{workspace_field: other_workspace})
    url = url_for(route, workspace, objects_in=workspace)  # parents (scope_id, ...) in the caller's workspace
    response = owner.get(url)
    assert response.status_code == 200, f"GET {url} -> {response.status_code} {response.content[:300]}"
    assert str(foreign.pk) not in response.content.decode(), f"GET {url} shows {model._meta.label} {foreign.pk}"


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "method"), _params(gets_only=True))
def test_owner_can_read_own_objects(route, method, member, workspace):
    owner = member("owner")
    url = url_for(route, workspace, objects_in=workspace)
    response = send(owner, method, url)
    assert response.status_code == 200, f"GET {url} -> {response.status_code} {response.content[:300]}"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("route", "method"),
    [pytest.param(r, m, id=f"{m.upper()} {r.pattern}") for r in signed_routes() for m in r.methods],
)
@pytest.mark.parametrize("caller", ["anonymous", "owner"])
@pytest.mark.parametrize("query", ["", "?token=forged"])
def test_signed_routes_refuse_unsigned_requests(route, method, caller, query, api_client, member, workspace):
    url = url_for(route, workspace, objects_in=workspace)
    response = send(api_client if caller == "anonymous" else member("owner"), method, url + query)
    codes = {401: ("not_authenticated", "authentication_failed"), 403: ("permission_denied",), 404: ("not_found",)}
    assert response.status_code in codes, f"{method.upper()} {url}{query} -> {response.status_code}"
    assert response.json()["error"]["code"] in codes[response.status_code], response.json()
