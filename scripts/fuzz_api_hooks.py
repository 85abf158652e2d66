"""Schemathesis hooks for scripts/fuzz_api.sh: Orbit's own error-envelope check.

Every 4xx/5xx answer under /api/ must be JSON shaped `{"error": {"code", "message", "details"}}` with a string
code and message and an object for details, whatever its status (the schema documents the envelope only for
400/401/403/404/429/500, so response_schema_conformance alone does not see 405, 406, 412, 413, 415, ...).
Loaded with SCHEMATHESIS_HOOKS=scripts.fuzz_api_hooks.
"""

import json
from urllib.parse import urlsplit

import schemathesis


@schemathesis.check
def orbit_error_envelope(ctx, response, case):
    if response.status_code < 400 or not urlsplit(response.request.url).path.startswith("/api/"):
        return None
    if "x-request-id" not in {
        name.lower() for name in response.headers
    }:  # gunicorn's own answer (e.g. a request line over 4094 bytes)
        return None
    try:
        body = json.loads(response.content or b"null")
    except ValueError as exc:
        raise AssertionError(f"{response.status_code} answer is not JSON: {response.content[:200]!r}") from exc
    error = body.get("error") if isinstance(body, dict) else None
    if not (
        isinstance(error, dict)
        and set(error) == {"code", "message", "details"}
        and isinstance(error["code"], str)
        and isinstance(error["message"], str)
        and isinstance(error["details"], dict)
    ):
        raise AssertionError(f"{response.status_code} answer breaks the error envelope: {json.dumps(body)[:300]}")
    return None
