"""The lean read path (scopes/lean.py: queries compiled once per shape, rows to JSON) answers the same bytes as the
ORM path and the declared serializers: every page of the list, search and trash, forwards and backwards, links
included, and every detail. An empty `project=` (no filter) sends a request down the ORM path, the reference."""

from datetime import timedelta
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from django.utils import timezone
from rest_framework.renderers import JSONRenderer

from scopes import lean, search, selectors
from scopes.api.representations import scope_detail_row_json, scope_row_json
from scopes.api.serializers import ScopeDetailSerializer, ScopeSerializer
from scopes.models import Scope
from scopes.tests.factories import FavouriteFactory, ScopeFactory, ScopeSectionFactory

pytestmark = pytest.mark.django_db


def render(data) -> bytes:
    return JSONRenderer().render(data)


def url(workspace, *parts) -> str:
    return "/".join([f"/api/workspaces/{workspace.pk}/scopes", *map(str, parts)]) + "/"


@pytest.fixture
def many(workspace, varied_scopes, member):
    """The varied scopes plus five with the same search text (tied ranks: cursor offsets), two more in the trash,
    a favourite of another member (never the caller's). Creation times differ: rows tied on every ordering
    field have no defined order in SQL, on either path."""
    now = timezone.now()
    tied = [ScopeFactory(workspace=workspace, title=f"Tied rich {n}", summary="rich rich") for n in range(5)]
    for n in range(2):
        ScopeFactory(workspace=workspace, title=f"Binned rich {n}", deleted_at=now - timedelta(hours=n))
    other = member("viewer")
    FavouriteFactory(scope=tied[0], user=other.user)
    ScopeSectionFactory(scope=tied[1], title="rich section")
    search.refresh(Scope.objects.filter(workspace=workspace).values_list("pk", flat=True))
    return member("editor")


def reference_rows(client, workspace, ids, *, query=None):
    """The page's scopes as the ORM path reads them, through the declared serializer."""
    scopes = selectors.with_list_annotations(Scope.objects.filter(workspace=workspace), user=client.user)
    if query:
        scopes = search.apply(scopes, query)
    by_id = {str(scope.pk): scope for scope in scopes.filter(pk__in=ids)}
    return render(ScopeSerializer([by_id[i] for i in ids], many=True).data)


def without_orm_switch(link):
    if link is None:
        return None
    parts = urlsplit(link)
    return parts.path, sorted((key, value) for key, value in parse_qsl(parts.query) if key != "project")


def walk(client, first: str, direction: str):
    """Every page from `first` following `direction` links, as (lean response, ORM response)."""
    pages, link = [], first
    while link:
        lean_answer = client.get(link)
        orm_answer = client.get(link + ("&" if "?" in link else "?") + "project=")
        assert lean_answer.status_code == orm_answer.status_code == 200
        pages.append((lean_answer.json(), orm_answer.json(), lean_answer))
        link = lean_answer.json()[direction]
        assert len(pages) < 50
    return pages


@pytest.mark.parametrize("path", ["", "trash/"])
@pytest.mark.parametrize("query", [None, "rich", "  rich  ", "Tied -binned", "nothing-matches"])
@pytest.mark.parametrize("limit", [1, 2, 25])
def test_every_page_both_ways_is_the_orm_paths_and_the_serializers(workspace, many, path, query, limit):
    first = url(workspace) + path + "?" + urlencode({"limit": limit} | ({"q": query} if query is not None else {}))
    forward = walk(many, first, "next")
    seen = []
    for lean_body, orm_body, response in forward:
        ids = [row["id"] for row in lean_body["results"]]
        assert render(lean_body["results"]) == render(orm_body["results"])
        assert response.content.count(b'"rank":') == len(ids)
        assert render(lean_body["results"]) == reference_rows(many, workspace, ids, query=(query or "").strip())
        for key in ("next", "previous"):
            assert without_orm_switch(lean_body[key]) == without_orm_switch(orm_body[key])
        seen += ids
    assert len(seen) == len(set(seen))
    expected = Scope.objects.filter(workspace=workspace, deleted_at__isnull=(path == ""))
    if query is None or not query.strip():
        assert len(seen) == expected.count()
    # And back from the last page (DRF's cursor orders ties its own way backwards: each page is compared).
    last = forward[-1][2].request
    for lean_body, orm_body, _response in walk(many, f"{last['PATH_INFO']}?{last['QUERY_STRING']}", "previous"):
        assert render(lean_body["results"]) == render(orm_body["results"])
        for key in ("next", "previous"):
            assert without_orm_switch(lean_body[key]) == without_orm_switch(orm_body[key])


