"""Roles (SPEC §3) and isolation on every documents route, list shape and query counts, read endpoints."""

from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from rest_framework.test import APIClient

from documents.models import Document, DocumentPage
from documents.tests import flow
from documents.tests.factories import DocumentFactory, DocumentPageFactory
from orbit.testing import assert_error
from orbit.testing_state import unchanged
from workspaces.models import ActivityEvent

pytestmark = pytest.mark.django_db

ROLES = ["viewer", "editor", "admin", "owner"]


def _url(workspace, document=None, suffix=""):
    base = f"/api/workspaces/{workspace.id}/documents/"
    if document is None:
        return base
    return f"{base}{document.id}/{suffix}/" if suffix else f"{base}{document.id}/"


# (method, suffix, minimum role). suffix None = the collection.
ROUTES = [
    ("get", None, "viewer"),
    ("post", None, "editor"),
    ("get", "", "viewer"),
    ("patch", "", "editor"),
    ("delete", "", "editor"),
    ("post", "confirm", "editor"),
    ("post", "upload-url", "editor"),
    ("post", "reprocess", "editor"),
    ("get", "download", "viewer"),
    ("get", "text", "viewer"),
    ("get", "pages", "viewer"),
]


def _everything():
    """What a refused call must leave as it was: every document and page, and the activity feed."""
    return Document.objects.all(), DocumentPage.objects.all(), ActivityEvent.objects.all()


def _files(storage) -> list[str]:
    root = Path(storage.path(""))
    return sorted(str(path.relative_to(root)) for path in root.rglob("*"))


# The status of a permitted call, where it is not 200.
SUCCESS = {("post", None): 201, ("delete", ""): 204, ("post", "reprocess"): 202}


def _call(client, method, workspace, document, suffix):
    url = _url(workspace) if suffix is None else _url(workspace, document, suffix)
    if method == "post" and suffix is None:
        return client.post(url, {"filename": "a.txt", "size": 3, "content_type": "text/plain"}, format="json")
    return getattr(client, method)(url)


@pytest.mark.parametrize(("method", "suffix", "minimum"), ROUTES)
def test_non_member_gets_404_on_every_route(method, suffix, minimum, workspace, make_client, user):
    document = DocumentFactory(workspace=workspace)
    with unchanged(*_everything()):
        assert_error(_call(make_client(user), method, workspace, document, suffix), 404, "not_found")


@pytest.mark.parametrize(("method", "suffix", "minimum"), ROUTES)
def test_anonymous_is_refused_on_every_route(method, suffix, minimum, workspace):
    document = DocumentFactory(workspace=workspace)
    with unchanged(*_everything()):
        assert_error(_call(APIClient(), method, workspace, document, suffix), 401, "not_authenticated")


@pytest.mark.parametrize(("method", "suffix", "minimum"), ROUTES)
@pytest.mark.parametrize("role", ROLES)
def test_role_table(method, suffix, minimum, role, member, workspace, local_storage):
    client = member(role)
    # A pending document with bytes for confirm/upload-url; a completed one for the rest.
    if suffix in ("confirm", "upload-url"):
        document = DocumentFactory(
            workspace=workspace, status=Document.Status.PENDING, blob_stored=False, filename="a.txt"
        )
        local_storage.save(document.upload_key, ContentFile(b"some plain text"))
    else:
        document = DocumentFactory(workspace=workspace, status=Document.Status.FAILED)
    if ROLES.index(role) < ROLES.index(minimum):
        files = _files(local_storage)
        with unchanged(*_everything()):
            assert_error(_call(client, method, workspace, document, suffix), 403, "permission_denied")
        assert _files(local_storage) == files
    else:
        response = _call(client, method, workspace, document, suffix)
        assert response.status_code == SUCCESS.get((method, suffix), 200), response.content


@pytest.mark.parametrize(("method", "suffix", "minimum"), [r for r in ROUTES if r[1] is not None])
def test_another_workspaces_document_is_not_found_through_my_workspace(
    method, suffix, minimum, member, workspace, other_workspace
):
    client = member("owner")
    foreign = DocumentFactory(workspace=other_workspace)
    with unchanged(*_everything()):
        assert_error(_call(client, method, workspace, foreign, suffix), 404, "not_found")


def test_uploading_into_another_workspace_is_impossible(member, other_workspace):
    client = member("owner")  # owner of `workspace`, stranger to `other_workspace`
    with unchanged(*_everything()):
        response = flow.ask(client, other_workspace, filename="a.txt", data=b"abc", content_type="text/plain")
        assert_error(response, 404, "not_found")


