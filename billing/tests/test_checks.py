"""The start-up check on usage counters (billing/checks.py) and the USAGE_COUNTERS registry it reads."""

import pytest
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import transaction

from billing import plans
from billing.checks import usage_counter_problems


def ids(messages):
    return sorted(message.id for message in messages)


def test_the_shipped_registry_counts_every_countable_limit():
    errors = [m for m in checks.run_checks(tags=["billing"]) if m.level >= checks.ERROR]
    assert errors == []
    counted = set(plans.USAGE_COUNTERS) | set(plans.NOT_COUNTED_YET)
    assert counted == {limit for limit in plans.LIMITS if plans.countable(limit)}


@pytest.mark.parametrize("limit", sorted(plans.USAGE_COUNTERS))
def test_every_declared_counter_imports_and_is_callable(limit):
    assert callable(plans.usage_counter(limit))


def test_an_uncounted_limit_fails_the_start_up_checks(monkeypatch):
    monkeypatch.delitem(plans.USAGE_COUNTERS, "members")
    messages = [m for m in checks.run_checks(tags=["billing"]) if m.id == "billing.E001"]
    assert len(messages) == 1
    assert "'members'" in messages[0].msg
    assert "free, pro, team" in messages[0].msg
    with pytest.raises(SystemCheckError, match="billing.E001"):
        call_command("check", tag=["billing"])


def test_a_counter_path_that_does_not_import_fails(monkeypatch):
    monkeypatch.setitem(plans.USAGE_COUNTERS, "members", "workspaces.selectors.count_seets")
    assert ids(checks.run_checks(tags=["billing"])).count("billing.E002") == 1


def test_plans_from_orbit_plans_are_checked_too():
    catalogue = {**plans.plans(), "agency": dict(plans.DEFAULT_PLANS["team"], name="Agency")}
    counters = {k: v for k, v in plans.USAGE_COUNTERS.items() if k != "storage_bytes"}
    [error] = [m for m in usage_counter_problems(catalogue, counters) if m.id == "billing.E001" and "storage" in m.msg]
    assert "agency" in error.msg


def test_a_limit_declared_not_counted_yet_is_a_warning_not_an_error():
    catalogue = {"free": {"name": "Free", "ai_calls_per_month": 20, "max_file_bytes": 1, "custom_branding": False}}
    assert ids(usage_counter_problems(catalogue, {}, ("ai_calls_per_month",))) == ["billing.W001"]
    assert ids(usage_counter_problems(catalogue, {})) == ["billing.E001"]  # per-request and feature limits need none


@pytest.mark.django_db
@pytest.mark.parametrize("limit", plans.NOT_COUNTED_YET)
def test_enforcing_a_limit_not_counted_yet_names_the_registry(workspace, limit):
    with transaction.atomic(), pytest.raises(ImproperlyConfigured, match="USAGE_COUNTERS"):
        plans.enforce_limit(workspace=workspace, limit=limit)
