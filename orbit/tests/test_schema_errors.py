"""Each error status is documented with the `details` it really carries (issue 9: `details` was
`{[key: string]: unknown}`): every error response of every operation references its status's envelope, and real
refusals sent over HTTP validate against that envelope with a strict OpenAPI 3.1 validator."""

import gc
from types import SimpleNamespace

import pytest
from django.core.exceptions import ImproperlyConfigured

from orbit.error_schemas import DETAILS_BY_STATUS
from orbit.errors import Conflict, OrbitError, codes_by_status, error_codes_by_status
from orbit.tests.schemas import generated, problems
from scopes.tests.factories import ScopeFactory

WS = "/api/workspaces"


@pytest.fixture(scope="module")
def schema():
    return generated()


def assert_matches(schema, response, status: int) -> dict:
    """The answer has `status` and validates against the envelope the schema documents for that status."""
    assert response.status_code == status, response.content
    component = DETAILS_BY_STATUS[str(status)][0]
    body = response.json()
    assert not problems(component, body), (component, body)
    return body["error"]["details"]


def test_every_error_response_references_its_status_envelope(schema):
    wrong = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                if status[0] in "45" and path != "/api/ready/":  # readiness answers its checks, not an error
                    ref = response["content"]["application/json"]["schema"].get("$ref", "")
                    if ref != f"#/components/schemas/{DETAILS_BY_STATUS[status][0]}":
                        wrong.append((method, path, status, ref))
    assert not wrong


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_every_code_is_listed_under_the_status_it_answers_with():
    """Orbit's coded errors (every app's, loaded with the URLs) each appear under their status with their own
    description, so the code enum of that status's envelope is complete; and every status listed has an envelope."""
    import orbit.urls  # noqa: F401  (imports every app's views, services and errors)

    listed = error_codes_by_status()
    assert {(sub.http_status, sub.code, sub.description) for sub in _subclasses(OrbitError)} <= {
        (status, code, meaning) for status, codes in listed.items() for code, meaning in codes.items()
    }
    assert {"last_owner", "invitation_used"} <= set(listed[409])  # another app's classes
    assert {"token_not_valid", "password_changed"} <= set(listed[401])  # codes no OrbitError carries
    assert set(listed) == {int(status) for status in DETAILS_BY_STATUS}


def _error(code, status, description):
    return SimpleNamespace(code=code, http_status=status, description=description)


def test_codes_are_listed_by_status_then_code_with_the_other_codes():
    classes = [_error("gone", 410, "Gone."), _error("b", 400, "B."), _error("a", 400, "A."), _error("a", 400, "A.")]
    listed = codes_by_status(classes, {400: {"c": "C."}, 401: {"d": "D."}})
    assert listed == {400: {"a": "A.", "b": "B.", "c": "C."}, 401: {"d": "D."}, 410: {"gone": "Gone."}}
    assert [list(codes) for codes in listed.values()] == [["a", "b", "c"], ["d"], ["gone"]]


@pytest.mark.parametrize(
    ("classes", "others"),
    [
        ([_error("a", 400, "A."), _error("a", 409, "A.")], {}),  # one code, two statuses
        ([_error("a", 400, "A."), _error("a", 400, "Another.")], {}),  # one code, two meanings
        ([_error("a", 400, "A.")], {401: {"a": "A."}}),  # a class's code among the others
    ],
    ids=["two-statuses", "two-meanings", "class-and-other"],
)
def test_a_code_with_two_meanings_is_refused(classes, others):
    with pytest.raises(ImproperlyConfigured, match="'a'"):
        codes_by_status(classes, others)


def test_a_class_with_a_code_of_its_own_must_describe_it():
    with pytest.raises(TypeError, match="'teapot'"):

        class Teapot(Conflict):
            code = "teapot"

    with pytest.raises(TypeError, match="'error'"):

        class Vague(OrbitError):  # the base's code, which means nothing
            default_message = "Something."

    gc.collect()  # the refused classes leave OrbitError's subclasses
    assert "teapot" not in {sub.code for sub in _subclasses(OrbitError)}


