"""The URL convention (README, "API conventions"), checked over the generated OpenAPI schema and the URL
resolver, so a route of any app, present or future, that breaks it fails here without anyone editing this file.

- Every /api/ path ends in "/".
- The workspace is `{workspace_id}`, right after `workspaces/`.
- A parent is `{<kind>_id}`, right after the plural of its kind (`scopes/{scope_id}/sections/`).
- The addressed object is `{id}` (the last parameter), right after its collection.
- Actions are sub-paths of lower-case words joined by hyphens (`.../{id}/confirm/`, `billing/usage/`).
- allauth's own paths (`/_allauth/...`) are allauth's and not checked.
"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from drf_spectacular.generators import SchemaGenerator

# Paths whose last parameter is not an object id, with the reason. Keep this short.
NOT_AN_ID = {
    "/api/invitations/{token}/": "An invitation link is addressed by its secret token, the only credential.",
    "/api/invitations/{token}/accept/": "Same token as the preview.",
}

_PARAM = re.compile(r"^\{([a-z_]+)\}$")
_WORD = re.compile(r"^[a-z]+(-[a-z]+)*$")


def convention_errors(path: str) -> list[str]:
    """What is wrong with one OpenAPI path (empty when it follows the convention)."""
    if not path.startswith("/api/"):
        return [f"{path}: Orbit's API lives under /api/"]
    errors = []
    if not path.endswith("/"):
        errors.append(f"{path}: does not end in '/'")
    segments = path.strip("/").split("/")[1:]
    params = [i for i, segment in enumerate(segments) if _PARAM.match(segment)]
    for position, index in enumerate(params):
        name = _PARAM.match(segments[index]).group(1)
        before = segments[index - 1] if index else ""
        if name == "workspace_id":
            if before != "workspaces":
                errors.append(f"{path}: {{workspace_id}} must follow 'workspaces/'")
        elif name == "id":
            if position != len(params) - 1:
                errors.append(f"{path}: {{id}} is the addressed object, so the last parameter")
        elif name.endswith("_id"):
            if before != f"{name[:-3].replace('_', '-')}s":
                errors.append(f"{path}: {{{name}}} names a parent; it must come right after '{name[:-3]}s/'")
        elif path not in NOT_AN_ID:
            errors.append(f"{path}: {{{name}}} is neither {{id}} nor a parent {{<kind>_id}}")
    for segment in segments:
        if not _PARAM.match(segment) and not _WORD.match(segment):
            errors.append(f"{path}: segment {segment!r} is not lower-case words joined by '-'")
    return errors


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def test_every_documented_path_follows_the_convention(schema):
    errors = [error for path in schema["paths"] for error in convention_errors(path)]
    assert not errors, "Routes that break the URL convention (README, API conventions):\n" + "\n".join(errors)


def test_the_schema_documents_the_routes_this_test_expects(schema):
    """Guards against a check that passes because it sees nothing."""
    paths = set(schema["paths"])
    assert "/api/workspaces/{workspace_id}/scopes/{scope_id}/sections/{id}/" in paths
    assert "/api/workspaces/{workspace_id}/billing/usage/" in paths
    assert len(paths) > 50


def _walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def test_every_api_route_ends_in_a_slash():
    """Also the routes the schema leaves out (the signed blob URLs). The catch-all 404 is the one exception."""
    routes = [route for route, _ in _walk(get_resolver().url_patterns) if route.startswith("api/")]
    assert len(routes) > 50
    bad = [route for route in routes if not route.endswith("/") and route != "^api/" and "(?P<format>" not in route]
    assert not bad, f"/api/ routes without a trailing slash: {bad}"


def test_every_app_mounts_its_api_urls_once_from_orbit_urls():
    """One way to mount: `path("", include("<app>.api.urls"))` at /api/ in orbit/urls.py, nowhere else."""
    from orbit import urls

    api = next(p for p in urls.urlpatterns if isinstance(p, URLResolver) and str(p.pattern) == "api/")
    mounted = [
        entry.urlconf_name.__name__
        for entry in api.url_patterns
        if isinstance(entry, URLResolver) and hasattr(entry.urlconf_name, "__name__")
    ]
    assert sorted(mounted) == sorted(f"{app}.api.urls" for app in urls.API_APPS)
    assert all(str(entry.pattern) == "" for entry in api.url_patterns if isinstance(entry, URLResolver))
    for app in urls.API_APPS:
        module = __import__(f"{app}.api.urls", fromlist=["urlpatterns"])
        nested = [
            str(entry.urlconf_name)
            for entry in module.urlpatterns
            if isinstance(entry, URLResolver)
            if isinstance(entry.urlconf_name, str)
        ]
        assert not nested, f"{app}.api.urls includes another app's urls {nested}: mount it from orbit/urls.py"


@pytest.mark.parametrize(
    ("path", "problem"),
    [
        ("/api/workspaces/{workspace_id}/documents/{id}/confirm", "does not end in '/'"),
        ("/api/workspaces/{workspace_id}/scopes/{scope_pk}/sections/", "{scope_pk} is neither"),
        ("/api/workspaces/{workspace_id}/scopes/{pk}/", "{pk} is neither"),
        ("/api/workspace/{workspace_id}/", "must follow 'workspaces/'"),
        ("/api/workspaces/{workspace_id}/members/{scope_id}/", "right after 'scopes/'"),
        ("/api/workspaces/{workspace_id}/projects/{scope_id}/sections/", "{scope_id} names a parent"),
        ("/api/workspaces/{workspace_id}/scopes/{id}/sections/{section_id}/", "the last parameter"),
        ("/api/workspaces/{workspace_id}/billing/Usage/", "not lower-case words"),
        ("/api/workspaces/{workspace_id}/transfer_ownership/", "not lower-case words"),
    ],
)
def test_the_check_catches_each_kind_of_break(path, problem):
    errors = convention_errors(path)
    assert errors
    assert any(problem in error for error in errors), errors


@pytest.mark.parametrize(
    "path",
    [
        "/api/workspaces/{workspace_id}/scopes/{scope_id}/comments/{id}/resolve/",
        "/api/workspaces/{workspace_id}/documents/{id}/upload-url/",
        "/api/invitations/{token}/accept/",
        "/api/me/",
    ],
)
def test_the_check_accepts_conforming_paths(path):
    assert convention_errors(path) == []
