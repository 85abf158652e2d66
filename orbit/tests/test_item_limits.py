"""Every array of a request body has a maximum number of items, shown in the schema as maxItems, and a longer
array is a 400 `validation_error` naming the field (issue 9, "References and sizes": a section's sources and a
template's sections took any number). The one exception is a reorder's `order`, which must list exactly the
scope's sections and says so. The numbers live in orbit/errors.py, next to the text maxima."""

import uuid

import pytest
from drf_spectacular.generators import SchemaGenerator

from orbit.errors import MAX_SOURCES, MAX_TEMPLATE_SECTIONS
from orbit.testing import assert_error
from orbit.tests.schemas import problems
from orbit.tests.test_field_limits import _request_components
from scopes.models import ScopeSection
from scopes.tests.factories import ScopeFactory, ScopeSectionFactory
from templates.models import Template
from templates.tests.factories import TemplateFactory

BOUNDED_BY_RULE = {"ReorderRequest.order"}  # exactly the scope's sections (its description says so)


def _unbounded_arrays(components, schema, path, seen):
    if "$ref" in schema:
        target = schema["$ref"].split("/")[-1]
        if target not in seen:
            seen.add(target)
            yield from _unbounded_arrays(components, components[target], target, seen)
        return
    if schema.get("type") == "array":
        if "maxItems" not in schema:
            yield path
        yield from _unbounded_arrays(components, schema.get("items", {}), f"{path}[]", seen)
    for key, value in schema.get("properties", {}).items():
        yield from _unbounded_arrays(components, value, f"{path}.{key}", seen)
    for key in ("allOf", "oneOf", "anyOf"):
        for value in schema.get(key, []):
            yield from _unbounded_arrays(components, value, path, seen)


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def test_every_request_array_has_a_maximum_number_of_items(schema):
    components = schema["components"]["schemas"]
    names = sorted(set(_request_components(schema)))
    unbounded = {path for name in names for path in _unbounded_arrays(components, components[name], name, set())}
    assert unbounded == BOUNDED_BY_RULE, f"Request arrays without maxItems: {unbounded - BOUNDED_BY_RULE}"
    assert "the scope's section count" in components["ReorderRequest"]["properties"]["order"]["description"]


def test_the_schema_shows_the_maxima_on_both_sides(schema):
    components = schema["components"]["schemas"]
    for name in ("SectionInputRequest", "PatchedSectionInputRequest", "Section"):
        assert components[name]["properties"]["sources"]["maxItems"] == MAX_SOURCES == 50, name
    for name in ("TemplateInputRequest", "PatchedTemplateInputRequest", "Template"):
        assert components[name]["properties"]["sections"]["maxItems"] == MAX_TEMPLATE_SECTIONS == 200, name


def _sources(n):
    return [{"document_id": str(uuid.uuid4()), "page": 1, "quote": "q"} for _ in range(n)]


def _sections(n):
    return [{"title": f"S{i}", "content": "c"} for i in range(n)]


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["post", "patch"])
def test_too_many_sources_is_a_400_naming_sources(member, workspace, method):
    scope = ScopeFactory(workspace=workspace)
    url = f"/api/workspaces/{workspace.pk}/scopes/{scope.pk}/sections/"
    client = member("editor")
    if method == "patch":
        section = ScopeSectionFactory(scope=scope)
        url, headers = f"{url}{section.pk}/", {"HTTP_IF_MATCH": f'"{section.version}"'}
    else:
        headers = {}
    response = getattr(client, method)(url, {"title": "S", "sources": _sources(MAX_SOURCES + 1)}, **headers)
    details = assert_error(response, 400, "validation_error")
    assert "no more than 50" in str(details["sources"])
    assert all(s.sources == [] for s in ScopeSection.objects.filter(scope=scope))


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["post", "patch", "put"])
def test_too_many_template_sections_is_a_400_naming_sections(member, workspace, method):
    client = member("editor")
    url = f"/api/workspaces/{workspace.pk}/templates/"
    body = {"name": "T", "sections": _sections(MAX_TEMPLATE_SECTIONS + 1)}
    if method != "post":
        template = TemplateFactory(workspace=workspace, sections=[])
        url = f"{url}{template.pk}/"
    details = assert_error(getattr(client, method)(url, body), 400, "validation_error")
    assert "no more than 200" in str(details["sections"])
    assert all(len(t.sections) == 0 for t in Template.objects.filter(workspace=workspace))
    body["sections"] = _sections(MAX_TEMPLATE_SECTIONS)  # the maximum itself is fine
    assert getattr(client, method)(url, body).status_code in (200, 201)


@pytest.mark.django_db
def test_a_template_from_a_scope_bigger_than_a_template_is_a_400_naming_scope_id(member, workspace):
    """The API would refuse the template's sections in a body, so it does not make such a template from a scope
    either (nor drop sections silently)."""
    scope = ScopeFactory(workspace=workspace)
    ScopeSection.objects.bulk_create(
        ScopeSection(scope=scope, title=f"S{i}", position=i) for i in range(MAX_TEMPLATE_SECTIONS + 1)
    )
    url = f"/api/workspaces/{workspace.pk}/templates/"
    details = assert_error(member("editor").post(url, {"scope_id": str(scope.pk)}), 400, "validation_error")
    assert "at most 200" in details["scope_id"][0]
    assert not Template.objects.filter(workspace=workspace).exists()
    ScopeSection.objects.filter(scope=scope, position=MAX_TEMPLATE_SECTIONS).delete()
    response = member("editor").post(url, {"scope_id": str(scope.pk)})
    assert response.status_code == 201
    assert len(response.json()["sections"]) == MAX_TEMPLATE_SECTIONS


@pytest.mark.django_db
def test_a_long_order_of_unknown_ids_is_a_400_naming_order(member, workspace):
    """`order` has no maxItems: it must be the scope's sections. Thousands of repeated unknown ids are answered
    at once (the duplicates are counted, not searched for each id)."""
    scope = ScopeFactory(workspace=workspace)
    ScopeSectionFactory(scope=scope)
    ids = [str(uuid.uuid4()) for _ in range(5_000)]
    url = f"/api/workspaces/{workspace.pk}/scopes/{scope.pk}/sections/reorder/"
    details = assert_error(member("editor").post(url, {"order": ids + ids}), 400, "validation_error")
    assert details["order"]
    assert len(details["duplicates"]) == len(details["unknown"]) == 5_000


@pytest.mark.django_db
def test_a_template_made_from_a_scope_is_accepted_back_as_read(member, workspace):
    """The template takes the scope's title and summary, which may be longer than a template's name (200) and
    description (5,000): they are cut at a word boundary, so the template validates against the schema and a PUT
    of it as read is a 200."""
    client = member("editor")
    scope = ScopeFactory(workspace=workspace, title="Permit portal " * 21, summary="A long brief. " * 1_400)
    ScopeSectionFactory(scope=scope, title="Overview")
    url = f"/api/workspaces/{workspace.pk}/templates/"
    template = client.post(url, {"scope_id": str(scope.pk)}).json()
    assert problems("Template", template) == []
    assert template["name"] == ("Permit portal " * 21)[:200].rsplit(" ", 1)[0]
    assert 4_900 < len(template["description"]) <= 5_000
    assert scope.summary.startswith(template["description"])
    body = {key: template[key] for key in ("name", "description", "category", "sections")}
    response = client.put(f"{url}{template['id']}/", body)
    assert response.status_code == 200, response.json()
