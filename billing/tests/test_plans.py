import pytest
from django.db import transaction

from billing import plans
from orbit.errors import PlanLimitExceeded
from workspaces.tests.factories import InvitationFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def test_defaults_follow_the_spec():
    catalogue = plans.plans()
    assert catalogue["free"]["members"] == 2
    assert catalogue["pro"]["scopes_per_month"] == 50
    assert catalogue["team"]["scopes_per_month"] is None
    assert catalogue["free"]["custom_branding"] is False


def test_settings_override_without_code(settings, workspace):
    settings.ORBIT_PLANS_OVERRIDE = {"free": {"members": 10}, "agency": {"name": "Agency", "members": 100}}
    assert plans.plan_for(workspace)["members"] == 10
    assert plans.plans()["agency"]["members"] == 100
    assert plans.plans()["free"]["scopes_per_month"] == 3  # untouched keys keep their defaults


def test_unknown_plan_code_falls_back_to_free_limits(workspace):
    workspace.plan = "legacy"
    assert plans.plan_for(workspace)["members"] == 2


def test_enforce_limit_refuses_with_details(workspace):
    MembershipFactory(workspace=workspace)
    with transaction.atomic(), pytest.raises(PlanLimitExceeded) as raised:
        plans.enforce_limit(workspace=workspace, limit="members")
    assert raised.value.http_status == 402
    assert raised.value.details == {
        "limit": 2,
        "usage": 2,
        "plan": "free",
        "limit_name": "members",
        "applies_to": "new_actions_only",
    }


@pytest.mark.parametrize(
    ("members_limit", "refused"),
    [(3, False), (2, True), (None, False), (0, True)],
    ids=["below", "at-limit", "unlimited", "zero"],
)
def test_enforce_limit_allows_below_the_limit_and_unlimited(settings, workspace, members_limit, refused):
    MembershipFactory(workspace=workspace)  # the owner + one member: usage 2
    settings.ORBIT_PLANS_OVERRIDE = {"free": {"members": members_limit}}
    with transaction.atomic():
        if refused:
            with pytest.raises(PlanLimitExceeded) as raised:
                plans.enforce_limit(workspace=workspace, limit="members")
            assert raised.value.details["usage"] == 2
        else:
            plans.enforce_limit(workspace=workspace, limit="members")  # returns: nothing to refuse


def test_enforce_limit_of_an_unknown_or_uncountable_limit_is_a_programming_error(workspace):
    # Before, a misspelt limit read as "unlimited" (plan.get -> None) and enforced nothing.
    for limit in ("scope_per_month", "max_file_bytes", "custom_branding"):
        with transaction.atomic(), pytest.raises(ValueError, match="not a countable plan limit"):
            plans.enforce_limit(workspace=workspace, limit=limit)


@pytest.mark.django_db(transaction=True)
def test_enforce_limit_outside_a_transaction_is_a_programming_error(workspace):
    with pytest.raises(RuntimeError, match="transaction.atomic"):
        plans.enforce_limit(workspace=workspace, limit="members")


def test_members_usage_counts_members_and_live_pending_invitations(workspace):
    from datetime import timedelta

    from django.utils import timezone

    InvitationFactory(workspace=workspace)
    InvitationFactory(workspace=workspace, expires_at=timezone.now() - timedelta(seconds=1))
    InvitationFactory(workspace=workspace, revoked_at=timezone.now())
    assert plans.usage(workspace, "members") == 2  # the owner + one live invitation
