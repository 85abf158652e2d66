"""Crafted bodies and error paths never answer a 500 or HTML on the API (issue 9 items 1, 2, 4), in process.
Over real HTTP (gunicorn), the same requests are sent by orbit/tests/test_http_server.py."""

import json

import pytest
from django.core.exceptions import DisallowedHost, RequestDataTooBig
from django.test import Client

from orbit.apiguard import MAX_JSON_DEPTH, json_depth_exceeds, status_response
from orbit.exception_handler import exception_handler

NESTED = "[" * 1000 + "]" * 1000
NESTED_OBJECT = '{"a":' * 1000 + "1" + "}" * 1000

AUTH_ENDPOINTS = (
    "/_allauth/app/v1/auth/login",
    "/_allauth/app/v1/auth/signup",
    "/_allauth/app/v1/tokens/refresh",
    "/_allauth/browser/v1/auth/login",
)


@pytest.fixture
def client_with_debug(settings):
    """DEBUG on, as locally: before, allauth's RecursionError rendered the debug page with settings."""
    settings.DEBUG = True
    return Client(raise_request_exception=False)


def assert_validation_error(response, field="body"):
    assert response.status_code == 400, response.content[:300]
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["error"]["code"] == "validation_error"
    assert field in body["error"]["details"]
    return body


@pytest.mark.parametrize(
    ("body", "deeper"),
    [
        (b"[]", False),
        (b"[" * MAX_JSON_DEPTH + b"]" * MAX_JSON_DEPTH, False),
        (b"[" * (MAX_JSON_DEPTH + 1) + b"]" * (MAX_JSON_DEPTH + 1), True),
        (json.dumps({"text": "[" * 500}).encode(), False),  # brackets inside strings do not nest
        (json.dumps({"t": '\\"[[' * 100}).encode(), False),  # nor after escaped quotes
        (b'{"a": [' + b"{}," * 5000 + b"{}]}", False),  # many siblings, shallow
        (NESTED_OBJECT.encode(), True),
    ],
    ids=["empty-list", "at-limit", "over-limit", "brackets-in-string", "escaped-quotes", "wide", "objects"],
)
def test_depth_scan(body, deeper):
    assert json_depth_exceeds(body) is deeper


@pytest.mark.django_db
@pytest.mark.parametrize("path", AUTH_ENDPOINTS)
@pytest.mark.parametrize("body", [NESTED, NESTED_OBJECT], ids=["arrays", "objects"])
def test_nested_body_on_the_auth_api_is_a_400_in_both_shapes(client_with_debug, path, body):
    response = client_with_debug.post(path, body, content_type="application/json")
    payload = assert_validation_error(response)
    assert payload["status"] == 400  # allauth's shape too, for allauth clients
    assert payload["errors"][0]["code"] == "validation_error"


@pytest.mark.django_db
@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded"])
def test_allauth_parses_any_content_type_so_every_auth_body_is_guarded(client_with_debug, content_type):
    response = client_with_debug.post("/_allauth/app/v1/auth/login", NESTED, content_type=content_type)
    assert_validation_error(response)


@pytest.mark.django_db
@pytest.mark.parametrize("body", ['{"email":', "not json", b"\xff\xfe"], ids=["truncated", "text", "not-utf8"])
def test_malformed_json_on_the_auth_api_answers_json(client_with_debug, body):
    response = client_with_debug.post("/_allauth/app/v1/auth/login", body, content_type="application/json")
    payload = assert_validation_error(response)
    assert payload["errors"][0]["param"] == "body"


@pytest.mark.django_db
def test_nested_body_on_orbits_api_is_a_400_signed_in_or_not(client_with_debug, auth_client, workspace):
    response = client_with_debug.post("/api/auth/logout/", NESTED, content_type="application/json")
    assert_validation_error(response)
    from workspaces.models import Membership

    Membership.objects.create(workspace=workspace, user=auth_client.user, role=Membership.Role.EDITOR)
    url = f"/api/workspaces/{workspace.pk}/projects/"
    response = auth_client.post(url, NESTED, content_type="application/json")
    assert_validation_error(response)
    assert workspace.projects.count() == 0


@pytest.mark.django_db
def test_a_json_suffix_media_type_is_guarded_too(client_with_debug):
    response = client_with_debug.post("/api/auth/logout/", NESTED, content_type="application/merge-patch+json")
    assert_validation_error(response)