def test_list_is_scoped_light_and_filterable(member, workspace, other_workspace):
    client = member("viewer")
    mine = DocumentFactory(workspace=workspace, extracted_text="secret text")
    failed = DocumentFactory(workspace=workspace, status=Document.Status.FAILED, error="The PDF is damaged.")
    DocumentFactory(workspace=other_workspace)
    response = client.get(_url(workspace))
    assert response.status_code == 200
    results = response.json()["results"]
    assert {r["id"] for r in results} == {str(mine.id), str(failed.id)}
    assert "extracted_text" not in results[0]
    assert "text" not in results[0]
    only_failed = client.get(_url(workspace), {"status": "failed"}).json()["results"]
    assert [r["id"] for r in only_failed] == [str(failed.id)]
    assert only_failed[0]["error"] == "The PDF is damaged."
    assert "status" in assert_error(client.get(_url(workspace), {"status": "nonsense"}), 400, "validation_error")


def test_list_ordering_whitelist(member, workspace):
    client = member("viewer")
    DocumentFactory(workspace=workspace, filename="b.txt", size_bytes=5)
    DocumentFactory(workspace=workspace, filename="a.txt", size_bytes=9)
    names = [r["filename"] for r in client.get(_url(workspace), {"ordering": "filename"}).json()["results"]]
    assert names == ["a.txt", "b.txt"]
    sizes = [r["size_bytes"] for r in client.get(_url(workspace), {"ordering": "-size_bytes"}).json()["results"]]
    assert sizes == [9, 5]
    refused = client.get(_url(workspace), {"ordering": "sha256"})
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "validation_error"


@pytest.mark.parametrize("rows", [1, 10])
def test_list_query_count_is_constant(rows, member, workspace, django_assert_num_queries):
    client = member("viewer")
    for _ in range(rows):
        DocumentFactory(workspace=workspace)
    with django_assert_num_queries(2):  # token user + membership + workspace, documents with uploader
        response = client.get(_url(workspace))
    assert len(response.json()["results"]) == rows


def test_detail_shows_status_error_and_progress(member, workspace):
    client = member("viewer")
    document = DocumentFactory(workspace=workspace, status=Document.Status.PROCESSING, page_count=40, pages_done=12)
    body = client.get(_url(workspace, document, "")).json()
    assert body["status"] == "processing"
    assert body["progress"] == {"pages_done": 12, "page_count": 40}
    assert body["uploaded_by"]["email"] == workspace.owner.email


def test_text_and_pages_endpoints(member, workspace):
    client = member("viewer")
    document = DocumentFactory(workspace=workspace, page_count=3, extracted_text="one\ftwo\fthree")
    for number, text in enumerate(["one", "two", "three"], start=1):
        DocumentPageFactory(document=document, number=number, text=text)
    text = client.get(_url(workspace, document, "text")).json()
    assert text["text"].split("\f") == ["one", "two", "three"]
    pages = client.get(_url(workspace, document, "pages")).json()["results"]
    assert [(p["number"], p["text"]) for p in pages] == [(1, "one"), (2, "two"), (3, "three")]
    page_two = client.get(_url(workspace, document, "pages"), {"number": 2}).json()["results"]
    assert [p["text"] for p in page_two] == ["two"]
    refused = client.get(_url(workspace, document, "pages"), {"number": "x"})
    assert assert_error(refused, 400, "validation_error") == {"number": ["Not a page number."]}


def test_download_link_serves_the_file_to_whoever_holds_it(member, workspace, local_storage):
    client = member("viewer")
    document = DocumentFactory(workspace=workspace, filename="Brief März.txt")
    local_storage.save(document.storage_key, ContentFile(b"the original bytes"))
    link = client.get(_url(workspace, document, "download")).json()
    assert "token=" in link["url"]
    path = link["url"].removeprefix("http://testserver")
    response = APIClient().get(path)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"the original bytes"
    assert response["Content-Disposition"].startswith("attachment;")
    # An upload token is not a download token.
    upload_like = path.replace("token=", "token=x")
    assert_error(APIClient().get(upload_like), 404, "not_found")


def test_download_of_a_rejected_file_is_not_found(member, workspace):
    client = member("viewer")
    document = DocumentFactory(workspace=workspace, status=Document.Status.FAILED, blob_stored=False)
    assert_error(client.get(_url(workspace, document, "download")), 404, "not_found")


