"""Talking to allauth headless (app client) the way the SPA does."""

import re
from urllib.parse import unquote

from django.conf import settings
from django.core import mail
from django.test import Client

from accounts.tests.factories import DEFAULT_PASSWORD
from orbit.testing import assert_error

APP = "/_allauth/app/v1"
STRONG_PASSWORD = "violet-harbour-tangerine-42"
VERIFY_PREFIX = f"{settings.FRONTEND_URL}/verify-email/"
RESET_PREFIX = f"{settings.FRONTEND_URL}/reset-password/"


class AppClient:
    """A client of allauth's app API that keeps the latest X-Session-Token, as the SPA must."""

    def __init__(self, **defaults):
        self.http = Client(**defaults)
        self.session_token = None

    def call(self, method: str, path: str, data=None, *, session_token=..., **headers):
        token = self.session_token if session_token is ... else session_token
        if token:
            headers["HTTP_X_SESSION_TOKEN"] = token
        url = path if path.startswith("/") else f"{APP}/{path}"
        if method == "post":
            headers.update(content_type="application/json", data=data)
        response = getattr(self.http, method)(url, **headers)
        body = response.json() if response.get("Content-Type", "").startswith("application/json") else None
        response.body = body
        if body and isinstance(body.get("meta"), dict) and body["meta"].get("session_token"):
            self.session_token = body["meta"]["session_token"]
        return response

    def post(self, path, data=None, **kwargs):
        return self.call("post", path, data, **kwargs)

    def get(self, path, **kwargs):
        return self.call("get", path, None, **kwargs)

    def delete(self, path, **kwargs):
        return self.call("delete", path, None, **kwargs)


def error_codes(response) -> list[str]:
    return [error.get("code") for error in (response.body or {}).get("errors", [])]


def last_mail_link(prefix: str) -> str:
    """The key in the last mail's link that starts with `prefix`, URL-decoded as the SPA must."""
    assert mail.outbox, "no mail was sent"
    body = mail.outbox[-1].body
    match = re.search(re.escape(prefix) + r"([^\s]+)", body)
    assert match, f"no link starting with {prefix} in: {body}"
    return unquote(match.group(1))


def bearer(access_token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {access_token}"}


def allauth_error(response, status: int, code: str, *, param: str | None = None) -> None:
    """allauth's own refusal shape (`/_allauth/...`): `{"status": <status>, "errors": [{"code": <code>, ...}]}`,
    optionally naming `param`."""
    assert response.status_code == status, f"{response.status_code} {response.content[:300]!r}"
    assert response.body["status"] == status, response.body
    assert code in error_codes(response), response.body
    if param is not None:
        assert param in [error.get("param") for error in response.body["errors"]], response.body


def not_signed_in(response, *, pending: tuple = ()) -> None:
    """allauth's 401: nobody is signed in, no token pair was handed out, and `pending` are the flows left to do
    (`("verify_email",)` after a sign-up; none after a refused or ended session)."""
    assert response.status_code == 401, f"{response.status_code} {response.content[:300]!r}"
    assert response.body["meta"]["is_authenticated"] is False, response.body
    assert "access_token" not in response.body["meta"]
    assert [flow["id"] for flow in response.body["data"]["flows"] if flow.get("is_pending")] == list(pending)


def session_gone(response) -> None:
    """allauth's 410: the session token no longer names a session."""
    assert response.status_code == 410, f"{response.status_code} {response.content[:300]!r}"
    assert response.body["status"] == 410
    assert not response.body["meta"]["is_authenticated"]


def refresh_refused(app, refresh_token: str, **kwargs) -> None:
    """allauth answers a refresh token our strategy refuses with a bare `{"status": 400}`, and nothing is issued."""
    from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

    issued = OutstandingToken.objects.count()
    response = app.post("tokens/refresh", {"refresh_token": refresh_token}, **kwargs)
    assert response.status_code == 400, f"{response.status_code} {response.content[:300]!r}"
    assert response.body == {"status": 400}
    assert OutstandingToken.objects.count() == issued


def sign_up(app, email="new.person@example.com", password=STRONG_PASSWORD, full_name="Ada Lovelace"):
    return app.post("auth/signup", {"email": email, "password": password, "full_name": full_name})


def sign_in(app, email, password=DEFAULT_PASSWORD):
    return app.post("auth/login", {"email": email, "password": password})


def signed_in(user):
    app = AppClient()
    response = sign_in(app, user.email)
    assert response.status_code == 200, response.body
    return app, response.body["meta"]


def exchange_refused(session_token: str | None, code: str, **headers) -> None:
    """POST /api/auth/token/ with this session token (or none) is a 401 `code` and issues no token pair."""
    from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

    issued = OutstandingToken.objects.count()
    if session_token is not None:
        headers["HTTP_X_SESSION_TOKEN"] = session_token
    assert_error(Client().post("/api/auth/token/", **headers), 401, code)
    assert OutstandingToken.objects.count() == issued