@pytest.mark.django_db
def test_an_ordinary_auth_body_still_reaches_allauth(client_with_debug):
    response = client_with_debug.post(
        "/_allauth/app/v1/auth/login",
        {"email": "nobody@example.com", "password": "x" * 12},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] in ("email_password_mismatch", "invalid")  # allauth's own answer
    assert "error" not in response.json()


@pytest.mark.django_db
@pytest.mark.parametrize("debug", [True, False])
def test_an_unexpected_error_on_the_auth_api_is_json_whatever_debug_is(settings, debug, monkeypatch):
    from allauth.headless.account.views import LoginView

    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(LoginView, "handle_input", explode)  # a library view failing, not our code under test
    settings.DEBUG = debug
    response = Client(raise_request_exception=False).post(
        "/_allauth/app/v1/auth/login", {"email": "a@example.com"}, content_type="application/json"
    )
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["code"] == "server_error"
    assert b"Traceback" not in response.content
    assert response["X-Request-ID"]


@pytest.mark.django_db
def test_allauths_bare_400_for_a_body_that_is_not_an_object_becomes_json(client_with_debug):
    response = client_with_debug.post("/_allauth/app/v1/auth/login", "[1]", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_request"
    assert response.json()["status"] == 400


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/_allauth/app/v1/no-such-endpoint", "/_allauth/nothing"])
def test_unknown_auth_api_paths_are_a_json_404_even_with_debug(client_with_debug, path):
    response = client_with_debug.get(path)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert response["X-Request-ID"]


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/docs/", "/api/redoc/"])
def test_documentation_pages_stay_html(client, path):
    assert client.get(path)["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("debug", [True, False])
def test_root_answers_json_pointing_at_docs_and_health(settings, client, debug):
    settings.DEBUG = debug
    response = client.get("/")
    assert response.status_code == 200
    body = response.json()
    assert body["docs"] == "/api/docs/"
    assert body["health"].startswith("/api/health")
    assert client.get(body["health"]).status_code == 200


@pytest.mark.parametrize(
    ("status", "code", "message"),
    [
        (400, "bad_request", "The request is malformed."),
        (401, "not_authenticated", "No valid credentials were given."),
        (402, "bad_request", "The request is malformed."),  # a 4xx without an error of its own
        (403, "permission_denied", "You do not have permission to perform this action."),
        (404, "not_found", "Not found."),
        (405, "method_not_allowed", "The HTTP method is not allowed here."),
        (406, "not_acceptable", "The requested representation is not available."),
        (409, "conflict", "The request conflicts with the current state."),
        (412, "precondition_failed", "A precondition of the request failed."),
        (413, "payload_too_large", "The request body is too large."),
        (415, "unsupported_media_type", "The body type is not supported."),
        (429, "rate_limited", "Too many requests. Try again later."),
        (500, "server_error", "An unexpected error occurred. Quote the request id when reporting it."),
        (502, "server_error", "An unexpected error occurred. Quote the request id when reporting it."),
        (503, "service_unavailable", "A service Orbit depends on is unavailable."),
    ],
)
def test_a_bare_status_answers_orbits_error_of_that_status(rf, status, code, message):
    body = json.loads(status_response(rf.get("/api/anything/"), status).content)
    assert body == {"error": {"code": code, "message": message, "details": {}}}
    response = status_response(rf.get("/_allauth/app/v1/anything"), status)
    assert response.status_code == status
    assert json.loads(response.content) == {
        "status": status,
        "errors": [{"code": code, "message": message, "param": None}],
        **body,
    }


@pytest.mark.parametrize(
    ("exception", "status", "code", "message"),
    [
        (RequestDataTooBig(), 413, "payload_too_large", "The request body is too large."),
        (DisallowedHost(), 400, "bad_request", "The request is malformed."),
        (
            RuntimeError("boom"),
            500,
            "server_error",
            "An unexpected error occurred. Quote the request id when reporting it.",
        ),
    ],
    ids=["body-too-big", "suspicious", "bug"],
)
def test_drf_views_answer_django_errors_and_bugs_with_the_same_errors(exception, status, code, message):
    response = exception_handler(exception, {})
    assert response.status_code == status
    assert response.data == {"error": {"code": code, "message": message, "details": {}}}
