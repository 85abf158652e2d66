import functools
import hashlib
import threading

import pytest
from django.db import connection

from orbit.testing import assert_error, race
from orbit.testing_state import unchanged
from scopes.models import ScopeSection
from scopes.tests.factories import CommentFactory, ScopeFactory, ScopeSectionFactory
from workspaces.models import ActivityEvent


def sections_url(scope, *parts):
    return "/".join([f"/api/workspaces/{scope.workspace_id}/scopes/{scope.pk}/sections", *map(str, parts)]) + "/"


def _document_with_pages(workspace, count: int):
    from documents.tests.factories import DocumentFactory, DocumentPageFactory

    document = DocumentFactory(workspace=workspace, page_count=count)
    for number in range(1, count + 1):
        DocumentPageFactory(document=document, number=number)
    return document


def positions(scope):
    return list(ScopeSection.objects.filter(scope=scope).order_by("position").values_list("title", "position"))


@pytest.mark.django_db
class TestSections:
    def test_list_in_order(self, member, workspace):
        scope = ScopeFactory(workspace=workspace)
        b = ScopeSectionFactory(scope=scope, position=1, title="B")
        a = ScopeSectionFactory(scope=scope, position=0, title="A")
        response = member("viewer").get(sections_url(scope))
        assert response.status_code == 200
        assert [row["id"] for row in response.json()] == [str(a.pk), str(b.pk)]

    @pytest.mark.parametrize("count", [1, 30])
    def test_list_query_count_is_constant(self, member, workspace, django_assert_num_queries, count):
        viewer = member("viewer")
        scope = ScopeFactory(workspace=workspace)
        for _ in range(count):
            ScopeSectionFactory(scope=scope)
        # auth user + membership (one query), the scope, the sections with comment counts
        with django_assert_num_queries(3):
            assert len(viewer.get(sections_url(scope)).json()) == count

    def test_every_section_response_has_its_comment_count(self, member, workspace):
        """The schema requires comment_count: create, retrieve and update answer it too, not only the list."""
        editor = member("editor")
        scope = ScopeFactory(workspace=workspace)
        created = editor.post(sections_url(scope), {"title": "Budget"})
        assert created.status_code == 201, created.json()
        assert created.json()["comment_count"] == 0
        section = ScopeSection.objects.get(pk=created.json()["id"])
        CommentFactory(scope=scope, section=section)
        assert editor.get(sections_url(scope, section.pk)).json()["comment_count"] == 1
        patched = editor.patch(sections_url(scope, section.pk), {"content": "More"})
        assert patched.status_code == 200, patched.json()
        assert patched.json()["comment_count"] == 1
        put = editor.put(sections_url(scope, section.pk), {"title": "Budget", "content": "All"})
        assert put.json()["comment_count"] == 1
        other = ScopeSectionFactory(scope=scope)
        reordered = editor.post(sections_url(scope, "reorder"), {"order": [str(other.pk), str(section.pk)]})
        assert reordered.status_code == 200, reordered.json()
        assert [row["comment_count"] for row in reordered.json()] == [0, 1]

    def test_add_appends_at_the_end(self, member, workspace):
        editor = member("editor")
        scope = ScopeFactory(workspace=workspace)
        ScopeSectionFactory(scope=scope, title="First")
        brief = _document_with_pages(workspace, 2)
        response = editor.post(
            sections_url(scope),
            {
                "title": "Budget",
                "section_type": "budget",
                "content": "£10k",
                "confidence": 0.8,
                "sources": [{"document_id": str(brief.pk), "page": 2, "quote": "10k"}],
            },
        )
        assert response.status_code == 201, response.json()
        body = response.json()
        assert body["position"] == 1
        assert body["version"] == 1
        assert body["sources"][0]["document_id"] == str(brief.pk)
        assert response["ETag"] == '"1"'
        assert positions(scope) == [("First", 0), ("Budget", 1)]

    @pytest.mark.parametrize(
        "body",
        [
            {"title": ""},
            {"title": "x", "section_type": "poem"},
            {"title": "x", "confidence": 1.5},
            {"title": "x", "sources": [{"document_id": "not-a-uuid"}]},
            {"title": "x", "sources": [{"document_id": "5b1f4a44-3d1e-4d43-a7b4-1f0c2f0f1c11", "page": 0}]},
        ],
    )
    def test_invalid_sections_are_400(self, member, workspace, body):
        scope = ScopeFactory(workspace=workspace)
        response = member("editor").post(sections_url(scope), body)
        assert response.status_code == 400
        assert response.json()["error"]["code"] == "validation_error"
        assert not ScopeSection.objects.exists()

    def test_a_huge_section_stays_searchable_instead_of_failing(self, member, workspace):
        """PostgreSQL refuses a tsvector over 1 MB; 100k distinct words would pass it. Only the start is indexed."""
        editor = member("editor")
        scope = ScopeFactory(workspace=workspace)
        words = " ".join(hashlib.sha1(str(n).encode()).hexdigest()[:8] for n in range(100_000))
        response = editor.post(sections_url(scope), {"title": "Appendix", "content": f"Pangolin {words}"})
        assert response.status_code == 201, response.content[:300]
        found = editor.get(f"/api/workspaces/{workspace.pk}/scopes/?q=pangolin").json()["results"]
        assert [row["id"] for row in found] == [str(scope.pk)]

    def test_patch_with_if_match(self, member, workspace):
        editor = member("editor")
        section = ScopeSectionFactory(workspace=workspace)
        url = sections_url(section.scope, section.pk)
        ok = editor.patch(url, {"content": "v2"}, HTTP_IF_MATCH='"1"')
        assert ok.status_code == 200
        assert ok["ETag"] == '"2"'
        stale = editor.patch(url, {"content": "v3"}, HTTP_IF_MATCH='"1"')
        assert stale.status_code == 412
        error = stale.json()["error"]
        assert error["code"] == "precondition_failed"
        assert error["details"] == {"expected_version": 1, "current_version": 2}
        assert stale["ETag"] == '"2"'
        section.refresh_from_db()
        assert (section.content, section.version) == ("v2", 2)

    def test_a_put_on_a_stale_version_is_412_too(self, member, workspace):
        section = ScopeSectionFactory(workspace=workspace, title="Kept", version=2)
        stale = member("editor").put(sections_url(section.scope, section.pk), {"title": "Lost"}, HTTP_IF_MATCH='"1"')
        assert assert_error(stale, 412, "precondition_failed") == {"expected_version": 1, "current_version": 2}
        assert stale["ETag"] == '"2"'
        section.refresh_from_db()
        assert (section.title, section.version) == ("Kept", 2)

    def test_patch_without_if_match_is_last_write_wins(self, member, workspace):
        section = ScopeSectionFactory(workspace=workspace, version=7)
        response = member("editor").patch(sections_url(section.scope, section.pk), {"title": "Mine"})
        assert response.status_code == 200
        assert response.json()["version"] == 8

    def test_patch_with_a_source_without_document_is_400(self, member, workspace):
        """PATCH makes fields optional, not a source's document_id (was a KeyError 500; found by schemathesis)."""
        section, editor = ScopeSectionFactory(workspace=workspace), member("editor")
        with unchanged(ScopeSection.objects.all(), ActivityEvent.objects.all()):
            response = editor.patch(sections_url(section.scope, section.pk), {"sources": [{"page": 1}]})
        errors = assert_error(response, 400, "validation_error")["sources"]  # DRF keys a partial list's errors by index
        assert errors == {"0": {"document_id": ["This field is required."]}}

    def test_malformed_if_match_is_412(self, member, workspace):
        section = ScopeSectionFactory(workspace=workspace)
        response = member("editor").patch(sections_url(section.scope, section.pk), {"title": "x"}, HTTP_IF_MATCH="abc")
        assert assert_error(response, 412, "precondition_failed")["current_version"] == 1
        assert response["ETag"] == '"1"'  # what to re-read from, as on a lost update
        section.refresh_from_db()
        assert (section.title, section.version) != ("x", 2)

    def test_delete_closes_the_gap(self, member, workspace):
        editor = member("editor")
        scope = ScopeFactory(workspace=workspace)
        sections = [ScopeSectionFactory(scope=scope, title=t) for t in "ABCD"]
        assert editor.delete(sections_url(scope, sections[1].pk)).status_code == 204
        assert positions(scope) == [("A", 0), ("C", 1), ("D", 2)]
        assert_error(editor.delete(sections_url(scope, sections[1].pk)), 404, "not_found")
        assert positions(scope) == [("A", 0), ("C", 1), ("D", 2)]

    def test_reorder(self, member, workspace):
        editor = member("editor")
        scope = ScopeFactory(workspace=workspace)
        a, b, c = (ScopeSectionFactory(scope=scope, title=t) for t in "ABC")
        versions = {s.pk: s.version for s in (a, b, c)}
        response = editor.post(sections_url(scope, "reorder"), {"order": [str(c.pk), str(a.pk), str(b.pk)]})
        assert response.status_code == 200
        assert [row["title"] for row in response.json()] == ["C", "A", "B"]
        assert positions(scope) == [("C", 0), ("A", 1), ("B", 2)]
        # Moving is not editing: the sections' own versions (their ETags) are untouched.
        assert {s.pk: s.version for s in ScopeSection.objects.filter(scope=scope)} == versions
        assert ActivityEvent.objects.filter(verb="scope.updated", metadata__change="reordered").count() == 1

    @pytest.mark.parametrize("mistake", ["missing", "extra", "duplicate", "foreign"])
    def test_reorder_must_be_exactly_the_scope_sections(self, member, workspace, mistake):
        editor = member("editor")
        scope = ScopeFactory(workspace=workspace)
        ids = [str(ScopeSectionFactory(scope=scope).pk) for _ in range(3)]
        other = str(ScopeSectionFactory(workspace=workspace).pk)
        order = {
            "missing": ids[:2],
            "extra": [*ids, "5b1f4a44-3d1e-4d43-a7b4-1f0c2f0f1c11"],
            "duplicate": [ids[0], ids[0], ids[1], ids[2]],
            "foreign": [ids[0], ids[1], other],
        }[mistake]
        before = positions(scope)
        response = editor.post(sections_url(scope, "reorder"), {"order": order})
        assert response.status_code == 400
        assert response.json()["error"]["code"] == "validation_error"
        assert positions(scope) == before

    def test_sections_of_another_scope_are_404(self, member, workspace):
        section = ScopeSectionFactory(workspace=workspace)
        other_scope, editor = ScopeFactory(workspace=workspace), member("editor")
        with unchanged(ScopeSection.objects.all(), ActivityEvent.objects.all()):
            assert_error(editor.patch(sections_url(other_scope, section.pk), {"title": "x"}), 404, "not_found")
        section.refresh_from_db()
        assert section.title != "x"


