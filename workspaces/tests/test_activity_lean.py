"""The activity feed's lean read path (workspaces.selectors.activity_rows + api/representations.py) answers the
bytes of the ORM path and of the declared ActivityEventSerializer: every page both ways, links included. An empty
`actor=` (no filter) sends a request down the ORM path, the reference."""

from urllib.parse import parse_qsl, urlsplit

import pytest
from django.utils import timezone
from rest_framework.renderers import JSONRenderer

from accounts.tests.factories import UserFactory
from workspaces.api.representations import activity_row_json
from workspaces.api.serializers import ActivityEventSerializer
from workspaces.models import ActivityEvent
from workspaces.selectors import ACTIVITY_VALUES, activity_queryset, activity_rows
from workspaces.tests.factories import ActivityEventFactory, WorkspaceFactory

pytestmark = pytest.mark.django_db


def render(data) -> bytes:
    return JSONRenderer().render(data)


def feed(workspace) -> str:
    return f"/api/workspaces/{workspace.pk}/activity/"


@pytest.fixture
def events(workspace):
    """Every shape an event takes: with and without an actor (a deleted user), metadata nested, unicode, empty."""
    ActivityEventFactory(workspace=workspace, actor=None, metadata={})
    ActivityEventFactory(
        workspace=workspace,
        actor=UserFactory(full_name="Zoë \u2028 Ørsted", avatar_url="https://example.com/a.png"),
        verb=ActivityEvent.Verb.MEMBER_JOINED,
        target_type="accounts.user",  # what member.joined is about (a value of ActivityTargetTypeEnum)
        target_id="42",
        metadata={"fields": ["name", "goals"], "nested": {"none": None, "n": 1.5}, "text": "« cité » 🚀"},
    )
    for n in range(6):
        ActivityEventFactory(workspace=workspace, metadata={"n": n})
    ActivityEventFactory(workspace=WorkspaceFactory())  # another workspace's: never shown
    return ActivityEvent.objects.filter(workspace=workspace)


def links(body):
    def strip(link):
        if link is None:
            return None
        parts = urlsplit(link)
        return parts.path, sorted((k, v) for k, v in parse_qsl(parts.query) if k != "actor")

    return strip(body["next"]), strip(body["previous"])


def walk(client, link, direction):
    pages = []
    while link:
        lean_answer, orm_answer = client.get(link), client.get(link + "&actor=")
        assert lean_answer.status_code == orm_answer.status_code == 200
        pages.append((lean_answer.json(), orm_answer.json(), lean_answer))
        link = lean_answer.json()[direction]
        assert len(pages) < 30
    return pages


@pytest.mark.parametrize("limit", [1, 3, 25])
def test_every_page_both_ways_is_the_orm_paths_and_the_serializers(member, workspace, events, limit):
    client = member("viewer")
    forward = walk(client, f"{feed(workspace)}?limit={limit}", "next")
    seen = []
    for lean_body, orm_body, _response in forward:
        assert render(lean_body["results"]) == render(orm_body["results"])
        assert links(lean_body) == links(orm_body)
        ids = [row["id"] for row in lean_body["results"]]
        by_id = {str(event.pk): event for event in activity_queryset().filter(pk__in=ids)}
        assert render(lean_body["results"]) == render(ActivityEventSerializer([by_id[i] for i in ids], many=True).data)
        seen += ids
    assert len(seen) == len(set(seen))
    assert {str(pk) for pk in events.values_list("pk", flat=True)} <= set(seen)
    last = forward[-1][2].request
    for lean_body, orm_body, _response in walk(client, f"{last['PATH_INFO']}?{last['QUERY_STRING']}", "previous"):
        assert render(lean_body["results"]) == render(orm_body["results"])
        assert links(lean_body) == links(orm_body)


@pytest.mark.parametrize("zone", ["UTC", "Europe/Paris", "America/St_Johns"])
def test_rows_are_the_serializers_bytes_in_any_current_time_zone(workspace, events, zone):
    rows = activity_rows(workspace_id=workspace.pk).order_by("-created_at")[0:100]
    with timezone.override(zone):
        assert render([activity_row_json(row) for row in rows]) == render(
            ActivityEventSerializer(
                activity_queryset().filter(workspace=workspace).order_by("-created_at"), many=True
            ).data
        )


def test_a_filter_still_takes_the_filter_backends(member, workspace, events):
    client = member("viewer")
    assert client.get(feed(workspace) + "?verb_prefix=nope").status_code == 400
    joined = client.get(feed(workspace) + "?verb=member.joined").json()["results"]
    assert [row["verb"] for row in joined] == ["member.joined"]
    assert client.get(feed(workspace) + "?cursor=cD1ub3QtYS1kYXRl").json()["error"]["details"].keys() == {"cursor"}


def test_the_feeds_values_are_what_the_compiled_representation_reads():
    assert sorted(ACTIVITY_VALUES) == sorted(activity_row_json.values)
