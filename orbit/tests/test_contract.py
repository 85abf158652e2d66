"""The contract check itself (`orbit/contract.py`, issue 9): real responses of the test client, checked against the
schema drf-spectacular generates and against copies of it changed so that they no longer match. Each test shows
one kind of drift being caught, by method, path, status and where in the body."""

import copy
import json
import re

import pytest
from drf_spectacular.generators import SchemaGenerator

from orbit.contract import Contract, ContractViolation, hold_test_client_to

ME = "/api/me/"


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def changed(schema, change) -> Contract:
    schema = copy.deepcopy(schema)
    change(schema)
    return Contract(schema)


def _component(schema, template, method="get", status="200") -> dict:
    ref = schema["paths"][template][method]["responses"][status]["content"]["application/json"]["schema"]["$ref"]
    return schema["components"]["schemas"][ref.rsplit("/", 1)[1]]


@pytest.mark.django_db
def test_a_real_response_holds_and_is_recorded(schema, auth_client):
    contract = Contract(schema)
    assert contract.observe(auth_client.get(ME)) == []
    assert ("GET", ME, "200") in contract.seen
    assert ("GET", ME, "200") not in contract.never_seen()
    assert ("GET", ME, "401") in contract.never_seen()


def test_an_undocumented_status_is_named_with_method_path_and_status(schema, api_client):
    contract = changed(schema, lambda s: s["paths"][ME]["get"]["responses"].pop("401"))
    problems = contract.observe(api_client.get(ME))
    assert len(problems) == 1
    assert problems[0].startswith(f"GET {ME} ({ME}) → 401: status 401 is not documented (documented: 200, 400")
    assert contract.problems == problems


@pytest.mark.django_db
def test_a_body_that_does_not_match_names_the_json_path(schema, auth_client):
    def email_is_a_number(s):
        _component(s, ME)["properties"]["email"] = {"type": "integer"}

    problems = changed(schema, email_is_a_number).observe(auth_client.get(ME))
    assert len(problems) == 1
    assert "→ 200: body at $.email: " in problems[0]
    assert "is not of type 'integer'" in problems[0]


@pytest.mark.django_db
def test_a_list_item_is_named_by_its_index(schema, member, workspace):
    def name_is_a_number(s):
        s["components"]["schemas"]["Workspace"]["properties"]["name"] = {"type": "integer"}

    contract = changed(schema, name_is_a_number)
    problems = contract.observe(member("owner").get("/api/workspaces/"))
    assert [problem.split(" → ")[1].split(" is not")[0] for problem in problems] == [
        f"200: body at $.results[0].name: {workspace.name!r}"
    ]
    assert list(contract.kinds) == [
        f"GET /api/workspaces/ → 200: body at $.results[*].name: {workspace.name!r} is not of type 'integer'"
    ]


def _headers_always_and_sometimes(answer):
    answer["headers"] = {
        "X-Always": {"schema": {"type": "string"}, "required": True},
        "X-Sometimes": {"schema": {"type": "string"}},  # not required: not checked
    }


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (_headers_always_and_sometimes, "required response header 'X-Always' is missing"),
        (
            lambda answer: answer.update(content={"application/pdf": {}}),
            "media type 'application/json' is not documented (documented: application/pdf)",
        ),
        (lambda answer: answer.pop("content"), "a application/json body is sent where none is documented"),
    ],
    ids=["required-header", "media-type", "body-where-none"],
)
@pytest.mark.django_db
def test_headers_and_media_types_are_held_to_the_documented_response(schema, auth_client, change, problem):
    contract = changed(schema, lambda s: change(s["paths"][ME]["get"]["responses"]["200"]))
    assert contract.observe(auth_client.get(ME)) == [f"GET {ME} ({ME}) → 200: {problem}"]