def test_every_detail_is_the_serializers_bytes(workspace, many):
    for scope in Scope.objects.filter(workspace=workspace).alive():
        response = many.get(url(workspace, scope.pk))
        assert response.status_code == 200
        reference = selectors.with_detail(Scope.objects.filter(pk=scope.pk), user=many.user).get()
        assert response.content == render(ScopeDetailSerializer(reference).data)
        assert response["ETag"] == f'"{reference.version}"'


def test_a_trashed_unknown_or_foreign_scope_is_404(workspace, many):
    trashed = Scope.objects.filter(workspace=workspace).trashed().first()
    foreign = ScopeFactory()
    for scope_id in (trashed.pk, foreign.pk, "00000000-0000-0000-0000-000000000000"):
        response = many.get(url(workspace, scope_id))
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ("q=" + "x" * 201, "q"),
        ("q=a%00b", "q"),
        ("limit=0", "limit"),
        ("cursor=%40%40%40", "cursor"),
        ("cursor=cD1ub3QtYS1kYXRl", "cursor"),  # p=not-a-date: a forged position
        ("q=rich&cursor=cD1ub3QtYS1mbG9hdA%3D%3D", "cursor"),  # p=not-a-float for the rank
    ],
)
def test_refused_parameters_are_still_400_naming_them(workspace, many, params, field):
    response = many.get(url(workspace) + "?" + params)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "validation_error"
    assert field in response.json()["error"]["details"]


def test_the_flags_are_the_callers_and_writes_show_at_once(workspace, many, member):
    scope = ScopeFactory(workspace=workspace, title="Before")
    other = member("viewer")
    FavouriteFactory(scope=scope, user=other.user)
    mine = {row["id"]: row for row in many.get(url(workspace) + "?limit=100").json()["results"]}
    theirs = {row["id"]: row for row in other.get(url(workspace) + "?limit=100").json()["results"]}
    assert mine[str(scope.pk)]["is_favourite"] is False
    assert theirs[str(scope.pk)]["is_favourite"] is True
    patched = many.patch(url(workspace, scope.pk), {"title": "After"}, format="json")
    assert patched.status_code == 200
    assert many.get(url(workspace) + "?limit=100").json()["results"][0]["title"] == "After"
    assert many.get(url(workspace, scope.pk)).json()["title"] == "After"


def test_another_workspace_sees_none_of_these_rows(workspace, many, make_client):
    other_scope = ScopeFactory(title="Elsewhere")
    client = make_client(other_scope.workspace.owner)
    rows = client.get(url(other_scope.workspace) + "?limit=100").json()["results"]
    assert [row["id"] for row in rows] == [str(other_scope.pk)]


def test_list_and_detail_run_one_query_after_the_user(workspace, many, django_assert_num_queries):
    scope = Scope.objects.filter(workspace=workspace).alive().first()
    with django_assert_num_queries(2):  # user + membership + workspace, the page
        assert many.get(url(workspace) + "?limit=100&q=rich").status_code == 200
    with django_assert_num_queries(3):  # user + membership + workspace, the scope, its sections
        assert many.get(url(workspace, scope.pk)).status_code == 200


def test_a_shape_names_every_request_value_as_a_parameter():
    compiled = lean.scope_rows(workspace_id=None, user_id=None, trashed=False, query="x").order_by("-rank")._compiled()
    names = [name for name, _constant in compiled.slots if name]
    assert sorted(set(names)) == ["query", "user", "workspace"]
    assert lean.QUERY not in compiled.sql
    assert str(lean.WORKSPACE) not in compiled.sql


@pytest.mark.parametrize("zone", ["UTC", "Europe/Paris", "America/St_Johns"])
def test_lean_rows_are_the_serializers_bytes_in_any_current_time_zone(workspace, many, zone):
    rows = lean.scope_rows(workspace_id=workspace.pk, user_id=many.user.pk, trashed=False, query=None)
    rows = rows.order_by("-created_at")[0:100]
    scopes = selectors.with_list_annotations(Scope.objects.filter(workspace=workspace).alive(), user=many.user)
    with timezone.override(zone):
        assert render([scope_row_json(row) for row in rows]) == render(
            ScopeSerializer(scopes.order_by("-created_at"), many=True).data
        )
        for scope in scopes:
            row, sections = lean.scope_detail_rows(workspace_id=workspace.pk, user_id=many.user.pk, scope_id=scope.pk)
            reference = selectors.with_detail(Scope.objects.filter(pk=scope.pk), user=many.user).get()
            assert render(scope_detail_row_json(row, sections)) == render(ScopeDetailSerializer(reference).data)
