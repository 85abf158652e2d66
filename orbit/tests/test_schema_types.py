"""The schema tells a typed client the truth (issue 9, "A contract a typed client can trust"): answers are
checked here against the generated schema with a strict OpenAPI 3.1 validator, the way a generated client and
a response validator read it."""

import pytest

from orbit.tests.schemas import generated, problems


def test_the_schema_is_openapi_31_with_no_nullable_left():
    """`nullable` is 3.0 only; a 3.1 validator ignores it, so a leftover would refuse the nulls it allowed."""
    schema = generated()
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
def test_a_null_reference_passes_a_strict_validator(component, field):
    """Issue 9: `allOf` + `nullable` was refused by strict validators when the server sent null."""
    assert problems(f"{component}/properties/{field}", None) == []
    assert problems(f"{component}/properties/{field}", "not an object")


def test_a_page_without_next_or_previous_passes_a_strict_validator():
    assert problems("PaginatedScopeList", {"next": None, "previous": None, "results": []}) == []


@pytest.mark.parametrize(
    ("field", "wrong"),
    [
        ("Section/properties/sources", [{"page": 1}]),
        ("Document/properties/progress", {"pages_done": "3"}),
        ("Workspace/properties/goals", [1]),
        ("ScopeDetail/properties/ai_analysis", {"risks": "many"}),
        ("LimitUsage/properties/limit", "10"),
        ("InvitationPreview/properties/workspace", {"id": 1}),
        ("AIRun/properties/result", {"suggestions": "many"}),
        ("AIRun/properties/input", {"scope_id": 5}),
        ("Export/properties/options", {"include_comments": "yes"}),
        ("Export/properties/branding", {"plan": "free"}),
        ("Readiness/properties/checks", {"database": {"ok": "yes"}}),
    ],
)
def test_json_fields_have_a_shape_instead_of_unknown(field, wrong):
    """Issue 9: these were typed `unknown`, so any value passed; now a value of the wrong shape is refused."""
    assert problems(field, wrong)


def test_activity_metadata_is_said_to_be_free_form():
    metadata = generated()["components"]["schemas"]["ActivityEvent"]["properties"]["metadata"]
    assert metadata["type"] == "object"
    assert "free-form" in metadata["description"].lower()
    assert problems("ActivityEvent/properties/metadata", {"anything": [1, {"goes": None}]}) == []


@pytest.mark.django_db
def test_real_answers_match_their_typed_fields(member, workspace):
    from documents.tests.factories import DocumentFactory
    from scopes.tests.factories import ScopeFactory, ScopeSectionFactory

    client = member("owner")
    ws = f"/api/workspaces/{workspace.pk}"
    document = DocumentFactory(workspace=workspace)
    scope = ScopeFactory(workspace=workspace)
    section = ScopeSectionFactory(scope=scope, sources=[{"document_id": str(document.pk), "page": 1, "quote": "q"}])
    workspace.goals = ["Win more bids"]
    workspace.save(update_fields=["goals"])
    answers = {
        "Section": client.get(f"{ws}/scopes/{scope.pk}/sections/{section.pk}/"),
        "ScopeDetail": client.get(f"{ws}/scopes/{scope.pk}/"),  # ai_analysis {} before any analysis
        "Document": client.get(f"{ws}/documents/{document.pk}/"),
        "Workspace": client.get(f"{ws}/"),
        "Usage": client.get(f"{ws}/billing/usage/"),
        "PaginatedActivityEventList": client.get(f"{ws}/activity/"),
        "Readiness": client.get("/api/ready/"),
    }
    for component, response in answers.items():
        assert response.status_code == 200, (component, response.content)
        assert problems(component, response.json()) == [], component
    assert answers["Section"].json()["sources"][0]["page"] == 1
    assert answers["ScopeDetail"].json()["ai_analysis"] == {}


def test_me_always_answers_full_name_and_avatar_url():
    me = generated()["components"]["schemas"]["Me"]
    assert {"full_name", "avatar_url"} <= set(me["required"])
    assert problems("Me/properties/avatar_url", "") == []


def test_no_one_of_lets_a_value_match_two_branches():
    """`avatar_url` was `oneOf: [uri, maxLength 0]`: "" matched both, so a strict validator refused it. Any
    oneOf of the schema must keep "", null and {} to one branch at most."""
    from openapi_schema_validator import OAS31Validator

    components = generated()["components"]
    ambiguous = []

    def walk(node, path):
        if isinstance(node, dict):
            for value in ("", None, {}):
                branches = node.get("oneOf", [])
                matching = [b for b in branches if OAS31Validator({**b, "components": components}).is_valid(value)]
                if len(matching) > 1:
                    ambiguous.append((path, value))
            for key, child in node.items():
                walk(child, f"{path}/{key}")
        elif isinstance(node, list):
            for index, child in enumerate(node):
                walk(child, f"{path}/{index}")

    walk(generated(), "#")
    assert not ambiguous


@pytest.mark.django_db
def test_me_without_an_avatar_matches_the_schema(auth_client):
    body = auth_client.get("/api/me/").json()
    assert body["avatar_url"] == ""
    assert problems("Me", body) == []


def test_a_second_generation_is_the_same_schema():
    """Hand-written components are copied into each generation: drf-spectacular's enum hook rewrites components
    in place, which once left the next generation with a $ref to an enum component it no longer made."""
    from drf_spectacular.generators import SchemaGenerator

    first = SchemaGenerator().get_schema(request=None, public=True)
    second = SchemaGenerator().get_schema(request=None, public=True)
    assert first == second