def test_delete_removes_blob_usage_and_records_event(member, workspace, local_storage):
    from billing.plans import usage

    client = member("editor")
    document = DocumentFactory(workspace=workspace, size_bytes=18)
    DocumentPageFactory(document=document, number=1)
    local_storage.save(document.storage_key, ContentFile(b"the original bytes"))
    assert usage(workspace, "storage_bytes") == 18
    response = client.delete(_url(workspace, document, ""))
    assert response.status_code == 204
    assert not local_storage.exists(document.storage_key)
    assert not Document.objects.filter(pk=document.pk).exists()
    assert usage(workspace, "storage_bytes") == 0
    event = ActivityEvent.objects.get(verb="document.deleted")
    assert event.target_id == str(document.id)
    assert event.actor == client.user


def test_fresh_upload_url_only_while_pending(member, workspace):
    client = member("editor")
    pending = DocumentFactory(workspace=workspace, status=Document.Status.PENDING, blob_stored=False)
    assert client.post(_url(workspace, pending, "upload-url")).json()["method"] == "PUT"
    done = DocumentFactory(workspace=workspace)
    with unchanged(*_everything()):
        assert_error(client.post(_url(workspace, done, "upload-url")), 409, "conflict")


def test_upload_linked_to_a_scope_takes_its_project(member, workspace):
    from scopes.tests.factories import ProjectFactory, ScopeFactory

    project = ProjectFactory(workspace=workspace)
    scope = ScopeFactory(workspace=workspace, project=project)
    client = member("editor")
    response = client.post(
        _url(workspace), {"filename": "a.txt", "size": 3, "content_type": "text/plain", "scope_id": str(scope.id)}
    )
    assert response.status_code == 201
    assert response.json()["document"]["scope_id"] == str(scope.id)
    assert response.json()["document"]["project_id"] == str(project.id)
    listed = client.get(_url(workspace), {"scope": str(scope.id)}).json()["results"]
    assert [d["id"] for d in listed] == [response.json()["document"]["id"]]


@pytest.mark.parametrize("field", ["project_id", "scope_id"])
def test_links_to_another_workspaces_project_or_scope_are_not_found(member, workspace, other_workspace, field):
    """Bodies name relations `<name>_id`; a foreign id is a 404 naming the field and the id (README conventions).
    Before: the fields were `project`/`scope` and a foreign id was a 400."""
    from scopes.tests.factories import ProjectFactory, ScopeFactory

    client = member("editor")
    foreign = {"project_id": ProjectFactory, "scope_id": ScopeFactory}[field](workspace=other_workspace)
    body = {"filename": "a.txt", "size": 3, "content_type": "text/plain", field: str(foreign.id)}
    response = client.post(_url(workspace), body)
    assert response.status_code == 404
    assert response.json()["error"] == {
        "code": "not_found",
        "message": f"Not found in this workspace: {field}.",
        "details": {field: [str(foreign.id)]},
    }
    assert not Document.objects.filter(workspace=workspace).exists()
    document = DocumentFactory(workspace=workspace)
    with unchanged(*_everything()):
        response = client.patch(_url(workspace, document, ""), {field: str(foreign.id)})
        assert assert_error(response, 404, "not_found") == {field: [str(foreign.id)]}


def test_rename_link_and_unlink(member, workspace):
    from scopes.tests.factories import ProjectFactory, ScopeFactory

    client = member("editor")
    project = ProjectFactory(workspace=workspace)
    other_project = ProjectFactory(workspace=workspace)
    scope = ScopeFactory(workspace=workspace, project=project)
    document = DocumentFactory(workspace=workspace)
    body = client.patch(_url(workspace, document, ""), {"filename": "RFP final.pdf", "scope_id": str(scope.id)}).json()
    assert body["filename"] == "RFP final.pdf"
    assert (body["project_id"], body["scope_id"]) == (str(project.id), str(scope.id))
    with unchanged(*_everything()):
        mismatch = client.patch(_url(workspace, document, ""), {"project_id": str(other_project.id)})
        assert assert_error(mismatch, 400, "validation_error") == {
            "scope_id": ["The scope belongs to another project."]
        }
    body = client.patch(_url(workspace, document, ""), {"scope_id": None, "project_id": None}).json()
    assert (body["project_id"], body["scope_id"]) == (None, None)
    assert ActivityEvent.objects.filter(verb="document.updated", target_id=str(document.id)).count() == 2


