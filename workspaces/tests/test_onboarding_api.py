import pytest
from django.core import mail

from accounts.tests.factories import UserFactory
from orbit.testing import assert_error, race
from orbit.testing_state import unchanged
from workspaces.models import Invitation, Membership, Onboarding, Workspace
from workspaces.services.onboarding import create_onboarding_workspace

pytestmark = pytest.mark.django_db

BASE = "/api/onboarding"


def everything():
    """What a refused onboarding step must leave as it was."""
    return Onboarding.objects.all(), Workspace.objects.all(), Membership.objects.all(), Invitation.objects.all()


def status_of(client) -> dict:
    response = client.get(f"{BASE}/status/")
    assert response.status_code == 200
    return response.json()


def test_fresh_user_starts_at_step_one(auth_client):
    body = status_of(auth_client)
    assert body["steps"] == {"workspace": "pending", "team": "pending", "goals": "pending", "plan": "pending"}
    assert (body["next_step"], body["completed"], body["workspace"]) == ("workspace", False, None)


def test_step_one_twice_makes_one_workspace(auth_client):
    first = auth_client.post(f"{BASE}/workspace/", {"name": "Acme", "industry": "Agency"})
    second = auth_client.post(f"{BASE}/workspace/", {"name": "Acme Studio", "industry": "Agency"})
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["workspace"]["id"] == second.json()["workspace"]["id"]
    workspace = Workspace.objects.get(owner=auth_client.user)
    assert (workspace.name, workspace.industry) == ("Acme Studio", "Agency")
    assert Membership.objects.get(workspace=workspace, user=auth_client.user).role == Membership.Role.OWNER
    assert second.json()["steps"]["workspace"] == "done"
    assert second.json()["next_step"] == "team"


def test_step_one_honours_idempotency_key_as_every_creating_post(auth_client):
    body = {"name": "Acme", "industry": "Agency"}
    first = auth_client.post(f"{BASE}/workspace/", body, HTTP_IDEMPOTENCY_KEY="k-1")
    again = auth_client.post(f"{BASE}/workspace/", body, HTTP_IDEMPOTENCY_KEY="k-1")
    assert (first.status_code, again.status_code) == (201, 201)  # the first answer, replayed
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()


@pytest.mark.django_db(transaction=True)
def test_step_one_racing_with_itself_makes_one_workspace():
    user = UserFactory()

    def create():
        create_onboarding_workspace(user=user, name="Double Click")

    race(create, create)
    assert Workspace.objects.filter(owner=user).count() == 1
    assert Onboarding.objects.filter(user=user).count() == 1


def test_all_steps_complete_with_free(auth_client, committed):
    auth_client.post(f"{BASE}/workspace/", {"name": "Acme"})
    with committed():
        team = auth_client.post(
            f"{BASE}/team/",
            {"team_size": "2-10", "privacy": "team", "invites": [{"email": "pal@example.com", "role": "viewer"}]},
        )
    assert team.status_code == 200, team.content
    workspace = Workspace.objects.get(owner=auth_client.user)
    invitation = Invitation.objects.get(workspace=workspace)
    assert (invitation.email, invitation.role) == ("pal@example.com", Membership.Role.VIEWER)
    assert mail.outbox[0].to == ["pal@example.com"]
    goals = auth_client.post(f"{BASE}/goals/", {"goals": ["faster scoping", "consistent pricing"]})
    assert goals.json()["next_step"] == "plan"
    plan = auth_client.post(f"{BASE}/plan/", {"plan": "free"})
    body = plan.json()
    assert (body["completed"], body["next_step"], body["plan_intent"], body["checkout_url"]) == (True, None, None, None)
    workspace.refresh_from_db()
    assert (workspace.team_size, workspace.privacy, workspace.goals, workspace.plan) == (
        "2-10",
        "team",
        ["faster scoping", "consistent pricing"],
        "free",
    )


def test_reposting_team_step_does_not_invite_twice(auth_client, committed):
    auth_client.post(f"{BASE}/workspace/", {"name": "Acme"})
    payload = {"invites": [{"email": "pal@example.com"}]}
    with committed():
        auth_client.post(f"{BASE}/team/", payload)
        auth_client.post(f"{BASE}/team/", payload)
    assert Invitation.objects.count() == 1
    assert len(mail.outbox) == 1