@pytest.mark.django_db(transaction=True)
def test_two_editors_race_on_one_section(member, workspace):
    """Both editors read version 1 and save at the same moment: one wins, the other gets 412, re-reads, retries."""
    section = ScopeSectionFactory(workspace=workspace)
    url = sections_url(section.scope, section.pk)
    alice, bob = member("editor"), member("editor")
    etag = alice.get(url)["ETag"]
    assert etag == bob.get(url)["ETag"] == '"1"'
    start, results = threading.Barrier(2), {}

    def save(name, client):
        try:
            start.wait()
            results[name] = client.patch(url, {"content": f"{name}'s text"}, HTTP_IF_MATCH=etag)
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=pair) for pair in (("alice", alice), ("bob", bob))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    statuses = sorted(response.status_code for response in results.values())
    assert statuses == [200, 412]
    loser = next(name for name, response in results.items() if response.status_code == 412)
    assert_error(results[loser], 412, "precondition_failed")
    client = {"alice": alice, "bob": bob}[loser]
    fresh = client.get(url)
    retried = client.patch(url, {"content": f"{loser}'s text"}, HTTP_IF_MATCH=fresh["ETag"])
    assert retried.status_code == 200
    section.refresh_from_db()
    assert section.version == 3
    assert section.content == f"{loser}'s text"


