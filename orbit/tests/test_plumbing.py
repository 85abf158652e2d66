import io
import json
import logging

import pytest
from django.core.management import call_command
from django.urls import path
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from orbit.errors import PlanLimitExceeded
from orbit.urls import urlpatterns as orbit_urlpatterns


class BoomView(APIView):
    permission_classes = [AllowAny]

    def get(self, request):
        raise RuntimeError("secret internals")


class LimitView(APIView):
    permission_classes = [AllowAny]

    def get(self, request):
        raise PlanLimitExceeded(details={"limit": 3, "usage": 3, "plan": "free"})


class EchoView(APIView):
    permission_classes = [AllowAny]

    def post(self, request):
        if "name" not in request.data:
            raise ValidationError({"name": ["This field is required."]})
        return Response(request.data)


urlpatterns = [
    path("test/boom", BoomView.as_view()),
    path("test/limit", LimitView.as_view()),
    path("test/echo", EchoView.as_view()),
    *orbit_urlpatterns,
]


def assert_envelope(response, status, code):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code
    return body["error"]


@pytest.mark.urls("orbit.tests.test_plumbing")
class TestErrorEnvelope:
    def test_unhandled_exception_is_a_500_envelope_without_traceback(self, api_client):
        api_client.raise_request_exception = False
        response = api_client.get("/test/boom")
        error = assert_envelope(response, 500, "server_error")
        assert "secret internals" not in response.content.decode()
        assert "Traceback" not in response.content.decode()
        assert error["message"]

    def test_orbit_error_carries_code_and_details(self, api_client):
        error = assert_envelope(api_client.get("/test/limit"), 402, "plan_limit_exceeded")
        assert error["details"] == {"limit": 3, "usage": 3, "plan": "free"}

    def test_validation_error_lists_fields(self, api_client):
        error = assert_envelope(api_client.post("/test/echo", {}, format="json"), 400, "validation_error")
        assert error["details"] == {"name": ["This field is required."]}

    def test_malformed_json_is_a_parse_error(self, api_client):
        response = api_client.post("/test/echo", data="{not json", content_type="application/json")
        assert_envelope(response, 400, "parse_error")

    def test_unsupported_content_type(self, api_client):
        response = api_client.post("/test/echo", data="name=x", content_type="text/plain")
        assert_envelope(response, 415, "unsupported_media_type")

    def test_method_not_allowed(self, api_client):
        assert_envelope(api_client.delete("/test/echo"), 405, "method_not_allowed")


def test_unknown_api_path_is_a_404_envelope(api_client, db):
    assert_envelope(api_client.get("/api/does-not-exist"), 404, "not_found")


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_unknown_api_path_is_a_404_for_writes_too(method, db):
    """Not a 403 csrf_failed: a bearer client with a wrong path learns the path is wrong (found by schemathesis)."""
    from rest_framework.test import APIClient

    client = APIClient(enforce_csrf_checks=True)
    assert_envelope(getattr(client, method)("/api/workspaces/x/projects/null/"), 404, "not_found")


def test_unauthenticated_request_is_a_401_envelope(api_client, db):
    response = api_client.get("/api/me/")
    assert_envelope(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("malformed", "token_not_valid"),
        ("Bearer abc.def.ghi", "token_not_valid"),
        ("Bearer", "bad_authorization_header"),
    ],
)
def test_bad_bearer_tokens_are_401(api_client, db, header, expected):
    response = api_client.get("/api/me/", HTTP_AUTHORIZATION=header)
    if header == "malformed":
        # Not a Bearer header at all: treated as no credentials.
        assert_envelope(response, 401, "not_authenticated")
    else:
        assert_envelope(response, 401, expected)


