"""How the isolation matrix (test_isolation_matrix.py) and the role table (test_role_table.py) find every /api/
route, walking `orbit.urls` itself, and build real objects for its URL kwargs through the apps' factories.

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

HTTP_METHODS = ("get", "post", "put", "patch", "delete")

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
