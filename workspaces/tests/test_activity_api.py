import pytest

from accounts.tests.factories import UserFactory
from orbit.testing import assert_error
from workspaces.activity import Verb, record
from workspaces.models import ActivityEvent, Workspace
from workspaces.tests.factories import ActivityEventFactory
from workspaces.tests.invitation_support import token_from_last_mail

pytestmark = pytest.mark.django_db


def feed(workspace):
    return f"/api/workspaces/{workspace.pk}/activity/"


@pytest.mark.parametrize("role", ["owner", "admin", "editor", "viewer"])
def test_every_member_reads_the_feed(role, member, workspace):
    record(workspace=workspace, actor=workspace.owner, verb=Verb.WORKSPACE_UPDATED, target=workspace)
    response = member(role).get(feed(workspace))
    assert response.status_code == 200
    event = response.json()["results"][0]
    assert event["verb"] == "workspace.updated"
    assert event["actor"]["id"] == str(workspace.owner_id)
    assert set(event["actor"]) == {"id", "email", "full_name", "avatar_url"}
    assert (event["target_type"], event["target_id"]) == ("workspaces.workspace", str(workspace.pk))


def test_feed_is_newest_first_and_cursor_paginated(member, workspace):
    verbs = list(Verb)[:5]
    for verb in verbs:
        record(workspace=workspace, actor=None, verb=verb)
    client = member("viewer")
    first = client.get(feed(workspace), {"limit": 3}).json()
    assert [item["verb"] for item in first["results"]] == [verbs[4], verbs[3], verbs[2]]
    second = client.get(first["next"]).json()
    assert [item["verb"] for item in second["results"]] == [verbs[1], verbs[0]]
    assert second["next"] is None


def test_feed_excludes_other_workspaces(member, workspace, other_workspace):
    record(workspace=other_workspace, actor=None, verb=Verb.SCOPE_CREATED)
    verbs = [item["verb"] for item in member("viewer").get(feed(workspace)).json()["results"]]
    assert "scope.created" not in verbs


def test_filters_by_verb_actor_and_target(member, workspace):
    someone = UserFactory()
    record(workspace=workspace, actor=someone, verb=Verb.MEMBER_JOINED, target=someone)
    record(workspace=workspace, actor=workspace.owner, verb=Verb.MEMBER_REMOVED, target=someone)
    record(workspace=workspace, actor=workspace.owner, verb=Verb.WORKSPACE_UPDATED, target=workspace)
    client = member("viewer")

    def verbs(**params):
        response = client.get(feed(workspace), params)
        assert response.status_code == 200, response.content
        return sorted(item["verb"] for item in response.json()["results"])

    assert verbs(verb=Verb.MEMBER_JOINED) == ["member.joined"]
    assert verbs(verb_prefix="member.") == ["member.joined", "member.removed"]
    assert verbs(actor=str(someone.pk)) == ["member.joined"]
    assert verbs(target_type="accounts.user", target_id=str(someone.pk)) == ["member.joined", "member.removed"]
    assert "actor" in assert_error(client.get(feed(workspace), {"actor": "not-a-uuid"}), 400, "validation_error")
    assert "ordering" in assert_error(client.get(feed(workspace), {"ordering": "verb"}), 400, "validation_error")


@pytest.mark.parametrize(
    ("param", "value"),
    [("verb", "member.joind"), ("verb", "member."), ("verb_prefix", "memebr."), ("verb_prefix", "x")],
)
def test_unknown_verbs_and_prefixes_are_refused(param, value, member, workspace):
    """The filters are validated against ActivityEvent.Verb: a misspelt verb is a 400 naming it, not an empty feed."""
    record(workspace=workspace, actor=None, verb=Verb.MEMBER_JOINED)
    response = member("viewer").get(feed(workspace), {param: value})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "validation_error"
    assert param in response.json()["error"]["details"]


@pytest.mark.parametrize("verb", ["member.joined", "x.y", ""])
def test_record_takes_only_a_verb_member(verb, workspace):
    with pytest.raises(TypeError, match="ActivityEvent.Verb"):
        record(workspace=workspace, actor=None, verb=verb)
    assert not ActivityEvent.objects.exists()


def test_record_defaults_the_workspace_to_the_targets(workspace, other_workspace):
    from scopes.tests.factories import ProjectFactory

    project = ProjectFactory(workspace=workspace)
    event = record(actor=None, verb=Verb.PROJECT_CREATED, target=project)
    assert (event.workspace_id, event.target_id) == (workspace.pk, str(project.pk))
    named = record(workspace=other_workspace, actor=None, verb=Verb.MEMBER_JOINED, target=workspace.owner)
    assert named.workspace_id == other_workspace.pk


@pytest.mark.parametrize("target", [None, "user", "workspace"])
def test_record_needs_the_workspace_when_the_target_does_not_give_one(target, workspace):
    target = {"user": workspace.owner, "workspace": workspace}.get(target)
    with pytest.raises(TypeError, match="name the workspace"):
        record(actor=None, verb=Verb.WORKSPACE_UPDATED, target=target)
    assert not ActivityEvent.objects.exists()


def test_the_schema_lists_the_verbs(api_client):
    schema = api_client.get("/api/schema/", {"format": "json"}).json()
    assert schema["components"]["schemas"]["ActivityVerbEnum"]["enum"] == list(Verb.values)
    assert "#/components/schemas/ActivityVerbEnum" in str(
        schema["components"]["schemas"]["ActivityEvent"]["properties"]["verb"]
    )
    feed_operation = next(path["get"] for url, path in schema["paths"].items() if url.endswith("/activity/"))
    verb_param = next(p for p in feed_operation["parameters"] if p["name"] == "verb")
    assert sorted(verb_param["schema"]["enum"]) == sorted(Verb.values)


@pytest.mark.parametrize("count", [1, 50])
def test_feed_runs_constant_queries(count, member, workspace, django_assert_num_queries):
    client = member("viewer")
    for _ in range(count):
        ActivityEventFactory(workspace=workspace, actor=UserFactory())
    # auth user + membership + workspace (one query), page of events with actors
    with django_assert_num_queries(2):
        response = client.get(feed(workspace), {"limit": 100})
    assert len(response.json()["results"]) == count


def test_events_are_append_only(workspace):
    event = record(workspace=workspace, actor=None, verb=Verb.SCOPE_CREATED)
    event.verb = Verb.SCOPE_DELETED
    with pytest.raises(ValueError, match="append-only"):
        event.save()
    assert ActivityEvent.objects.get(pk=event.pk).verb == "scope.created"


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
        assert invitee.post(f"/api/invitations/{token_from_last_mail()}/accept/").status_code == 200
        invitees.append(invitee)
    memberships = {m["user"]["id"]: m["id"] for m in auth_client.get(f"{base}/members/").json()["results"]}
    assert (
        auth_client.patch(f"{base}/members/{memberships[str(invitees[0].user.pk)]}/", {"role": "admin"}).status_code
        == 200
    )
    assert auth_client.delete(f"{base}/members/{memberships[str(invitees[1].user.pk)]}/").status_code == 204
    assert auth_client.post(f"{base}/transfer-ownership/", {"user_id": str(invitees[0].user.pk)}).status_code == 200
    assert auth_client.post(f"{base}/members/leave/").status_code == 204
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
