"""Issue 9 item 6: a section's `sources` must each name a document of the scope's workspace and, when a page is
given, a page that document has. Anything else (another workspace's document, the nil UUID, a page that does not
exist) is a 400 validation_error naming the bad entry, on create, PATCH and PUT, and nothing is written."""

import pytest

from documents.tests.factories import DocumentFactory, DocumentPageFactory
from orbit.testing import assert_error
from orbit.testing_state import unchanged
from scopes.models import ScopeSection
from scopes.tests.factories import ScopeFactory, ScopeSectionFactory
from workspaces.models import ActivityEvent

pytestmark = pytest.mark.django_db

NIL = "00000000-0000-0000-0000-000000000000"


def _url(scope, *parts):
    return "/".join([f"/api/workspaces/{scope.workspace_id}/scopes/{scope.pk}/sections", *map(str, parts)]) + "/"


@pytest.fixture
def brief(workspace):
    document = DocumentFactory(workspace=workspace, page_count=3)
    for number in (1, 2, 3):
        DocumentPageFactory(document=document, number=number)
    return document


@pytest.fixture
def foreign(other_workspace):
    document = DocumentFactory(workspace=other_workspace, page_count=1)
    DocumentPageFactory(document=document, number=1)
    return document


def _bad_cases():
    """(the bad source, the field its error names) — each placed third, after two good sources."""
    return [
        pytest.param(lambda brief, foreign: {"document_id": NIL}, "document_id", id="nil-uuid"),
        pytest.param(lambda brief, foreign: {"document_id": str(foreign.pk), "page": 1}, "document_id", id="foreign"),
        pytest.param(lambda brief, foreign: {"document_id": str(brief.pk), "page": 4}, "page", id="missing-page"),
    ]


def _sources(brief, bad):
    return [
        {"document_id": str(brief.pk), "page": 1, "quote": "scope"},
        {"document_id": str(brief.pk)},  # no page: the document alone
        bad,
    ]


@pytest.mark.parametrize(("make_bad", "field"), _bad_cases())
def test_create_refuses_a_source_outside_the_workspace(make_bad, field, member, workspace, brief, foreign):
    scope = ScopeFactory(workspace=workspace)
    response = member("editor").post(
        _url(scope), {"title": "Budget", "sources": _sources(brief, make_bad(brief, foreign))}, format="json"
    )
    details = assert_error(response, 400, "validation_error")
    assert list(details) == ["sources"]
    assert list(details["sources"]) == ["2"]
    assert list(details["sources"]["2"]) == [field]
    assert not ScopeSection.objects.exists()


@pytest.mark.parametrize("method", ["patch", "put"])
@pytest.mark.parametrize(("make_bad", "field"), _bad_cases())
def test_update_refuses_a_source_outside_the_workspace(method, make_bad, field, member, workspace, brief, foreign):
    section = ScopeSectionFactory(workspace=workspace, title="Budget", sources=[])
    body = {"title": "Budget", "sources": _sources(brief, make_bad(brief, foreign))}
    response = getattr(member("editor"), method)(_url(section.scope, section.pk), body, format="json")
    assert list(assert_error(response, 400, "validation_error")["sources"]["2"]) == [field]
    section.refresh_from_db()
    assert (section.sources, section.version) == ([], 1)


def test_valid_sources_are_kept_on_create_patch_and_put(member, workspace, brief):
    editor = member("editor")
    scope = ScopeFactory(workspace=workspace)
    created = editor.post(
        _url(scope),
        {"title": "Budget", "sources": _sources(brief, {"document_id": str(brief.pk), "page": 3})},
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert [source.get("page") for source in created.json()["sources"]] == [1, None, 3]
    url = _url(scope, created.json()["id"])
    patched = editor.patch(url, {"sources": [{"document_id": str(brief.pk), "page": 2}]}, format="json")
    assert patched.status_code == 200, patched.json()
    put = editor.put(url, {"title": "Budget"}, format="json")  # PUT without sources clears them
    assert put.status_code == 200, put.json()
    assert put.json()["sources"] == []


def test_every_bad_entry_is_named_at_once(member, workspace, brief, foreign):
    scope = ScopeFactory(workspace=workspace)
    sources = [{"document_id": NIL}, {"document_id": str(brief.pk), "page": 1}, {"document_id": str(foreign.pk)}]
    editor = member("editor")
    with unchanged(ScopeSection.objects.all(), ActivityEvent.objects.all()):
        response = editor.post(_url(scope), {"title": "x", "sources": sources}, format="json")
    assert sorted(assert_error(response, 400, "validation_error")["sources"]) == ["0", "2"]


def test_sources_of_many_sections_are_checked_in_two_queries(workspace, brief, django_assert_num_queries):
    from scopes.services.sources import source_errors

    sections = [[{"document_id": str(brief.pk), "page": page}] for page in (1, 2, 3)] * 10
    with django_assert_num_queries(2):
        assert source_errors(workspace=workspace, sections=sections) == {}
