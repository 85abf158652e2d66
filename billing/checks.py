"""Start-up check: every countable limit of every plan has a usage counter that imports.

Registered by `BillingConfig.ready()` (tag "billing"). Every management command that starts Orbit runs the system
checks first and stops on an error: `migrate` (the Procfile's release and `scripts/run`, both before gunicorn
starts), `qcluster`, `runserver`, and `manage.py check` on demand. A limit nobody counts is therefore an error
before anything serves, instead of a 500 on the first request that enforces it.
"""

from django.core import checks
from django.utils.module_loading import import_string


def usage_counter_problems(catalogue: dict, counters: dict, not_counted_yet=()) -> list[checks.CheckMessage]:
    """Messages for `catalogue` (plan code -> limits, ORBIT_PLANS merged) against `counters` (limit -> path)."""
    from billing.plans import countable

    messages = []
    for limit, path in sorted(counters.items()):
        try:
            problem = None if callable(import_string(path)) else "is not callable"
        except ImportError as error:
            problem = f"does not import: {error}"
        if problem:
            messages.append(
                checks.Error(
                    f"The usage counter of {limit!r}, {path!r}, {problem}",
                    hint="Fix the dotted path in billing.plans.USAGE_COUNTERS.",
                    id="billing.E002",
                )
            )
    uncounted: dict[str, list[str]] = {}
    for code, plan in sorted(catalogue.items()):
        for limit in plan:
            if limit != "name" and countable(limit) and limit not in counters:
                uncounted.setdefault(limit, []).append(code)
    for limit, codes in sorted(uncounted.items()):
        pending = limit in not_counted_yet
        level, check_id = (checks.Warning, "billing.W001") if pending else (checks.Error, "billing.E001")
        state = "is not counted yet: enforce_limit for it refuses to run" if pending else "has no usage counter"
        messages.append(
            level(
                f"Plan limit {limit!r} (plan(s) {', '.join(codes)}) {state}",
                hint=f"Add `{limit!r}: 'yourapp.selectors.function'` to billing.plans.USAGE_COUNTERS"
                + (" and drop it from NOT_COUNTED_YET." if pending else "."),
                id=check_id,
            )
        )
    return messages


def check_usage_counters(app_configs=None, **kwargs):
    from billing import plans

    return usage_counter_problems(plans.plans(), plans.USAGE_COUNTERS, plans.NOT_COUNTED_YET)
