"""The decorators document themselves (issue 8 §1): `@idempotent` adds Idempotency-Key, the 422 and
Idempotent-Replayed to its operation; `@if_match` adds If-Match, the 412 and ETag (on success and on the 412);
`@sends_etag` adds ETag. And every creating POST honours Idempotency-Key (issue 9: sections and documents did
not: two keyed POSTs made two of each)."""

import pytest
from drf_spectacular.generators import SchemaGenerator

from documents.models import Document
from orbit.testing import assert_error
from scopes.models import ScopeSection
from scopes.tests.factories import ScopeFactory

WS = "/api/workspaces/{workspace_id}"


@pytest.fixture(scope="module")
def paths():
    return SchemaGenerator().get_schema(request=None, public=True)["paths"]


def _creating_posts(paths):
    for path, operations in paths.items():
        post = operations.get("post")
        if post and ("201" in post["responses"] or "202" in post["responses"]):
            yield path, post


def test_every_creating_post_documents_idempotency_key_and_its_422(paths):
    creating = list(_creating_posts(paths))
    assert len(creating) >= 10
    missing = [
        path
        for path, post in creating
        if "Idempotency-Key" not in {p["name"] for p in post.get("parameters", []) if p["in"] == "header"}
        or "422" not in post["responses"]
    ]
    assert not missing, f"Creating POSTs without @idempotent: {missing}"


@pytest.mark.parametrize(
    ("path", "method"),
    [
        (f"{WS}/scopes/{{id}}/", "patch"),
        (f"{WS}/scopes/{{id}}/", "put"),
        (f"{WS}/scopes/{{id}}/transition/", "post"),
        (f"{WS}/scopes/{{scope_id}}/sections/{{id}}/", "patch"),
    ],
)
def test_if_match_updates_document_the_header_the_412_and_etag(paths, path, method):
    operation = paths[path][method]
    assert "If-Match" in {p["name"] for p in operation["parameters"] if p["in"] == "header"}
    assert "ETag" in operation["responses"]["200"]["headers"]
    assert "ETag" in operation["responses"]["412"]["headers"]
    assert operation["responses"]["412"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/PreconditionFailedError"
    )


@pytest.mark.parametrize(
    ("path", "method", "status"),
    [
        (f"{WS}/scopes/{{id}}/", "get", "200"),
        (f"{WS}/scopes/", "post", "201"),
        (f"{WS}/scopes/{{scope_id}}/sections/{{id}}/", "get", "200"),
        (f"{WS}/scopes/{{scope_id}}/sections/", "post", "201"),
    ],
)
def test_reads_and_creates_of_versioned_rows_document_etag(paths, path, method, status):
    assert "ETag" in paths[path][method]["responses"][status]["headers"]


@pytest.mark.django_db
def test_a_keyed_section_create_sent_twice_makes_one_section(member, workspace):
    scope = ScopeFactory(workspace=workspace)
    client = member("editor")
    url = f"/api/workspaces/{workspace.pk}/scopes/{scope.pk}/sections/"
    first = client.post(url, {"title": "Scope"}, HTTP_IDEMPOTENCY_KEY="k-1")
    second = client.post(url, {"title": "Scope"}, HTTP_IDEMPOTENCY_KEY="k-1")
    assert (first.status_code, second.status_code) == (201, 201)
    assert second.json() == first.json()
    assert second["Idempotent-Replayed"] == "true"
    assert second["ETag"] == first["ETag"]
    assert ScopeSection.objects.filter(scope=scope).count() == 1


@pytest.mark.django_db
def test_a_keyed_document_create_sent_twice_makes_one_document(member, workspace):
    client = member("editor")
    url = f"/api/workspaces/{workspace.pk}/documents/"
    body = {"filename": "a.txt", "size": 3, "content_type": "text/plain"}
    first = client.post(url, body, HTTP_IDEMPOTENCY_KEY="k-2")
    second = client.post(url, body, HTTP_IDEMPOTENCY_KEY="k-2")
    assert (first.status_code, second.status_code) == (201, 201)
    assert second.json()["document"]["id"] == first.json()["document"]["id"]
    assert Document.objects.filter(workspace=workspace).count() == 1


def test_the_unpaged_sections_list_says_why_and_reprocess_documents_its_202(paths):
    """Issue 9 item 11: decided to keep sections whole; the operation says so plainly. Reprocess answers 202."""
    sections = paths[f"{WS}/scopes/{{scope_id}}/sections/"]["get"]
    assert "deliberately not paginated" in sections["description"]
    assert sections["responses"]["200"]["content"]["application/json"]["schema"]["type"] == "array"
    assert "202" in paths[f"{WS}/documents/{{id}}/reprocess/"]["post"]["responses"]


def test_every_operation_documents_406_and_every_429_its_retry_after(paths):
    operations = [operation for item in paths.values() for operation in item.values() if "responses" in operation]
    assert all("406" in operation["responses"] for operation in operations)
    assert all(operation["responses"]["429"]["headers"]["Retry-After"]["required"] for operation in operations)


@pytest.mark.django_db
def test_an_accept_header_json_cannot_satisfy_is_the_406_envelope(auth_client):
    """Any operation answers it (DRF's content negotiation), so every operation documents it (the contract check
    in conftest.py holds this response to the schema like every other)."""
    response = auth_client.get("/api/me/", HTTP_ACCEPT="text/html")
    assert_error(response, 406, "not_acceptable")
    assert response["Content-Type"] == "application/json"