@pytest.mark.django_db
class TestRealRefusalsMatchTheirEnvelope:
    def test_412_carries_the_current_version(self, schema, member, workspace):
        scope = ScopeFactory(workspace=workspace)
        response = member("editor").patch(
            f"{WS}/{workspace.pk}/scopes/{scope.pk}/", {"title": "x"}, HTTP_IF_MATCH='"9"'
        )
        assert assert_matches(schema, response, 412) == {"expected_version": 9, "current_version": scope.version}

    def test_412_for_a_malformed_if_match(self, schema, member, workspace):
        scope = ScopeFactory(workspace=workspace)
        response = member("editor").patch(f"{WS}/{workspace.pk}/scopes/{scope.pk}/", {"title": "x"}, HTTP_IF_MATCH="x")
        assert assert_matches(schema, response, 412) == {"if_match": "x", "current_version": 1}

    def test_402_carries_limit_usage_and_plan(self, schema, member, workspace):
        ScopeFactory.create_batch(3, workspace=workspace)
        details = assert_matches(schema, member("editor").post(f"{WS}/{workspace.pk}/scopes/", {}), 402)
        assert (details["limit"], details["usage"], details["plan"]) == (3, 3, "free")

    def test_409_of_a_refused_transition_lists_the_allowed_ones(self, schema, member, workspace):
        scope = ScopeFactory(workspace=workspace, status="sent")
        response = member("editor").post(f"{WS}/{workspace.pk}/scopes/{scope.pk}/transition/", {"status": "draft"})
        assert assert_matches(schema, response, 409)["allowed"] == ["archived"]

    def test_415_of_an_upload_lists_the_accepted_types(self, schema, member, workspace):
        body = {"filename": "a.exe", "size": 2, "content_type": "application/x-msdownload"}
        details = assert_matches(schema, member("editor").post(f"{WS}/{workspace.pk}/documents/", body), 415)
        assert "application/pdf" in details["accepted"]

    def test_415_of_a_body_type_lists_the_accepted_ones(self, schema, member, workspace):
        response = member("editor").post(f"{WS}/{workspace.pk}/scopes/", "x", content_type="text/plain")
        assert "application/json" in assert_matches(schema, response, 415)["accepted"]

    def test_400_names_nested_fields(self, schema, member, workspace):
        scope = ScopeFactory(workspace=workspace)
        body = {"title": "T", "sources": [{"document_id": "not-a-uuid", "page": 1}]}
        response = member("editor").post(f"{WS}/{workspace.pk}/scopes/{scope.pk}/sections/", body, format="json")
        assert "sources" in assert_matches(schema, response, 400)

    def test_400_of_a_body_that_is_not_json(self, schema, member, workspace):
        response = member("editor").post(f"{WS}/{workspace.pk}/scopes/", "{", content_type="application/json")
        assert assert_matches(schema, response, 400) == {}

    def test_401_of_a_bad_token(self, schema, api_client):
        response = api_client.get("/api/me/", HTTP_AUTHORIZATION="Bearer not-a-token")
        assert assert_matches(schema, response, 401)["messages"]

    def test_404_names_ids_not_in_the_workspace(self, schema, member, workspace, other_workspace):
        foreign = ScopeFactory(workspace=other_workspace)
        response = member("editor").post(f"{WS}/{workspace.pk}/favourites/", {"scope_id": str(foreign.pk)})
        assert assert_matches(schema, response, 404) == {"scope_id": [str(foreign.pk)]}

    def test_422_of_a_reused_idempotency_key(self, schema, member, workspace):
        editor = member("editor")
        url = f"{WS}/{workspace.pk}/scopes/"
        assert editor.post(url, {"title": "A"}, HTTP_IDEMPOTENCY_KEY="k").status_code == 201
        details = assert_matches(schema, editor.post(url, {"title": "B"}, HTTP_IDEMPOTENCY_KEY="k"), 422)
        assert details["first_request"]["method"] == "POST"
