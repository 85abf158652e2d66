import pytest

from billing.models import BillingState
from orbit.testing import assert_error
from orbit.testing_state import unchanged
from workspaces.models import Workspace
from workspaces.tests.factories import InvitationFactory

pytestmark = pytest.mark.django_db


def usage_url(workspace):
    return f"/api/workspaces/{workspace.pk}/billing/usage/"


@pytest.mark.parametrize("role", ["owner", "admin", "editor", "viewer"])
def test_every_member_reads_plan_and_usage(role, member, workspace):
    client = member(role)
    InvitationFactory(workspace=workspace)
    body = client.get(usage_url(workspace)).json()
    assert (body["plan"], body["plan_name"]) == ("free", "Free")
    assert body["limits"]["members"] == {"limit": 2, "usage": 3 if role != "owner" else 2}
    assert body["limits"]["max_file_bytes"]["usage"] is None
    assert body["limits"]["custom_branding"] == {"limit": False, "usage": None}
    assert body["period_start"].endswith("T00:00:00Z")


def test_a_paid_plan_shows_its_limits(member, workspace):
    workspace.plan = "team"
    workspace.save()
    body = member("viewer").get(usage_url(workspace)).json()
    assert body["plan"] == "team"
    assert body["limits"]["scopes_per_month"]["limit"] is None
    assert body["limits"]["members"]["limit"] == 25


def test_non_member_gets_404(member, other_workspace):
    assert_error(member("owner").get(usage_url(other_workspace)), 404, "not_found")


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writes_are_not_allowed(member, workspace, method):
    owner = member("owner")
    with unchanged(Workspace.objects.all(), BillingState.objects.all()):
        assert_error(getattr(owner, method)(usage_url(workspace), {}), 405, "method_not_allowed")
