"""Library internals Orbit relies on (orbit/internals.py), pinned: an upgrade fails here, by name, first."""

import inspect
import json
import re
import time
from importlib.metadata import version
from pathlib import Path

import pytest
from allauth.core import ratelimit as public_ratelimit
from django.conf import settings
from django.contrib.auth import SESSION_KEY, login
from django.core.cache import cache
from django.test import RequestFactory
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from gunicorn.workers.base import Worker

from accounts.services import session_user_of
from orbit import internals


@pytest.mark.parametrize(("package", "pinned"), sorted(internals.PINNED.items()))
def test_installed_versions_are_the_ones_the_adapters_were_written_for(package, pinned):
    installed = version(package)
    assert installed == pinned, (
        f"{package} is now {installed}, orbit/internals.py was written against {pinned}. Re-read the private "
        f"code named in orbit/internals.py in the new {package}, run these tests, then update PINNED."
    )


def test_the_private_names_exist_with_the_signatures_used():
    from allauth.core.internal import ratelimit

    assert list(inspect.signature(ratelimit.get_rates).parameters) == ["app", "action", "config"]
    assert list(inspect.signature(ratelimit.get_cache_key).parameters)[:5] == [
        "request",
        "app",
        "action",
        "rate",
        "key",
    ]
    assert list(inspect.signature(SpectacularAutoSchema._get_response_bodies).parameters) == ["self", "direction"]
    assert "direction" in inspect.signature(SpectacularAutoSchema._get_response_for_code).parameters
    assert list(inspect.signature(Worker.handle_error).parameters) == ["self", "req", "client", "addr", "exc"]


def test_gunicorns_error_page_is_rewritten_as_the_envelope():
    from gunicorn import util
    from gunicorn.http.errors import LimitRequestLine

    from orbit.gunicorn_worker import JsonErrorsSyncWorker, _Capture, json_error

    page = _Capture()
    util.write_error(page, 431, "Request Header Fields Too Large", "Error parsing headers: 'limit'")
    head, _, body = json_error(page.data).partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 431 Request Header Fields Too Large\r\n")
    assert b"Content-Type: application/json" in head
    assert json.loads(body)["error"]["code"] == "bad_request"

    class Log:
        def warning(self, *args):
            pass

    worker = JsonErrorsSyncWorker.__new__(JsonErrorsSyncWorker)  # handle_error needs only a log
    worker.log = Log()
    client = _Capture()
    worker.handle_error(None, client, ("127.0.0.1", 1), LimitRequestLine(5000, 4094))
    status_line, _, rest = client.data.partition(b"\r\n")
    assert status_line == b"HTTP/1.1 400 Bad Request"
    assert json.loads(rest.partition(b"\r\n\r\n")[2])["error"]["code"] == "bad_request"


@pytest.mark.django_db
def test_allauth_hits_reads_the_hits_allauths_public_consume_records():
    cache.clear()
    request = RequestFactory().post("/_allauth/app/v1/auth/signup", REMOTE_ADDR="203.0.113.9")
    [rate] = internals.allauth_rates("signup")
    assert (rate.amount, rate.duration, rate.per) == (20, 60, "ip")
    before = time.time()
    assert public_ratelimit.consume(request, action="signup") is True
    assert public_ratelimit.consume(request, action="signup") is True
    hits = internals.allauth_hits(request, action="signup", rate=rate)
    assert len(hits) == 2
    assert hits[0] >= hits[1] >= before  # newest first, the layout retry_after relies on
    per_key = internals.allauth_rates("login_email")[0]
    assert public_ratelimit.consume(request, action="login_email", key="a@example.com") is True
    assert len(internals.allauth_hits(request, action="login_email", rate=per_key, key="a@example.com")) == 1
    assert internals.allauth_hits(request, action="login_email", rate=per_key, key="b@example.com") == []


@pytest.mark.django_db
def test_the_schema_hook_documents_the_envelope_on_decorated_and_plain_operations():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    me = schema["paths"]["/api/me/"]["get"]["responses"]  # a plain view
    transfer = next(v for k, v in schema["paths"].items() if "transfer-ownership" in k)["post"]["responses"]
    for responses in (me, transfer):  # transfer-ownership is @extend_schema(responses=...)
        assert responses["401"]["content"]["application/json"]["schema"]["$ref"].endswith("/NotAuthenticatedError")


@pytest.mark.django_db
def test_session_user_of_uses_djangos_public_auth(user, rf):
    from importlib import import_module

    store = import_module(settings.SESSION_ENGINE).SessionStore
    request = rf.get("/")
    request.session = store()
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session.save()
    session = store(request.session.session_key)
    assert session_user_of(session) == user
    user.is_active = False
    user.save()
    assert session_user_of(store(request.session.session_key)) is None
    empty = store()
    assert SESSION_KEY not in empty
    assert session_user_of(empty) is None


PRIVATE_USES = re.compile(r"allauth\.[\w.]*internal|_get_response_bodies|_get_response_for_code")


def test_no_other_module_reaches_into_these_internals():
    root = Path(settings.BASE_DIR)
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if ".venv" not in path.parts
        and "tests" not in path.parts
        and path != root / "orbit" / "internals.py"
        and PRIVATE_USES.search(path.read_text())
    ]
    assert offenders == [], f"Use orbit/internals.py for library internals: {offenders}"
