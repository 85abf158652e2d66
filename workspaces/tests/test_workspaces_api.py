import pytest

from accounts.tests.factories import UserFactory
from orbit.testing import assert_error
from orbit.testing_state import unchanged
from workspaces.models import ActivityEvent, Membership, Workspace
from workspaces.tests.conftest import error_code
from workspaces.tests.factories import MembershipFactory, WorkspaceFactory

pytestmark = pytest.mark.django_db

LIST = "/api/workspaces/"


def detail(workspace):
    return f"/api/workspaces/{workspace.pk}/"


def test_create_makes_the_caller_owner_and_records_activity(auth_client):
    response = auth_client.post(LIST, {"name": "Acme Studio", "industry": "Design"}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["slug"] == "acme-studio"
    assert body["my_role"] == "owner"
    assert body["plan"] == "free"
    workspace = Workspace.objects.get(pk=body["id"])
    assert workspace.owner == auth_client.user
    assert Membership.objects.get(workspace=workspace, user=auth_client.user).role == Membership.Role.OWNER
    event = ActivityEvent.objects.get(workspace=workspace)
    assert (event.verb, event.actor, event.target_id) == ("workspace.created", auth_client.user, str(workspace.pk))


def test_slugs_stay_unique_across_name_collisions(auth_client):
    WorkspaceFactory(name="Taken", slug="acme")
    slugs = [auth_client.post(LIST, {"name": "Acme"}, format="json").json()["slug"] for _ in range(3)]
    assert slugs == ["acme-2", "acme-3", "acme-4"]


def test_a_name_without_letters_gets_a_generic_slug(auth_client):
    assert auth_client.post(LIST, {"name": "!!!"}, format="json").json()["slug"] == "workspace"


def test_create_validates_input(auth_client):
    response = auth_client.post(LIST, {"name": "", "primary_color": "red"}, format="json")
    assert response.status_code == 400
    assert error_code(response) == "validation_error"
    assert set(response.json()["error"]["details"]) == {"name", "primary_color"}


def test_list_shows_only_my_live_workspaces_with_my_role(make_client):
    me = UserFactory()
    mine = WorkspaceFactory(owner=me)
    guest = MembershipFactory(user=me, role=Membership.Role.VIEWER).workspace
    WorkspaceFactory()  # someone else's
    deleted = WorkspaceFactory(owner=me)
    deleted.deleted_at = deleted.created_at
    deleted.save()
    response = make_client(me).get(LIST)
    assert response.status_code == 200
    roles = {item["id"]: item["my_role"] for item in response.json()["results"]}
    assert roles == {str(mine.pk): "owner", str(guest.pk): "viewer"}


@pytest.mark.parametrize("count", [1, 50])
def test_list_runs_constant_queries(count, make_client, django_assert_num_queries):
    me = UserFactory()
    for _ in range(count):
        MembershipFactory(user=me, role=Membership.Role.EDITOR)
    client = make_client(me)
    # auth user, page of workspaces (with role subquery and owner join)
    with django_assert_num_queries(2):
        response = client.get(LIST, {"limit": 100})
    assert len(response.json()["results"]) == count


def test_list_and_create_need_authentication(api_client):
    assert_error(api_client.get(LIST), 401, "not_authenticated")
    assert_error(api_client.post(LIST, {"name": "x"}, format="json"), 401, "not_authenticated")
    assert not Workspace.objects.filter(name="x").exists()


@pytest.mark.parametrize("role", ["owner", "admin", "editor", "viewer"])
def test_any_member_reads_the_workspace(role, member, workspace):
    response = member(role).get(detail(workspace))
    assert response.status_code == 200
    assert response.json()["my_role"] == role
    assert response.json()["name"] == workspace.name


@pytest.mark.parametrize(("role", "expected"), [("owner", 200), ("admin", 200), ("editor", 403), ("viewer", 403)])
def test_update_role_table(role, expected, member, workspace):
    response = member(role).patch(
        detail(workspace), {"name": "Renamed", "primary_color": "#112233", "logo_url": "https://x.test/l.png"}
    )
    assert response.status_code == expected, response.content
    workspace.refresh_from_db()
    if expected == 200:
        assert (workspace.name, workspace.primary_color, workspace.logo_url) == (
            "Renamed",
            "#112233",
            "https://x.test/l.png",
        )
        assert ActivityEvent.objects.filter(workspace=workspace, verb="workspace.updated").exists()
    else:
        assert error_code(response) == "permission_denied"
        assert workspace.name != "Renamed"


def test_update_refuses_a_taken_slug_and_bad_colour(member, workspace):
    WorkspaceFactory(slug="taken")
    owner = member("owner")
    response = owner.patch(detail(workspace), {"slug": "taken"})
    assert "slug" in assert_error(response, 400, "validation_error")
    assert "primary_color" in assert_error(
        owner.patch(detail(workspace), {"primary_color": "#12345"}), 400, "validation_error"
    )
    unchanged = Workspace.objects.get(pk=workspace.pk)
    assert (unchanged.slug, unchanged.primary_color) == (workspace.slug, workspace.primary_color)
    assert owner.patch(detail(workspace), {"slug": "fresh-slug"}).json()["slug"] == "fresh-slug"


@pytest.mark.parametrize(("role", "expected"), [("owner", 204), ("admin", 403), ("editor", 403), ("viewer", 403)])
def test_delete_role_table(role, expected, member, workspace):
    client = member(role)
    response = client.delete(detail(workspace))
    if expected == 403:
        assert_error(response, 403, "permission_denied")
    assert response.status_code == expected
    workspace.refresh_from_db()
    assert (workspace.deleted_at is not None) == (expected == 204)


def test_deleted_workspace_is_gone_for_everyone(member, workspace):
    owner, viewer = member("owner"), member("viewer")
    assert owner.delete(detail(workspace)).status_code == 204
    assert Workspace.objects.filter(pk=workspace.pk).exists()  # soft
    for client, url in (
        (owner, detail(workspace)),
        (viewer, detail(workspace)),
        (viewer, f"{detail(workspace)}members/"),
    ):
        assert_error(client.get(url), 404, "not_found")
    assert owner.get(LIST).json()["results"] == []


@pytest.mark.parametrize("method", ["get", "patch", "delete"])
def test_non_member_gets_404_not_403(member, other_workspace, method):
    outsider = member("owner")
    with unchanged(Workspace.objects.all(), ActivityEvent.objects.all()):
        assert_error(getattr(outsider, method)(detail(other_workspace), {"name": "Taken"}), 404, "not_found")


def test_a_model_validation_error_from_a_service_answers_400_not_500():
    """Services call full_clean(); a Django ValidationError must leave in the envelope as validation_error."""
    from django.core.exceptions import ValidationError

    from orbit.exception_handler import exception_handler

    response = exception_handler(ValidationError({"primary_color": ["Use a hex colour."]}), {})
    assert response.status_code == 400
    assert response.data["error"]["code"] == "validation_error"
    assert response.data["error"]["details"] == {"primary_color": ["Use a hex colour."]}


def test_create_with_an_idempotency_key_makes_one_workspace(auth_client):
    headers = {"HTTP_IDEMPOTENCY_KEY": "create-acme-1"}
    first = auth_client.post(LIST, {"name": "Acme"}, format="json", **headers)
    second = auth_client.post(LIST, {"name": "Acme"}, format="json", **headers)
    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json()["id"] == second.json()["id"]
    assert second["Idempotent-Replayed"] == "true"
    assert Workspace.objects.filter(owner=auth_client.user).count() == 1


def test_log_lines_of_a_scoped_request_carry_the_workspace_id(member, workspace):
    import io
    import json
    import logging

    client = member("viewer")
    root = logging.getLogger()
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(root.handlers[0].formatter)
    original = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        assert client.get(detail(workspace)).status_code == 200
    finally:
        root.removeHandler(handler)
        root.setLevel(original)
    finished = [json.loads(line) for line in stream.getvalue().splitlines() if "request_finished" in line]
    assert finished[-1]["workspace_id"] == str(workspace.pk)
    assert finished[-1]["user_id"] == str(client.user.pk)


@pytest.fixture(scope="module")
def openapi_components():
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)["components"]["schemas"]


@pytest.mark.parametrize(("component", "field"), [("Membership", "invited_by"), ("Invitation", "invited_by")])
def test_nullable_relations_are_nullable_in_the_schema(openapi_components, component, field):
    """The owner's membership has no inviter: the API answers null, the schema must allow it."""
    assert {"type": "null"} in openapi_components[component]["properties"][field]["oneOf"]  # OpenAPI 3.1


def test_logo_url_may_be_empty_in_the_schema(openapi_components):
    """A workspace without a logo answers logo_url "", which a `uri` format refuses."""
    assert "format" not in openapi_components["Workspace"]["properties"]["logo_url"]


@pytest.mark.django_db
def test_a_workspace_without_logo_answers_an_empty_logo_url(member, workspace):
    body = member("owner").get(f"/api/workspaces/{workspace.pk}/").json()
    assert body["logo_url"] == ""
