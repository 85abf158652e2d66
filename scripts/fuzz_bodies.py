"""Send deeply nested and malformed bodies to every operation of Orbit's API and of the auth API.

    python scripts/fuzz_bodies.py http://127.0.0.1:8765     # env: ORBIT_TOKEN, ORBIT_WORKSPACE_ID, ORBIT_SCOPE_ID

Operations come from the served schemas (/api/schema/ and allauth's /_allauth/openapi.json, both clients). Every
operation gets the NESTED (and MALFORMED) bodies as JSON; the answer must not be a 5xx and must be JSON (the envelope
under /api/; allauth's shape or the envelope under /_allauth/). Nested bodies must be a 400 validation_error on
every method but GET (they are refused before any view runs, so they are safe on DELETE too); the malformed
ones go to the writes that read a body. The operations in SKIP would end the run and are left out. Prints one
line per failure and a summary; exits 1 on any failure. scripts/fuzz_api.sh runs it after schemathesis;
orbit/tests/test_fuzz_bodies.py runs it against a real server in the test suite.
"""

import json
import os
import sys
import uuid

import requests

NESTED = {
    "nested-arrays": b"[" * 1000 + b"]" * 1000,
    "nested-objects": b'{"a":' * 1000 + b"1" + b"}" * 1000,
    "nested-in-a-field": b'{"name": ' + b"[" * 1000 + b"]" * 1000 + b"}",
}
MALFORMED = {
    "truncated": b'{"email":',
    "not-utf8": b'{"name": "\xff\xfe"}',
    "not-an-object": b"[1, 2]",
    "bare-string": b'"text"',
    "trailing-garbage": b'{"name": "x"} }',
    "empty": b"",
}
WRITES = ("post", "put", "patch", "delete")
# (method, path) that would end the run, as in fuzz_api.sh's schemathesis exclusions.
SKIP = {("delete", "/api/workspaces/{workspace_id}/"), ("post", "/api/auth/logout/"), ("post", "/api/auth/logout")}
SKIP_AUTH = {("delete", "auth/session")}


def operations(base: str, session: requests.Session):
    orbit = session.get(f"{base}/api/schema/", params={"format": "json"}, timeout=30).json()
    for path, item in orbit["paths"].items():
        for method in item:
            if method in ("get", *WRITES):
                yield method, path
    auth = session.get(f"{base}/_allauth/openapi.json", timeout=30).json()
    for path, item in auth["paths"].items():
        for method in item:
            if method in ("get", *WRITES):
                for client in ("app", "browser"):
                    yield method, path.replace("{client}", client)


def fill(path: str, ids: dict) -> str:
    for name, value in ids.items():
        path = path.replace("{" + name + "}", value)
    while "{" in path:  # any other id: a random one (404 is a fine answer)
        start = path.index("{")
        path = path[:start] + str(uuid.uuid4()) + path[path.index("}", start) + 1 :]
    return path


def check(method: str, path: str, label: str, response) -> str | None:
    where = f"{method.upper()} {path} [{label}] -> {response.status_code}"
    if response.status_code >= 500:
        return f"{where}: a server error {response.content[:200]!r}"
    if response.status_code < 400:
        return None
    try:
        body = response.json()
    except ValueError:
        return f"{where}: not JSON ({response.headers.get('Content-Type')}) {response.content[:120]!r}"
    error = body.get("error") if isinstance(body, dict) else None
    if path.startswith("/api/") and not (isinstance(error, dict) and {"code", "message", "details"} <= set(error)):
        return f"{where}: outside the error envelope {json.dumps(body)[:200]}"
    if label in NESTED and method != "get":
        code = error.get("code") if isinstance(error, dict) else None
        if (response.status_code, code) != (400, "validation_error"):
            return f"{where}: a nested body must be 400 validation_error, got {code}"
    return None


def run(base: str, *, token: str, workspace_id: str, scope_id: str) -> tuple[int, list[str]]:
    session = requests.Session()
    ids = {"workspace_id": workspace_id, "scope_id": scope_id, "scope_pk": scope_id, "token": "x" * 43}
    failures, sent = [], 0
    for method, template in operations(base, session):
        path = fill(template, ids)
        auth_api = path.startswith("/_allauth/")
        if (method, template) in SKIP or (auth_api and (method, path.split("/v1/", 1)[-1]) in SKIP_AUTH):
            continue
        headers = {"Content-Type": "application/json"}
        if not auth_api:
            headers["Authorization"] = f"Bearer {token}"
        # Malformed bodies to writes that read one (a DELETE of ours never does: it would just delete).
        reads_body = method in ("post", "put", "patch") or (auth_api and method == "delete")
        bodies = {**NESTED, **(MALFORMED if reads_body else {})}
        for label, body in bodies.items():
            response = session.request(method.upper(), base + path, data=body, headers=headers, timeout=30)
            sent += 1
            problem = check(method, path, label, response)
            if problem:
                failures.append(problem)
    return sent, failures


def main() -> int:
    base = sys.argv[1].rstrip("/")
    sent, failures = run(
        base,
        token=os.environ["ORBIT_TOKEN"],
        workspace_id=os.environ["ORBIT_WORKSPACE_ID"],
        scope_id=os.environ["ORBIT_SCOPE_ID"],
    )
    for failure in failures:
        print(failure)
    print(f"fuzz_bodies: {sent} requests, {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
