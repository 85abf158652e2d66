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

Conventions the matrix relies on (follow them in every app):
- The workspace kwarg is named `workspace_id`; mount under `workspaces/<uuid:workspace_id>/`.
- Every /api/ route has a URL name and a DRF view (`as_view()` of an APIView or a ViewSet).
- Object kwargs: the view's `lookup_url_kwarg` (default `id`) is an instance of the view's `queryset.model`;
  any other `<model>_id` kwarg is an instance of the project model whose `model_name` is
  `<model>` without underscores (`scope_id` -> scopes.Scope, `comment_id` -> Comment). Other kwargs need a
  value in EXTRA_KWARG_VALUES.
- Each such model has a factory in `<its app>/tests/factories.py` (a DjangoModelFactory whose Meta.model is the
  model, defined in that module). The matrix builds instances as
  `Factory(**{view.workspace_field: workspace})` for the view's model (e.g. `scope__workspace=...`) and
  `Factory(workspace=workspace)` for parents; a child also gets its parent through its ForeignKey to the
  parent's model (`SectionFactory(scope=scope)`). The factory must accept those keyword arguments.
- Format-suffix routes (a `format` kwarg) are the same views as their plain routes and are skipped.
"""

import importlib
import json
import uuid
from dataclasses import dataclass
from functools import cache

import factory
import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RoutePattern

from workspaces.api.mixins import WorkspaceScopedMixin

WRITE_METHODS = {"post", "put", "patch", "delete"}
HTTP_METHODS = ("get", "post", "put", "patch", "delete")

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

# Routes under a workspace URL that authenticate by a signed, short-lived token in the URL instead of a login
# (local-storage stand-ins for S3 presigned URLs). Instead of the membership checks, the matrix proves that
# without a valid signature they refuse everyone (`test_signed_routes_refuse_unsigned_requests`).
# Value: (reason, label of the model its `pk` refers to).
SIGNED_URL_ROUTES: dict[str, tuple[str, str]] = {}

# Values for URL kwargs that are neither the workspace nor an object id.
EXTRA_KWARG_VALUES: dict[str, str] = {}


# --- Walking the URL resolver ------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    pattern: str
    name: str | None
    callback: object
    kwargs: tuple[str, ...]

    def __str__(self):
        return self.pattern

    @property
    def view_class(self):
        return getattr(self.callback, "cls", None) or getattr(self.callback, "view_class", None)

    @property
    def methods(self) -> list[str]:
        actions = getattr(self.callback, "actions", None)
        if actions:
            return sorted(method for method in actions if method in HTTP_METHODS)
        return [method for method in HTTP_METHODS if self.view_class and hasattr(self.view_class, method)]

    @property
    def scoped(self) -> bool:
        return "workspace_id" in self.kwargs


def _kwarg_names(pattern) -> list[str]:
    if isinstance(pattern, RoutePattern):
        return list(pattern.converters)
    return list(pattern.regex.groupindex)


def _walk(patterns, prefix="", namespace=None, kwargs=()):
    for entry in patterns:
        piece = str(entry.pattern).lstrip("^").rstrip("$")
        names = (*kwargs, *_kwarg_names(entry.pattern))
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry.url_patterns, prefix + piece, inner, names)
        elif isinstance(entry, URLPattern):
            name = entry.name and (f"{namespace}:{entry.name}" if namespace else entry.name)
            yield Route(prefix + piece, name, entry.callback, names)


@cache
def api_routes() -> list[Route]:
    routes = [route for route in _walk(get_resolver().url_patterns) if route.pattern.startswith("api/")]
    return [route for route in routes if "format" not in route.kwargs]


def scoped_routes() -> list[Route]:
    return [route for route in api_routes() if route.scoped and route.pattern not in SIGNED_URL_ROUTES]


def signed_routes() -> list[Route]:
    return [route for route in api_routes() if route.pattern in SIGNED_URL_ROUTES]


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


# --- Building objects through the apps' factories ----------------------------------------------


def _is_project_app(config) -> bool:
    return config.path.startswith(str(settings.BASE_DIR)) and "site-packages" not in config.path


@cache
def factories_by_model() -> dict:
    registry = {}
    for config in apps.get_app_configs():
        if not _is_project_app(config):
            continue
        module_name = f"{config.name}.tests.factories"
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name in (f"{config.name}.tests", module_name):
                continue
            raise
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, factory.django.DjangoModelFactory)
                and value.__module__ == module_name
                and value._meta.model is not None
            ):
                registry.setdefault(value._meta.get_model_class(), value)
    return registry


def _factory_for(model, route):
    found = factories_by_model().get(model)
    if found is None:
        pytest.fail(
            f"{route}: no factory for {model._meta.label}. Add a DjangoModelFactory with Meta.model = "
            f"{model.__name__} to {model._meta.app_config.name}/tests/factories.py (see this test's docstring)."
        )
    return found


def _lookup_kwarg(view_class) -> str:
    return getattr(view_class, "lookup_url_kwarg", None) or "id"  # the addressed object is {id} (README)


def _view_model(route):
    if route.pattern in SIGNED_URL_ROUTES:
        return apps.get_model(SIGNED_URL_ROUTES[route.pattern][1])
    queryset = getattr(route.view_class, "queryset", None)
    if queryset is None:
        pytest.fail(f"{route}: the view has no `queryset` attribute, so the matrix cannot tell its model.")
    return queryset.model


@cache
def _project_models_by_name() -> dict:
    by_name: dict[str, list] = {}
    for model in apps.get_models():
        if _is_project_app(model._meta.app_config):
            by_name.setdefault(model._meta.model_name, []).append(model)
    return by_name


def _object_kwargs(route) -> list[str]:
    return [name for name in route.kwargs if name != "workspace_id" and name not in EXTRA_KWARG_VALUES]


def _model_for_kwarg(route, name):
    if name == _lookup_kwarg(route.view_class):
        return _view_model(route)
    for suffix in ("_id",):
        if name.endswith(suffix):
            candidates = _project_models_by_name().get(name[: -len(suffix)].replace("_", ""), [])
            if len(candidates) == 1:
                return candidates[0]
    pytest.fail(
        f"{route}: cannot tell which model the URL kwarg {name!r} refers to. Name it `<model>_id`, or add a value "
        "to EXTRA_KWARG_VALUES if it is not an object id."
    )


def _foreign_key_to(model, target_model) -> str | None:
    for field in model._meta.get_fields():
        if isinstance(field, models.ForeignKey) and issubclass(target_model, field.related_model):
            return field.name
    return None


def _parent_workspace_path(model, route) -> str:
    names = {field.name: field for field in model._meta.get_fields()}
    if "workspace" in names:
        return "workspace"
    for field in names.values():
        if isinstance(field, models.ForeignKey) and any(
            f.name == "workspace" for f in field.related_model._meta.get_fields()
        ):
            return f"{field.name}__workspace"
    pytest.fail(f"{route}: cannot find how {model._meta.label} belongs to a workspace.")


def url_for(route, workspace, *, objects_in=None) -> str:
    """The route's URL for `workspace`, with object kwargs pointing at fresh objects of `objects_in`
    (random ids when `objects_in` is None)."""
    values = {"workspace_id": str(workspace.pk), **EXTRA_KWARG_VALUES}
    object_names = [name for name in _object_kwargs(route) if name in route.kwargs]
    if objects_in is None:
        values.update({name: str(uuid.uuid4()) for name in object_names})
    else:
        lookup = _lookup_kwarg(route.view_class)
        parents = {}
        for name in object_names:
            if name == lookup:
                continue
            model = _model_for_kwarg(route, name)
            parents[name] = _factory_for(model, route)(**{_parent_workspace_path(model, route): objects_in})
            values[name] = str(parents[name].pk)
        if lookup in object_names:
            model = _view_model(route)
            build = {}
            for parent in parents.values():
                link = _foreign_key_to(model, type(parent))
                if link:
                    build[link] = parent
            workspace_field = getattr(route.view_class, "workspace_field", "workspace")
            if not any(workspace_field == link or workspace_field.startswith(f"{link}__") for link in build):
                build[workspace_field] = objects_in
            instance = _factory_for(model, route)(**build)
            field = getattr(route.view_class, "lookup_field", "pk") or "pk"
            values[lookup] = str(getattr(instance, field))
    if route.name is None:
        pytest.fail(f"{route}: give the route a URL name.")
    return reverse(route.name, kwargs={name: values[name] for name in route.kwargs})


def rebase(url: str, source_workspace, target_workspace) -> str:
    """The same URL (same object ids) under another workspace."""
    return url.replace(f"/workspaces/{source_workspace.pk}/", f"/workspaces/{target_workspace.pk}/", 1)


def send(client, method, url, body=None):
    if method == "get":
        return client.get(url)
    return client.generic(method.upper(), url, data=json.dumps(body or {}), content_type="application/json")


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
    "route",
    [
        pytest.param(r, id=r.pattern)
        for r in api_routes()
        if not r.scoped and r.pattern in ALLOWLIST and r.pattern not in PUBLIC_ROUTES
    ],
)
def test_allowlisted_routes_other_than_the_public_ones_need_a_sign_in(route, api_client):
    """An unscoped route is not an open one: apart from PUBLIC_ROUTES, anonymous callers get 401 on every method."""
    for method in route.methods:
        kwargs = {name: str(uuid.uuid4()) if "uuid:" in route.pattern else "x" * 43 for name in route.kwargs}
        url = reverse(route.name, kwargs=kwargs)
        response = send(api_client, method, url)
        assert response.status_code == 401, f"{method.upper()} {url} -> {response.status_code}"


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
    url = url_for(route, workspace)
    response = send(api_client, method, url)
    assert response.status_code == 401, f"{method.upper()} {url} -> {response.status_code} {response.content[:300]}"


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
    assert response.status_code not in (404, 500), f"GET {url} -> {response.status_code} {response.content[:300]}"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("route", "method"),
    [pytest.param(r, m, id=f"{m.upper()} {r.pattern}") for r in signed_routes() for m in r.methods],
)
def test_signed_routes_refuse_unsigned_requests(route, method, api_client, member, workspace):
    url = url_for(route, workspace, objects_in=workspace)
    for client in (api_client, member("owner")):
        for query in ("", "?token=forged"):
            response = send(client, method, url + query)
            assert response.status_code in (401, 403, 404), f"{method.upper()} {url}{query} -> {response.status_code}"
