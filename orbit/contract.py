"""The API contract, held to by the test suite (issue 9): every response a test receives from an `/api/` path is
matched to its OpenAPI operation (path template + method) in the schema drf-spectacular generates, and must

- answer a status that operation documents,
- carry each response header documented for that status (e.g. `ETag`),
- send a media type documented for that status (none when none is documented, as on a 204), and
- for JSON, a body that validates against the documented schema (openapi-schema-validator, OAS 3.0 or 3.1
  according to the schema's `openapi` version).

An `/api/` response that matches no operation (an unknown path, a method the path does not have) must still be
the error envelope when it is an error. Each (method, path template, status) seen is recorded, so the end of the
session can report the documented statuses no test ever saw, and fail on any seen that are not documented.

Test-suite only: `conftest.py` wraps Django's test client (which DRF's APIClient extends), and `requests` to a
server on this machine (the slow tests' real gunicorn, the fuzz script), with `Contract.observe`.
"""

import json
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from openapi_schema_validator import OAS30ReadValidator, OAS31Validator, oas30_format_checker, oas31_format_checker
from referencing.exceptions import Unresolvable

# /api/ paths that are not operations of the API they describe, with the reason. Keep this short.
OUT_OF_CONTRACT = {
    "/api/schema/": "The OpenAPI document itself.",
    "/api/docs/": "Swagger UI (HTML) over the schema.",
    "/api/redoc/": "ReDoc (HTML) over the schema.",
    "/api/blobs/": "The local stand-in for S3's signed URLs (dev and tests); clients follow the URLs they are given.",
}

# Known mismatches being fixed in flight by another change, each with why; matched against a problem's text.
# The goal is an empty allowlist: remove an entry as soon as its fix is on main.
ALLOWLIST: dict[str, str] = {}

# The error envelope, for an error answered outside any operation of a status no operation documents.
ENVELOPE = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "details"],
            "properties": {"code": {"type": "string"}, "message": {"type": "string"}, "details": {"type": "object"}},
        }
    },
}

_PARAMETER = re.compile(r"\{[^/{}]+\}")
_SKIPPED_METHODS = {"HEAD", "OPTIONS"}
_INDEX = re.compile(r"\[\d+\]")


def _media_type(response) -> str:
    return (response.get("Content-Type") or "").split(";")[0].strip().lower()


def _is_json(media_type: str) -> bool:
    return media_type == "application/json" or media_type.endswith("+json")


def _pointer(method: str, template: str, status: str) -> str:
    """Where a documented response is in the schema (a JSON pointer), the key its validator is cached under."""
    return f"#/paths/{template.replace('~', '~0').replace('/', '~1')}/{method.lower()}/responses/{status}"


def _json_path(error) -> str:
    return "$" + "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in error.absolute_path)


