"""Plans and their limits, in one place (SPEC §5).

The defaults below can be changed without code: `ORBIT_PLANS` (JSON) is merged over them, plan by plan.
`None` means unlimited. `enforce_limit` is the one call that refuses with HTTP 402 `plan_limit_exceeded`.

How usage is counted is declared here too, in `USAGE_COUNTERS`: one line per countable limit, naming the
function `counter(workspace, since) -> int` by its dotted path (it lives in the owning app, usually its
`selectors.py`; `since` is the month start, ignored by limits that are not monthly). To count a new limit,
write the function in your app and add its line, e.g.

    "exports_per_month": "exports.selectors.exports_since",

and remove the limit from `NOT_COUNTED_YET`. A system check (`billing/checks.py`, run at start-up and by
`manage.py check`) fails when a countable limit of any plan, ORBIT_PLANS included, has no counter or a counter
path does not import; nothing is registered from `AppConfig.ready()`.
"""

from collections.abc import Callable
from copy import deepcopy
from datetime import datetime
from functools import cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.utils import timezone
from django.utils.module_loading import import_string

from orbit.errors import PlanLimitExceeded

MB = 1024 * 1024
GB = 1024 * MB

DEFAULT_PLANS = {
    "free": {
        "name": "Free",
        "scopes_per_month": 3,
        "ai_calls_per_month": 20,
        "members": 2,
        "storage_bytes": 100 * MB,
        "max_file_bytes": 10 * MB,
        "exports_per_month": 5,
        "custom_branding": False,
    },
    "pro": {
        "name": "Pro",
        "scopes_per_month": 50,
        "ai_calls_per_month": 500,
        "members": 5,
        "storage_bytes": 5 * GB,
        "max_file_bytes": 50 * MB,
        "exports_per_month": None,
        "custom_branding": True,
    },
    "team": {
        "name": "Team",
        "scopes_per_month": None,
        "ai_calls_per_month": 2000,
        "members": 25,
        "storage_bytes": 50 * GB,
        "max_file_bytes": 100 * MB,
        "exports_per_month": None,
        "custom_branding": True,
    },
}
DEFAULT_PLAN = "free"
LIMITS = tuple(key for key in DEFAULT_PLANS[DEFAULT_PLAN] if key != "name")
FEATURE_LIMITS = ("custom_branding",)  # true/false; every other limit is a count (null = unlimited)
PER_REQUEST_LIMITS = ("max_file_bytes",)  # compared with one request's size, never counted over time

# Countable limit -> dotted path of `counter(workspace, since) -> int`. One line per limit; see the docstring.
USAGE_COUNTERS = {
    "members": "workspaces.selectors.count_seats",  # members plus live pending invitations share the seats
    "scopes_per_month": "scopes.selectors.scopes_created_since",
    "storage_bytes": "documents.selectors.storage_bytes_used",
    "ai_calls_per_month": "ai.selectors.ai_calls_since",
    "exports_per_month": "exports.selectors.exports_since",
}
# Countable limits whose app does not count them yet: the start-up check warns, enforce_limit refuses to run.
NOT_COUNTED_YET = ()


def countable(limit: str) -> bool:
    return limit not in FEATURE_LIMITS and limit not in PER_REQUEST_LIMITS