def test_an_api_path_outside_every_operation_still_answers_the_envelope(schema, api_client):
    contract = Contract(schema)
    response = api_client.get("/api/no-such-thing/")
    assert contract.observe(response) == []
    assert contract.unmatched == {("GET", "/api/no-such-thing/", "404"): 1}

    def envelope_needs_more(s):  # the 404 envelope, wherever documented
        for item in s["paths"].values():
            for operation in item.values():
                if "404" in operation.get("responses", {}):
                    operation["responses"]["404"]["content"]["application/json"]["schema"] = {"required": ["trace"]}

    problems = changed(schema, envelope_needs_more).observe(response)
    assert problems == ["GET /api/no-such-thing/ → 404 (no operation): body at $: 'trace' is a required property"]


def test_a_method_the_path_does_not_have_is_recorded_not_matched(schema, api_client):
    contract = Contract(schema)
    response = api_client.delete(ME)
    assert contract.observe(response) == []
    assert ("DELETE", ME, str(response.status_code)) in contract.unmatched
    assert not contract.seen


@pytest.mark.django_db
def test_documents_and_non_api_paths_are_not_checked(schema, api_client, client):
    contract = changed(schema, lambda s: s["paths"].clear())
    assert contract.observe(api_client.get("/api/schema/")) == []
    assert contract.observe(client.get("/_allauth/app/v1/config")) == []
    assert not contract.seen
    assert not contract.unmatched


def test_the_most_literal_template_wins(schema):
    contract = Contract(schema)
    ws = "/api/workspaces/{workspace_id}"
    assert contract.template_for("/api/workspaces/w1/scopes/trash/") == f"{ws}/scopes/trash/"
    assert contract.template_for("/api/workspaces/w1/scopes/s1/") == f"{ws}/scopes/{{id}}/"
    sections = f"{ws}/scopes/{{scope_id}}/sections/{{id}}/"
    assert contract.template_for("/api/workspaces/w1/scopes/s1/sections/x/") == sections
    assert contract.template_for("/api/workspaces/w1/scopes/s1/nope/") is None


def test_holding_the_client_to_a_contract_fails_the_request_that_breaks_it(schema, api_client):
    contract = changed(schema, lambda s: s["paths"][ME]["get"]["responses"].pop("401"))
    with hold_test_client_to(contract), pytest.raises(ContractViolation) as caught:
        api_client.get(ME)
    assert f"GET {ME} ({ME}) → 401: status 401 is not documented" in str(caught.value)
    assert api_client.get(ME).status_code == 401  # released afterwards


def test_every_generation_of_the_schema_is_whole_and_the_same(schema):
    """The schema is generated per request of /api/schema/ (and here once per session): a second generation in the
    same process referred to enum components it no longer created (hand-written components rewritten in place)."""
    again = SchemaGenerator().get_schema(request=None, public=True)
    refs = set(re.findall(r'"#/components/schemas/([^"]+)"', json.dumps(again)))
    assert refs - set(again["components"]["schemas"]) == set()
    assert again == schema


def test_headers_are_documented_as_always_sent_or_not(schema):
    ws = "/api/workspaces/{workspace_id}"
    assert schema["paths"][f"{ws}/scopes/{{id}}/"]["get"]["responses"]["200"]["headers"]["ETag"]["required"] is True
    replayed = schema["paths"][f"{ws}/scopes/"]["post"]["responses"]["201"]["headers"]["Idempotent-Replayed"]
    assert replayed["required"] is False


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_answers_of_a_real_server_are_held_to_it_too(schema):
    """The slow tests talk to gunicorn with `requests`: those answers are checked the same way."""
    import requests

    from orbit.testing import serve

    contract = changed(schema, lambda s: s["paths"][ME]["get"]["responses"].pop("401"))
    with serve() as url, hold_test_client_to(contract), pytest.raises(ContractViolation) as caught:
        requests.get(f"{url}{ME}", timeout=10)
    assert f"GET {ME} ({ME}) → 401: status 401 is not documented" in str(caught.value)