class TestRequestId:
    def test_generated_when_missing(self, api_client, db):
        response = api_client.get("/api/health/")
        assert len(response["X-Request-ID"]) == 32

    def test_sane_incoming_id_is_kept(self, api_client, db):
        response = api_client.get("/api/health/", HTTP_X_REQUEST_ID="req-1234abcd")
        assert response["X-Request-ID"] == "req-1234abcd"

    @pytest.mark.parametrize("bad", ["short", "has spaces in it", "x" * 200, "inject\nline"])
    def test_insane_incoming_id_is_replaced(self, api_client, db, bad):
        response = api_client.get("/api/health/", HTTP_X_REQUEST_ID=bad)
        assert response["X-Request-ID"] != bad
        assert len(response["X-Request-ID"]) == 32

    def test_log_lines_are_json_with_request_and_user_id(self, auth_client):
        root = logging.getLogger()
        stream = io.StringIO()
        handler = logging.StreamHandler(stream)
        handler.setFormatter(root.handlers[0].formatter)  # the configured structlog JSON formatter
        original = root.level
        root.addHandler(handler)
        root.setLevel(logging.INFO)
        try:
            response = auth_client.get("/api/me/", HTTP_X_REQUEST_ID="trace-abcdef12")
        finally:
            root.removeHandler(handler)
            root.setLevel(original)
        assert response.status_code == 200
        lines = [json.loads(line) for line in stream.getvalue().splitlines()]
        finished = [line for line in lines if line["event"] == "request_finished"]
        assert finished[-1]["request_id"] == "trace-abcdef12"
        assert finished[-1]["user_id"] == str(auth_client.user.pk)
        assert finished[-1]["status"] == 200


def test_health_and_ready(api_client, db):
    assert api_client.get("/api/health/").json() == {"status": "ok"}
    response = api_client.get("/api/ready/")
    assert response.status_code == 200, response.json()
    assert response.json()["checks"]["migrations"] == {"ok": True, "pending": 0}
    assert response.json()["checks"]["queue"]["ok"] is True


def test_docs_work_offline(api_client, db):
    page = api_client.get("/api/docs/").content.decode()
    assert "cdn.jsdelivr" not in page
    assert "drf_spectacular_sidecar" in page
    spec_page = api_client.get("/_allauth/openapi.html").content.decode()
    assert "cdn" not in spec_page
    assert "drf_spectacular_sidecar" in spec_page


def test_schema_generates_without_warnings_and_documents_the_envelope(db, tmp_path):
    target = tmp_path / "schema.json"
    # --fail-on-warn turns every drf-spectacular warning or error into a failure.
    call_command("spectacular", "--validate", "--fail-on-warn", "--format", "openapi-json", "--file", str(target))
    schema = json.loads(target.read_text())
    assert "NotAuthenticatedError" in schema["components"]["schemas"]  # one envelope per status (issue 9)
    me = schema["paths"]["/api/me/"]["get"]["responses"]
    assert me["401"]["content"]["application/json"]["schema"]["$ref"].endswith("/NotAuthenticatedError")
    assert schema["externalDocs"]["url"] == "/_allauth/openapi.html"
    invitations = schema["paths"]["/api/workspaces/{workspace_id}/invitations/"]["get"]["responses"]
    assert invitations["403"]["content"]["application/json"]["schema"]["$ref"].endswith("/PermissionDeniedError")


def test_pagination_limit_is_capped():
    from orbit.pagination import CursorPagination

    assert CursorPagination.max_page_size == 100


class TestEnvelopeOutsideTheViews:
    """Errors Django raises before or around DRF's views still answer in the envelope."""

    def test_body_over_the_upload_limit_is_a_413(self, auth_client, settings):
        settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
        auth_client.raise_request_exception = False
        response = auth_client.patch("/api/me/", {"full_name": "x" * 2048})
        assert_envelope(response, 413, "payload_too_large")

    def test_disallowed_host_is_a_400_envelope(self, api_client, db):
        api_client.raise_request_exception = False
        response = api_client.get("/api/health/", HTTP_HOST="evil.example")
        assert_envelope(response, 400, "bad_request")

    def test_csrf_failure_is_a_403_envelope(self, db):
        from django.test import Client

        browser = Client(enforce_csrf_checks=True)
        response = browser.post("/_allauth/browser/v1/auth/login", {"email": "a@b.co", "password": "x"})
        assert_envelope(response, 403, "csrf_failed")


@pytest.mark.parametrize("cursor", ["garbage", "cD0yMDI2"])  # "p=2026": not a created_at
def test_a_malformed_cursor_is_a_400_on_the_cursor(auth_client, cursor):
    response = auth_client.get(f"/api/workspaces/?cursor={cursor}")
    error = assert_envelope(response, 400, "validation_error")
    assert "cursor" in error["details"]


def test_limit_above_the_maximum_is_a_400_on_limit(auth_client):
    """The schema says `maximum: 100`; a larger limit is refused, not silently capped (issue 9 item 8)."""
    response = auth_client.get("/api/workspaces/?limit=100000")
    error = assert_envelope(response, 400, "validation_error")
    assert list(error["details"]) == ["limit"]
