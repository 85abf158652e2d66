"""Talking to allauth headless (app client) the way the SPA does."""

import re
from urllib.parse import unquote

from django.core import mail
from django.test import Client

APP = "/_allauth/app/v1"
STRONG_PASSWORD = "violet-harbour-tangerine-42"


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