def test_team_step_respects_the_member_limit_all_or_nothing(auth_client):
    auth_client.post(f"{BASE}/workspace/", {"name": "Acme"})
    with unchanged(*everything()):
        response = auth_client.post(
            f"{BASE}/team/", {"team_size": "50+", "invites": [{"email": "a@example.com"}, {"email": "b@example.com"}]}
        )
        assert_error(response, 402, "plan_limit_exceeded")
    assert not Invitation.objects.exists()
    assert Workspace.objects.get(owner=auth_client.user).team_size == ""
    assert status_of(auth_client)["steps"]["team"] == "pending"


def test_paid_plan_is_stored_as_intent(auth_client):
    auth_client.post(f"{BASE}/workspace/", {"name": "Acme"})
    body = auth_client.post(f"{BASE}/plan/", {"plan": "pro", "billing_cycle": "yearly"}).json()
    assert (body["plan_intent"], body["billing_cycle"], body["steps"]["plan"]) == ("pro", "yearly", "done")
    assert Workspace.objects.get(owner=auth_client.user).plan == "free"  # billing switches it after payment
    with unchanged(*everything()):
        assert "plan" in assert_error(auth_client.post(f"{BASE}/plan/", {"plan": "platinum"}), 400, "validation_error")


@pytest.mark.parametrize(
    ("step", "body"), [("team", {"team_size": "2-10"}), ("goals", {"goals": ["x"]}), ("plan", {"plan": "free"})]
)
def test_later_steps_need_step_one(auth_client, step, body):
    with unchanged(*everything()):
        details = assert_error(auth_client.post(f"{BASE}/{step}/", body), 409, "conflict")
    assert details == {"step": "workspace"}


def test_steps_are_skippable_and_status_says_where_to_resume(auth_client):
    auth_client.post(f"{BASE}/workspace/", {"name": "Acme"})
    skipped = auth_client.post(f"{BASE}/skip/", {"step": "team"}).json()
    assert skipped["steps"]["team"] == "skipped"
    assert skipped["next_step"] == "goals"
    auth_client.post(f"{BASE}/skip/", {"step": "workspace"})  # already done: stays done
    auth_client.post(f"{BASE}/skip/", {"step": "goals"})
    body = auth_client.post(f"{BASE}/skip/", {"step": "plan"}).json()
    assert body["steps"] == {"workspace": "done", "team": "skipped", "goals": "skipped", "plan": "skipped"}
    assert body["completed"] is True
    with unchanged(*everything()):
        assert "step" in assert_error(auth_client.post(f"{BASE}/skip/", {"step": "dance"}), 400, "validation_error")


def test_progress_survives_signing_out(make_client):
    user = UserFactory()
    make_client(user).post(f"{BASE}/workspace/", {"name": "Acme"})
    later = make_client(user)  # a new sign-in, a new token
    body = status_of(later)
    assert body["next_step"] == "team"
    assert body["workspace"]["name"] == "Acme"


@pytest.mark.parametrize(("method", "path"), [("get", "status"), ("post", "workspace")])
def test_onboarding_needs_sign_in(api_client, method, path):
    with unchanged(*everything()):
        assert_error(getattr(api_client, method)(f"{BASE}/{path}/", {"name": "x"}), 401, "not_authenticated")


def test_a_deleted_onboarding_workspace_means_starting_over(auth_client):
    first = auth_client.post(f"{BASE}/workspace/", {"name": "Acme"}).json()["workspace"]["id"]
    auth_client.delete(f"/api/workspaces/{first}/")
    assert status_of(auth_client)["workspace"] is None
    second = auth_client.post(f"{BASE}/workspace/", {"name": "Acme again"})
    assert second.status_code == 201
    assert second.json()["workspace"]["id"] != first


def test_reposting_team_step_after_an_invitee_joined_still_succeeds(auth_client, make_client):
    auth_client.post(f"{BASE}/workspace/", {"name": "Acme"})
    payload = {"invites": [{"email": "pal@example.com"}, {"email": auth_client.user.email}]}
    assert auth_client.post(f"{BASE}/team/", payload).status_code == 200  # own address: already a member, skipped
    invitation = Invitation.objects.get()
    workspace = invitation.workspace
    Membership.objects.create(workspace=workspace, user=UserFactory(email="pal@example.com"))
    invitation.delete()
    response = auth_client.post(f"{BASE}/team/", payload)
    assert response.status_code == 200, response.content
    assert not Invitation.objects.exists()