@pytest.mark.django_db(transaction=True)
def test_concurrent_adds_deletes_and_reorders_keep_positions_dense(member, workspace):
    scope = ScopeFactory(workspace=workspace)
    for index in range(6):
        ScopeSectionFactory(scope=scope, title=f"S{index}")
    clients = [member("editor") for _ in range(6)]
    statuses = []

    def work(index, client):
        for round_ in range(4):
            if (index + round_) % 3 == 0:
                response = client.post(sections_url(scope), {"title": f"new {index}-{round_}"})
            elif (index + round_) % 3 == 1:
                order = client.get(sections_url(scope)).json()
                ids = [row["id"] for row in order][::-1]
                response = client.post(sections_url(scope, "reorder"), {"order": ids})
            else:
                rows = client.get(sections_url(scope)).json()
                if not rows:
                    continue
                response = client.delete(sections_url(scope, rows[index % len(rows)]["id"]))
            statuses.append(response.status_code)

    race(*(functools.partial(work, index, client) for index, client in enumerate(clients)))
    # A reorder built from a read that a concurrent add/delete made stale is refused (400), never half-applied;
    # a delete of a section someone else just deleted is a 404. Nothing else may fail.
    assert set(statuses) <= {200, 201, 204, 400, 404}
    assert statuses.count(201) == 8
    found = list(ScopeSection.objects.filter(scope=scope).order_by("position").values_list("position", flat=True))
    assert found == list(range(len(found)))
