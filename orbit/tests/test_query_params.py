"""Every query parameter parses or answers 400 `validation_error` naming it (issue 9 item 8), decided once in
orbit/pagination.py and orbit/filters.py for every list, so each case here stands for all lists."""

from urllib.parse import quote

import pytest

from scopes.models import Scope
from scopes.tests.factories import ScopeFactory


def url(workspace, path, query):
    return f"/api/workspaces/{workspace.pk}/{path}?{query}"


def assert_refused(response, parameter):
    assert response.status_code == 400, response.content[:300]
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert list(error["details"]) == [parameter]


@pytest.fixture
def three_scopes(workspace):
    return [ScopeFactory(workspace=workspace) for _ in range(3)]


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["-1", "0", "abc", "1.5", "101", "1e2", "²", " 5", "9" * 30])
def test_a_limit_that_is_not_1_to_100_is_refused(member, workspace, three_scopes, value):
    """Before: 25 results for each of these (DRF falls back to the default page size)."""
    assert_refused(member("viewer").get(url(workspace, "scopes/", f"limit={quote(value)}")), "limit")


@pytest.mark.django_db
@pytest.mark.parametrize(("value", "count"), [("1", 1), ("100", 3), ("", 3)])
def test_a_good_limit_is_honoured(member, workspace, three_scopes, value, count):
    response = member("viewer").get(url(workspace, "scopes/", f"limit={value}"))
    assert response.status_code == 200
    assert len(response.json()["results"]) == count


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["@@@", "%00", "A" * 3000, "garbage", "cj0x", "eD0x"])  # cj0x: "r=1" ok below
def test_a_cursor_not_from_a_link_is_refused(member, workspace, three_scopes, value):
    """Before: `@@@`, `%00` and 3,000×A answered the first page. ("cj0x" is "r=1", valid; see the next test.)"""
    response = member("viewer").get(url(workspace, "scopes/", f"cursor={value}"))
    if value == "cj0x":
        assert response.status_code == 200
        return
    assert_refused(response, "cursor")


@pytest.mark.django_db
def test_the_cursor_of_a_next_link_still_works(member, workspace, three_scopes):
    client = member("viewer")
    first = client.get(url(workspace, "scopes/", "limit=2")).json()
    second = client.get(first["next"])
    assert second.status_code == 200
    seen = [s["id"] for s in first["results"]] + [s["id"] for s in second.json()["results"]]
    assert sorted(seen) == sorted(str(s.pk) for s in three_scopes)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "query", "parameter"),
    [
        ("scopes/", "favourite=maybe", "favourite"),
        ("scopes/", "trashed=yes", "trashed"),
        ("scopes/{scope}/comments/", "resolved=perhaps", "resolved"),
        ("templates/", "is_public=2", "is_public"),
    ],
)
def test_a_boolean_that_is_not_true_or_false_is_refused(member, workspace, three_scopes, path, query, parameter):
    """Before: ignored (`favourite=maybe` listed all, `trashed=yes` listed the live scopes)."""
    path = path.format(scope=three_scopes[0].pk)
    assert_refused(member("viewer").get(url(workspace, path, query)), parameter)


@pytest.mark.django_db
@pytest.mark.parametrize(("value", "trashed"), [("true", True), ("TRUE", True), ("1", True), ("false", False)])
def test_booleans_parse(member, workspace, three_scopes, value, trashed):
    Scope.objects.filter(pk=three_scopes[0].pk).update(deleted_at="2026-01-01T00:00:00Z")
    response = member("viewer").get(url(workspace, "scopes/", f"trashed={value}"))
    assert response.status_code == 200
    ids = {s["id"] for s in response.json()["results"]}
    assert ids == ({str(three_scopes[0].pk)} if trashed else {str(s.pk) for s in three_scopes[1:]})


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["nope", "title,nope", "-password"])
def test_an_ordering_outside_the_list_is_refused(member, workspace, three_scopes, value):
    assert_refused(member("viewer").get(url(workspace, "scopes/", f"ordering={value}")), "ordering")


@pytest.mark.django_db
def test_orderings_combine(member, workspace, three_scopes):
    response = member("viewer").get(url(workspace, "scopes/", "ordering=-title,created_at"))
    titles = [s["title"] for s in response.json()["results"]]
    assert titles == sorted(titles, reverse=True)


def test_the_schema_lists_each_ordering_and_the_limit_maximum():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    params = {p["name"]: p for p in schema["paths"]["/api/workspaces/{workspace_id}/scopes/"]["get"]["parameters"]}
    assert params["limit"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 100}
    assert "-title" in params["ordering"]["schema"]["items"]["enum"]
    reorder = schema["paths"]["/api/workspaces/{workspace_id}/scopes/{scope_id}/sections/reorder/"]["post"]
    assert not [p for p in reorder.get("parameters", []) if p["in"] == "query"], "reorder takes no query parameter"