def override_problems(overrides) -> list[str]:
    """What is wrong with an ORBIT_PLANS value, one line per problem (checked at start-up by the settings).

    Overrides of a built-in plan may set any of its limits; a new plan must set every limit, so nothing it
    forgot silently becomes unlimited.
    """
    if overrides in (None, {}):
        return []
    if not isinstance(overrides, dict):
        return ['ORBIT_PLANS must be a JSON object of plans, e.g. {"free": {"members": 3}}']
    problems = []
    for code, plan in overrides.items():
        if not isinstance(plan, dict):
            problems.append(f"ORBIT_PLANS[{code!r}] must be an object of limits")
            continue
        for key, value in plan.items():
            if key == "name":
                if not isinstance(value, str) or not value.strip():
                    problems.append(f"ORBIT_PLANS[{code!r}].name must be a non-empty string")
            elif key not in LIMITS:
                problems.append(f"ORBIT_PLANS[{code!r}] has an unknown limit {key!r} (known: {', '.join(LIMITS)})")
            elif key in FEATURE_LIMITS:
                if not isinstance(value, bool):
                    problems.append(f"ORBIT_PLANS[{code!r}].{key} must be true or false")
            elif value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
                problems.append(f"ORBIT_PLANS[{code!r}].{key} must be a whole number >= 0, or null for unlimited")
        missing = [limit for limit in LIMITS if limit not in plan] if code not in DEFAULT_PLANS else []
        if missing:
            problems.append(
                f"ORBIT_PLANS[{code!r}] is a new plan and must set every limit; missing: {', '.join(missing)}"
            )
    return problems


def plans() -> dict:
    merged = deepcopy(DEFAULT_PLANS)
    for code, overrides in (getattr(settings, "ORBIT_PLANS_OVERRIDE", None) or {}).items():
        merged.setdefault(code, {"name": str(code).title()}).update(overrides)
    return merged


def plan_for(workspace) -> dict:
    """The limits in force: the plan the workspace's subscription pays for (`Workspace.plan`, written by billing
    from the subscription's price), or Free once a past-due workspace's grace period has ended."""
    from billing.state import effective_plan_code

    code = effective_plan_code(workspace)
    catalogue = plans()
    return {"code": code, **catalogue.get(code, catalogue[DEFAULT_PLAN])}


def month_start(now: datetime | None = None) -> datetime:
    now = now or timezone.now()
    return now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


@cache
def usage_counter(limit: str) -> Callable:
    """The counter declared for `limit` in USAGE_COUNTERS (the start-up check has imported every one)."""
    if limit not in USAGE_COUNTERS:
        raise ImproperlyConfigured(f"No usage counter for {limit!r}: add it to billing.plans.USAGE_COUNTERS")
    return import_string(USAGE_COUNTERS[limit])


def usage(workspace, limit: str) -> int:
    return usage_counter(limit)(workspace, month_start())


def usage_summary(workspace) -> dict:
    """Every limit of the workspace's plan with its usage (None where no app counts it, e.g. max_file_bytes)."""
    plan = plan_for(workspace)
    return {
        limit: {"limit": value, "usage": usage(workspace, limit) if limit in USAGE_COUNTERS else None}
        for limit, value in sorted(plan.items())
        if limit not in ("code", "name")
    }


def enforce_limit(*, workspace, limit: str, adding: int = 1) -> None:
    """Refuse with 402 when `adding` more would pass the plan's `limit`.

    Must run inside the transaction that then writes the new row(s): the workspace row is locked first,
    so two racing requests count one after the other instead of both reading the same usage.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("enforce_limit must run inside transaction.atomic with the write it guards")
    if limit not in LIMITS or not countable(limit):
        # A misspelt name would otherwise read as "unlimited" (plan.get -> None) and enforce nothing.
        raise ValueError(f"{limit!r} is not a countable plan limit (countable: {', '.join(filter(countable, LIMITS))})")
    from workspaces.models import Workspace

    Workspace.objects.lock(workspace.pk)
    plan = plan_for(workspace)
    maximum = plan.get(limit)
    if maximum is None:
        return
    current = usage(workspace, limit)
    if current + adding > maximum:
        details = {"limit": maximum, "usage": current, "plan": plan["code"], "limit_name": limit}
        # A downgrade never deletes anything: what exists stays, only new additions are refused.
        details["applies_to"] = "new_actions_only"
        subscribed = getattr(workspace, "plan", None) or DEFAULT_PLAN
        if subscribed != plan["code"]:
            details["subscribed_plan"] = subscribed  # paid for, but past due beyond the grace period
        raise PlanLimitExceeded(
            f"The {plan['name']} plan allows {maximum} for {limit.replace('_', ' ')}; this workspace uses {current}. "
            "Nothing already in the workspace is removed; only new additions are refused.",
            details=details,
        )