def test_filename_keeps_only_the_last_path_part(member, workspace):
    client = member("editor")
    body = {"filename": "C:\\fakepath\\../Brief März.pdf", "size": 3, "content_type": "application/pdf"}
    document = client.post(_url(workspace), body).json()["document"]
    assert document["filename"] == "Brief März.pdf"
    stored = Document.objects.get(pk=document["id"])
    assert stored.storage_key == f"documents/{workspace.id}/{stored.id}/Brief_März.pdf"
    with unchanged(*_everything()):
        refused = client.post(_url(workspace), {**body, "filename": "a/ "})
        assert "filename" in assert_error(refused, 400, "validation_error")


@pytest.mark.parametrize("pages", [1, 10])
def test_pages_query_count_is_constant(pages, member, workspace, django_assert_num_queries):
    client = member("viewer")
    document = DocumentFactory(workspace=workspace, page_count=pages)
    for number in range(1, pages + 1):
        DocumentPageFactory(document=document, number=number)
    with django_assert_num_queries(3):  # token user + membership + workspace, document, pages
        response = client.get(_url(workspace, document, "pages"))
    assert len(response.json()["results"]) == pages


@pytest.mark.parametrize("name", ["..", ".", "★★", "...", "/.."])
def test_names_without_a_usable_key_part_still_get_a_safe_key_or_a_clear_error(member, workspace, name):
    response = member("editor").post(_url(workspace), {"filename": name, "size": 3, "content_type": "text/plain"})
    if name in ("..", ".", "/.."):
        assert "filename" in assert_error(response, 400, "validation_error")
        assert not Document.objects.exists()
        return
    assert response.status_code == 201, response.json()
    stored = Document.objects.get()
    assert stored.filename == name
    assert stored.storage_key.startswith(f"documents/{workspace.id}/{stored.id}/")
    assert ".." not in stored.storage_key.split("/")
    assert stored.storage_key.rsplit("/", 1)[1] == "file"


@pytest.mark.parametrize("name", ["a\r\nSet-Cookie: x=1.pdf", "tab\there.pdf", "bell\x07.pdf"])
def test_control_characters_in_names_are_refused_on_create_and_rename(member, workspace, name):
    client = member("editor")
    with unchanged(*_everything()):
        response = client.post(_url(workspace), {"filename": name, "size": 3, "content_type": "text/plain"})
        assert "filename" in assert_error(response, 400, "validation_error")
    assert "control characters" in response.json()["error"]["message"]
    document = DocumentFactory(workspace=workspace, filename="kept.txt")
    with unchanged(*_everything()):
        assert "filename" in assert_error(
            client.patch(_url(workspace, document, ""), {"filename": name}), 400, "validation_error"
        )


def test_rename_keeps_only_the_last_path_part(member, workspace):
    document = DocumentFactory(workspace=workspace)
    body = member("editor").patch(_url(workspace, document, ""), {"filename": "..\\..\\etc/passwd"}).json()
    assert body["filename"] == "passwd"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ('q"uo\\te.txt', 'attachment; filename="q\\"uo\\\\te.txt"'),
        ("Brief März.txt", "attachment; filename*=utf-8''Brief%20M%C3%A4rz.txt"),
    ],
)
def test_local_download_escapes_the_filename(member, workspace, local_storage, name, expected):
    document = DocumentFactory(workspace=workspace, filename=name, storage_key=f"documents/{workspace.id}/x/f.txt")
    local_storage.save(document.storage_key, ContentFile(b"bytes"))
    link = member("viewer").get(_url(workspace, document, "download")).json()
    response = APIClient().get(link["url"].removeprefix("http://testserver"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == expected


def test_a_stored_name_with_a_line_break_never_breaks_the_download(member, workspace, local_storage):
    # Names are validated now, but rows written before may hold anything.
    document = DocumentFactory(
        workspace=workspace, filename="old\r\nname.txt", storage_key=f"documents/{workspace.id}/y/f.txt"
    )
    local_storage.save(document.storage_key, ContentFile(b"bytes"))
    link = member("viewer").get(_url(workspace, document, "download")).json()
    response = APIClient().get(link["url"].removeprefix("http://testserver"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="oldname.txt"'


@pytest.mark.parametrize("number", ["²", "-1", "1.0", "99999999999999999999"])
def test_page_number_that_is_not_a_plain_number_is_a_validation_error(member, workspace, number):
    document = DocumentFactory(workspace=workspace)
    response = member("viewer").get(_url(workspace, document, "pages"), {"number": number})
    assert assert_error(response, 400, "validation_error") == {"number": ["Not a page number."]}
