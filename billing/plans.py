"""Plans and their limits, in one place (SPEC §5).

The defaults below can be changed without code: `ORBIT_PLANS` (JSON) is merged over them, plan by plan.
`None` means unlimited. Apps register how their usage is counted with `register_usage`; `enforce_limit`
is the one call that refuses with HTTP 402 `plan_limit_exceeded`.
"""

from collections.abc import Callable
from copy import deepcopy
from datetime import datetime

from django.conf import settings
from django.db import connection
from django.utils import timezone

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

# limit name -> function(workspace, since) -> current usage
_usage_counters: dict[str, Callable] = {}


def plans() -> dict:
    merged = deepcopy(DEFAULT_PLANS)
    for code, overrides in (getattr(settings, "ORBIT_PLANS_OVERRIDE", None) or {}).items():
        merged.setdefault(code, {}).update(overrides)
    return merged


def plan_for(workspace) -> dict:
    code = getattr(workspace, "plan", None) or DEFAULT_PLAN
    catalogue = plans()
    return {"code": code, **catalogue.get(code, catalogue[DEFAULT_PLAN])}


def month_start(now: datetime | None = None) -> datetime:
    now = now or timezone.now()
    return now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def register_usage(limit: str, counter: Callable) -> None:
    """`counter(workspace, since)` returns the workspace's usage of `limit` (since the month start where it applies)."""
    _usage_counters[limit] = counter


def usage(workspace, limit: str) -> int:
    if limit not in _usage_counters:
        raise KeyError(f"No usage counter registered for {limit!r}")
    return _usage_counters[limit](workspace, month_start())


def usage_summary(workspace) -> dict:
    """Every limit of the workspace's plan with its usage (None where no app counts it, e.g. max_file_bytes)."""
    plan = plan_for(workspace)
    return {
        limit: {"limit": value, "usage": usage(workspace, limit) if limit in _usage_counters else None}
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
    from workspaces.models import Workspace

    Workspace.objects.select_for_update().filter(pk=workspace.pk).values_list("pk", flat=True).get()
    plan = plan_for(workspace)
    maximum = plan.get(limit)
    if maximum is None:
        return
    current = usage(workspace, limit)
    if current + adding > maximum:
        raise PlanLimitExceeded(
            f"The {plan['name']} plan allows {maximum} for {limit.replace('_', ' ')}; this workspace uses {current}.",
            details={"limit": maximum, "usage": current, "plan": plan["code"], "limit_name": limit},
        )
