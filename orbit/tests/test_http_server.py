"""The server's own answers over real HTTP (gunicorn with gunicorn.conf.py, DEBUG on as locally): crafted
bodies, a huge request line or headers, and the root never give HTML or a 500 (issue 9 items 1-4)."""

import json
import socket
from urllib.parse import urlsplit

import pytest
import requests

from orbit.testing import serve

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

NESTED = "[" * 1000 + "]" * 1000


@pytest.fixture(scope="module")
def server(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), serve(DEBUG="true") as url:
        yield url


def raw(url: str, request: bytes) -> tuple[int, dict, bytes]:
    """Send bytes as they are (requests would refuse or rewrite some of these) and read the whole answer."""
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        sock.sendall(request)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, v in (line.split(":", 1) for line in lines[1:])}
    return int(lines[0].split()[1]), headers, body


def assert_envelope(status, headers, body, expected_status, code):
    assert status == expected_status, body[:300]
    assert headers["content-type"] == "application/json", body[:300]
    assert json.loads(body)["error"]["code"] == code


@pytest.mark.parametrize(
    "path",
    [
        "/_allauth/app/v1/auth/login",
        "/_allauth/app/v1/auth/signup",
        "/_allauth/app/v1/tokens/refresh",
        "/api/auth/logout/",
    ],
)
def test_a_deeply_nested_body_is_a_400_validation_error(server, path):
    response = requests.post(server + path, data=NESTED, headers={"Content-Type": "application/json"}, timeout=10)
    assert_envelope(response.status_code, response.headers, response.content, 400, "validation_error")


def test_a_truncated_body_on_the_auth_api_answers_json(server):
    response = requests.post(
        server + "/_allauth/app/v1/auth/login", data='{"email":', headers={"Content-Type": "application/json"}
    )
    assert_envelope(response.status_code, response.headers, response.content, 400, "validation_error")
    assert response.json()["status"] == 400


def test_a_request_line_over_the_limit_answers_json(server):
    status, headers, body = raw(server, b"GET /api/invitations/" + b"A" * 5000 + b"/ HTTP/1.1\r\nHost: x\r\n\r\n")
    assert_envelope(status, headers, body, 400, "bad_request")


def test_too_many_headers_answer_json(server):
    extra = b"".join(b"X-Extra-%d: 1\r\n" % n for n in range(60))
    status, headers, body = raw(server, b"GET /api/health/ HTTP/1.1\r\nHost: x\r\n" + extra + b"\r\n")
    assert_envelope(status, headers, body, 431, "bad_request")


def test_a_header_over_the_size_limit_answers_json(server):
    status, headers, body = raw(server, b"GET /api/health/ HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 9000 + b"\r\n\r\n")
    assert_envelope(status, headers, body, 431, "bad_request")


def test_a_malformed_request_line_answers_json(server):
    status, headers, body = raw(server, b"NOT A REQUEST\r\n\r\n")
    assert_envelope(status, headers, body, 400, "bad_request")


def test_the_root_answers_json(server):
    response = requests.get(server + "/", timeout=10)
    assert response.status_code == 200
    assert response.json()["docs"] == "/api/docs/"


def test_an_unknown_auth_api_path_is_json_with_debug_on(server):
    response = requests.get(server + "/_allauth/app/v1/nothing-here", timeout=10)
    assert_envelope(response.status_code, response.headers, response.content, 404, "not_found")
