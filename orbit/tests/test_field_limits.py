"""Every free-text field of a request body has a maximum length, shown in the schema, and a longer value is a
400 `validation_error` naming the field (issue 9 item 7: a 2 MB project description, a 3 MB section content and a
3 MB scope summary were accepted)."""

import pytest
from drf_spectacular.generators import SchemaGenerator

from orbit.testing import assert_error
from scopes.models import Project, Scope, ScopeSection
from scopes.tests.factories import ScopeFactory


def _request_components(schema):
    for operations in schema["paths"].values():
        for operation in operations.values():
            if not isinstance(operation, dict):
                continue
            for content in operation.get("requestBody", {}).get("content", {}).values():
                ref = content["schema"].get("$ref")
                if ref:
                    yield ref.split("/")[-1]


def _unbounded(components, name, schema, path, seen):
    if "$ref" in schema:
        target = schema["$ref"].split("/")[-1]
        if target in seen:
            return
        seen.add(target)
        yield from _unbounded(components, target, components[target], f"{path}>{target}", seen)
        return
    if schema.get("type") == "string" and not {"maxLength", "enum", "format"} & set(schema):
        yield path
    if schema.get("type") == "array":
        yield from _unbounded(components, name, schema.get("items", {}), f"{path}[]", seen)
    for key, value in schema.get("properties", {}).items():
        yield from _unbounded(components, name, value, f"{path}.{key}", seen)
    for key in ("allOf", "oneOf", "anyOf"):
        for value in schema.get(key, []):
            yield from _unbounded(components, name, value, path, seen)


def test_every_request_string_has_a_maximum_length():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema["components"]["schemas"]
    names = sorted(set(_request_components(schema)))
    assert len(names) > 20
    unbounded = [p for name in names for p in _unbounded(components, name, components[name], name, set())]
    assert not unbounded, f"Request strings without maxLength (or enum/format): {unbounded}"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("projects/", {"name": "P", "description": "x" * 2_000_000}, "description"),
        ("scopes/", {"title": "S", "summary": "x" * 3_000_000}, "summary"),
        ("scopes/{scope}/sections/", {"title": "S", "content": "x" * 3_000_000}, "content"),
    ],
)
def test_an_over_long_text_is_a_400_naming_the_field(member, workspace, path, body, field):
    scope = ScopeFactory(workspace=workspace)
    url = f"/api/workspaces/{workspace.pk}/{path.format(scope=scope.pk)}"
    response = member("editor").post(url, body)
    assert field in assert_error(response, 400, "validation_error")
    assert (Project.objects.count(), Scope.objects.count(), ScopeSection.objects.count()) == (0, 1, 0)
