"""The generated OpenAPI schema and a strict OpenAPI 3.1 check of a value against one of its components, for
tests that pin what the schema says about a field to what the server really sends."""

from functools import cache

from drf_spectacular.generators import SchemaGenerator
from openapi_schema_validator import OAS31Validator


@cache
def generated() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def problems(component: str, value) -> list[str]:
    """What a strict 3.1 validator says about `value` as an instance of `component` (empty: it is valid).
    `component` may point inside one, e.g. "Scope/properties/project"."""
    root = {"$ref": f"#/components/schemas/{component}", "components": generated()["components"]}
    return [f"{list(error.absolute_path)}: {error.message}" for error in OAS31Validator(root).iter_errors(value)]
