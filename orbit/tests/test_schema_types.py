"""The schema tells a typed client the truth (issue 9, "A contract a typed client can trust"): answers are
checked here against the generated schema with a strict OpenAPI 3.1 validator, the way a generated client and
a response validator read it."""

import pytest
from drf_spectacular.generators import SchemaGenerator
from openapi_schema_validator import OAS31Validator


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def errors(schema, component, value) -> list[str]:
    """What a strict 3.1 validator says about `value` as an instance of `component` (empty: valid)."""
    root = {"$ref": f"#/components/schemas/{component}", "components": schema["components"]}
    return [error.message for error in OAS31Validator(root).iter_errors(value)]


def test_the_schema_is_openapi_31_with_no_nullable_left(schema):
    """`nullable` is 3.0 only; a 3.1 validator ignores it, so a leftover would refuse the nulls it allowed."""
    assert schema["openapi"].startswith("3.1")
    leftovers = []

    def walk(node, path):
        if isinstance(node, dict):
            if "nullable" in node:
                leftovers.append(path)
            for key, value in node.items():
                walk(value, f"{path}/{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, f"{path}/{index}")

    walk(schema, "#")
    assert not leftovers


@pytest.mark.parametrize(
    ("component", "field"),
    [
        ("ActivityEvent", "actor"),
        ("Membership", "invited_by"),
        ("Invitation", "invited_by"),
        ("Scope", "project"),
        ("Scope", "created_by"),
        ("Reply", "author"),
        ("Reply", "resolved_by"),
    ],
)
def test_a_null_reference_passes_a_strict_validator(schema, component, field):
    """Issue 9: `allOf` + `nullable` was refused by strict validators when the server sent null."""
    properties = schema["components"]["schemas"][component]["properties"]
    field_schema = {"$ref": f"#/components/schemas/{component}/properties/{field}"}
    root = {**field_schema, "components": schema["components"]}
    assert not list(OAS31Validator(root).iter_errors(None)), properties[field]
    assert list(OAS31Validator(root).iter_errors("not an object"))


def test_a_page_without_next_or_previous_passes_a_strict_validator(schema):
    page = {"next": None, "previous": None, "results": []}
    assert errors(schema, "PaginatedScopeList", page) == []
