import pytest

from accounts.tests.factories import UserFactory
from workspaces.activity import record
from workspaces.models import ActivityEvent, Workspace
from workspaces.tests.factories import ActivityEventFactory
from workspaces.tests.test_invitations_api import token_from_last_mail

pytestmark = pytest.mark.django_db


def feed(workspace):
    return f"/api/workspaces/{workspace.pk}/activity/"


@pytest.mark.parametrize("role", ["owner", "admin", "editor", "viewer"])
def test_every_member_reads_the_feed(role, member, workspace):
    record(workspace=workspace, actor=workspace.owner, verb="workspace.updated", target=workspace)
    response = member(role).get(feed(workspace))
    assert response.status_code == 200
    event = response.json()["results"][0]
    assert event["verb"] == "workspace.updated"
    assert event["actor"]["id"] == str(workspace.owner_id)
    assert set(event["actor"]) == {"id", "email", "full_name", "avatar_url"}
    assert (event["target_type"], event["target_id"]) == ("workspaces.workspace", str(workspace.pk))


def test_feed_is_newest_first_and_cursor_paginated(member, workspace):
    for n in range(5):
        record(workspace=workspace, actor=None, verb=f"test.{n}")
    client = member("viewer")
    first = client.get(feed(workspace), {"limit": 3}).json()
    assert [item["verb"] for item in first["results"]] == ["test.4", "test.3", "test.2"]
    second = client.get(first["next"]).json()
    assert [item["verb"] for item in second["results"]] == ["test.1", "test.0"]
    assert second["next"] is None


def test_feed_excludes_other_workspaces(member, workspace, other_workspace):
    record(workspace=other_workspace, actor=None, verb="secret.thing")
    verbs = [item["verb"] for item in member("viewer").get(feed(workspace)).json()["results"]]
    assert "secret.thing" not in verbs


def test_filters_by_verb_actor_and_target(member, workspace):
    someone = UserFactory()
    record(workspace=workspace, actor=someone, verb="member.joined", target=someone)
    record(workspace=workspace, actor=workspace.owner, verb="member.removed", target=someone)
    record(workspace=workspace, actor=workspace.owner, verb="workspace.updated", target=workspace)
    client = member("viewer")

    def verbs(**params):
        response = client.get(feed(workspace), params)
        assert response.status_code == 200, response.content
        return sorted(item["verb"] for item in response.json()["results"])

    assert verbs(verb="member.joined") == ["member.joined"]
    assert verbs(verb_prefix="member.") == ["member.joined", "member.removed"]
    assert verbs(actor=str(someone.pk)) == ["member.joined"]
    assert verbs(target_type="accounts.user", target_id=str(someone.pk)) == ["member.joined", "member.removed"]
    assert client.get(feed(workspace), {"actor": "not-a-uuid"}).status_code == 400
    assert client.get(feed(workspace), {"ordering": "verb"}).status_code == 400


@pytest.mark.parametrize("count", [1, 50])
def test_feed_runs_constant_queries(count, member, workspace, django_assert_num_queries):
    client = member("viewer")
    for _ in range(count):
        ActivityEventFactory(workspace=workspace, actor=UserFactory())
    # auth user, membership+workspace, page of events with actors
    with django_assert_num_queries(3):
        response = client.get(feed(workspace), {"limit": 100})
    assert len(response.json()["results"]) == count


def test_events_are_append_only(workspace):
    event = record(workspace=workspace, actor=None, verb="x.y")
    event.verb = "changed"
    with pytest.raises(ValueError, match="append-only"):
        event.save()
    assert ActivityEvent.objects.get(pk=event.pk).verb == "x.y"


def test_key_actions_leave_a_trail(auth_client, make_client, committed):
    """Workspace created, member invited, joined, role changed, removed, left, ownership transferred."""
    workspace_id = auth_client.post("/api/workspaces/", {"name": "Trail"}, format="json").json()["id"]
    Workspace.objects.filter(pk=workspace_id).update(plan="team")
    base = f"/api/workspaces/{workspace_id}"
    invitees = []
    for n in range(2):
        invitee = make_client(UserFactory(email=f"trail{n}@example.com"))
        with committed():
            assert auth_client.post(f"{base}/invitations/", {"email": invitee.user.email}).status_code == 201
        assert invitee.post(f"/api/invitations/{token_from_last_mail()}/accept").status_code == 200
        invitees.append(invitee)
    memberships = {m["user"]["id"]: m["id"] for m in auth_client.get(f"{base}/members/").json()["results"]}
    assert (
        auth_client.patch(f"{base}/members/{memberships[str(invitees[0].user.pk)]}/", {"role": "admin"}).status_code
        == 200
    )
    assert auth_client.delete(f"{base}/members/{memberships[str(invitees[1].user.pk)]}/").status_code == 204
    assert auth_client.post(f"{base}/transfer-ownership", {"user_id": str(invitees[0].user.pk)}).status_code == 200
    assert auth_client.post(f"{base}/members/leave").status_code == 204
    verbs = list(
        ActivityEvent.objects.filter(workspace_id=workspace_id).order_by("created_at").values_list("verb", flat=True)
    )
    assert verbs == [
        "workspace.created",
        "member.invited",
        "member.joined",
        "member.invited",
        "member.joined",
        "member.role_changed",
        "member.removed",
        "workspace.ownership_transferred",
        "member.left",
    ]