@dataclass
class Contract:
    schema: dict
    seen: set = field(default_factory=set)  # {(method, path template, status)}
    unmatched: dict = field(default_factory=dict)  # {(method, path, status): count}, outside any operation
    problems: list = field(default_factory=list)  # every problem found, also those a test swallowed
    kinds: dict = field(default_factory=dict)  # {problem with the path template and no list indexes: count}

    def __post_init__(self):
        oas31 = str(self.schema.get("openapi", "")).startswith("3.1")
        self._validator_class = OAS31Validator if oas31 else OAS30ReadValidator
        self._format_checker = oas31_format_checker if oas31 else oas30_format_checker
        # Most literal characters first, so `scopes/trash/` wins over `scopes/{id}/`.
        templates = sorted(self.schema.get("paths", {}), key=lambda t: -len(_PARAMETER.sub("", t)))
        self._routes = [
            (re.compile("^" + "[^/]+".join(map(re.escape, _PARAMETER.split(template))) + "$"), template)
            for template in templates
        ]
        self._validators = {}

    # --- matching -----------------------------------------------------------------------------------------

    def template_for(self, path: str) -> str | None:
        return next((template for pattern, template in self._routes if pattern.match(path)), None)

    def operations(self):
        """Every (METHOD, path template, operation) of the schema."""
        for template, item in self.schema.get("paths", {}).items():
            for method, operation in item.items():
                if method in {"get", "put", "post", "delete", "patch", "head", "options", "trace"}:
                    yield method.upper(), template, operation

    # --- checking one response ------------------------------------------------------------------------------

    def observe(self, response) -> list[str]:
        """Checks one test-client response; returns its problems (also kept in `self.problems`), [] when it holds
        to the contract or is not an /api/ operation's."""
        request = response.request
        method, path = request["REQUEST_METHOD"].upper(), request["PATH_INFO"]
        if not path.startswith("/api/") or path in OUT_OF_CONTRACT or method in _SKIPPED_METHODS:
            return []
        status = str(response.status_code)
        template = self.template_for(path)
        operation = self.schema["paths"][template].get(method.lower()) if template else None
        if operation is None:
            key = (method, path, status)
            self.unmatched[key] = self.unmatched.get(key, 0) + 1
            found = self._check_unmatched(response) if response.status_code >= 400 else []
            where, kind = f"{method} {path} → {status} (no operation)", f"{method} {path} → {status}"
        else:
            self.seen.add((method, template, status))
            found = self._check(operation, template, response)
            where, kind = f"{method} {path} ({template}) → {status}", f"{method} {template} → {status}"
        found = [problem for problem in found if not any(allowed in problem for allowed in ALLOWLIST)]
        for problem in found:
            kind_of = f"{kind}: {_INDEX.sub('[*]', problem)}"
            self.kinds[kind_of] = self.kinds.get(kind_of, 0) + 1
        problems = [f"{where}: {problem}" for problem in found]
        self.problems.extend(problems)
        return problems

    def _check(self, operation: dict, template: str, response) -> list[str]:
        status = str(response.status_code)
        responses = operation.get("responses", {})
        documented = responses.get(status) or responses.get(f"{status[0]}XX") or responses.get("default")
        if documented is None:
            return [f"status {status} is not documented (documented: {', '.join(sorted(responses))})"]
        problems = [
            f"required response header {name!r} is missing"
            for name, header in documented.get("headers", {}).items()
            if header.get("required") and name not in response
        ]
        pointer = _pointer(response.request["REQUEST_METHOD"], template, status)
        return problems + self._check_body(documented, pointer, response)

    def _check_unmatched(self, response) -> list[str]:
        """An error outside any operation is the envelope its status has wherever it is documented."""
        status = str(response.status_code)
        for method, template, operation in self.operations():
            documented = operation.get("responses", {}).get(status, {}).get("content", {}).get("application/json")
            if documented and "schema" in documented:
                answer = {"content": {"application/json": documented}}
                return self._check_body(answer, _pointer(method, template, status), response)
        return self._check_body({"content": {"application/json": {"schema": ENVELOPE}}}, "envelope", response)

    def _check_body(self, documented: dict, pointer: str, response) -> list[str]:
        content = documented.get("content") or {}
        media_type = _media_type(response)
        has_body = response.streaming or bool(response.content)
        if not content:
            return [f"a {media_type or 'untyped'} body is sent where none is documented"] if has_body else []
        if media_type not in content and not any(
            declared in ("*/*", f"{media_type.split('/')[0]}/*") for declared in content
        ):
            return [f"media type {media_type or '(none)'!r} is not documented (documented: {', '.join(content)})"]
        schema = content.get(media_type, {}).get("schema")
        if not _is_json(media_type) or schema is None or response.streaming:
            return []  # files, blobs, streams: status and media type only
        try:
            body = json.loads(response.content)
        except ValueError as exc:
            return [f"the body is not JSON ({exc}): {response.content[:200]!r}"]
        validator = self._validator(pointer, schema)
        try:
            errors = sorted(validator.iter_errors(body), key=lambda error: list(error.absolute_path))
        except Unresolvable as exc:
            return [f"the documented schema refers to what it does not define: {exc}"]
        return [f"body at {_json_path(error)}: {error.message[:300]}" for error in errors[:10]]

    def _validator(self, pointer: str, schema: dict):
        if pointer not in self._validators:
            # The response's schema, with the document's components beside it so "#/components/..." resolves.
            root = {**schema, "components": self.schema.get("components", {})}
            self._validators[pointer] = self._validator_class(root, format_checker=self._format_checker)
        return self._validators[pointer]

    # --- the session's report ------------------------------------------------------------------------------

    def never_seen(self) -> list[tuple[str, str, str]]:
        """Documented (METHOD, path template, status) that no response in this session answered."""
        documented = {
            (method, template, status)
            for method, template, operation in self.operations()
            for status in operation.get("responses", {})
        }
        return sorted(documented - self.seen, key=lambda key: (key[1], key[0], key[2]))

    def report(self) -> str:
        lines = [
            f"{len(self.seen)} (method, path, status) seen across {len({s[:2] for s in self.seen})} operations;"
            f" {len(self.problems)} contract problems",
            *(f"PROBLEM ×{count} {kind}" for kind, count in sorted(self.kinds.items())),
            "",
            "Seen outside any operation (an unknown path or method):",
            *(f"  {method} {path} → {status} ×{n}" for (method, path, status), n in sorted(self.unmatched.items())),
            "",
            "Documented but never seen by a test:",
            *(f"  {method} {template} → {status}" for method, template, status in self.never_seen()),
        ]
        return "\n".join(lines) + "\n"


class ContractViolation(Exception):
    """A response the test suite received does not hold to the OpenAPI schema. Not an AssertionError, so a test's
    `pytest.raises(AssertionError)` around a request cannot swallow it."""


class _OverHTTP:
    """A `requests` response to one of the test servers (`orbit.testing.serve`), read like a test-client one."""

    def __init__(self, response):
        self.request = {"REQUEST_METHOD": response.request.method, "PATH_INFO": urlsplit(response.request.url).path}
        self.status_code, self.content, self.streaming = response.status_code, response.content, False
        self._headers = response.headers

    def get(self, name, default=None):
        return self._headers.get(name, default)

    def __contains__(self, name):
        return name in self._headers


def _fail_on(problems):
    if problems:
        raise ContractViolation("The response does not hold to the OpenAPI schema:\n" + "\n".join(problems))


@contextmanager
def hold_test_client_to(contract: Contract):
    """Within it, every response of Django's test client (and so of DRF's APIClient), and every `requests` answer
    from a server on this machine (the real gunicorn of the slow tests), is `observe`d; a response with problems
    fails the request that received it with a `ContractViolation`."""
    import requests
    from django.test.client import Client

    original, original_send = Client.request, requests.Session.send

    def request(client, **kwargs):
        response = original(client, **kwargs)
        _fail_on(contract.observe(response))
        return response

    def send(session, prepared, **kwargs):
        response = original_send(session, prepared, **kwargs)
        local = urlsplit(prepared.url).hostname in ("127.0.0.1", "localhost")
        if local and not kwargs.get("stream"):
            _fail_on(contract.observe(_OverHTTP(response)))
        return response

    Client.request, requests.Session.send = request, send
    try:
        yield contract
    finally:
        Client.request, requests.Session.send = original, original_send
