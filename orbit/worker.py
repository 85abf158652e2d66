"""What the worker pipelines share (documents.processing, exports.processing, ai.runner), declared once per
pipeline as a `Pipeline`: the model, the task that runs one row, the prefix of its settings (`<prefix>_LEASE`,
`<prefix>_MAX_ATTEMPTS`), what a row that keeps dying is told, and, where they are not RunStatus's, its waiting and
running statuses.

Delivery is at least once (django-q2's `retry` is a lease), so a pipeline
- is sent with `enqueue(pk)` once the transaction that made the row runnable commits;
- claims its row with `claim(pk)`: one conditional UPDATE (waiting, or running under a claim older than the lease)
  that stamps `claimed_at` and counts the attempt. It gets the row and the claim: a queryset on the row that
  matches only while this claim holds (still running, same `claimed_at`, same run counter or claim token);
- writes progress through the claim, and its final write only after `holds(claim)` locked the row inside the
  transaction of that write, so a worker that lost its lease, or a row deleted or re-run meanwhile, writes nothing;
- fails a row claimed more than `max_attempts` times with its `gave_up` message instead of working on it again (its
  worker keeps dying on it); `run_claimed(claimed, work, fail=)` does that and the skip, then hands the row to the
  pipeline's own work;
- is queued again by `requeue_stale(...)` from the cleanup schedule when a worker died or an enqueue was lost
  (the claim makes a duplicate harmless).
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django_q.tasks import async_task

from orbit.models import RunStatus


@dataclass(frozen=True)
class Pipeline:
    model: type[models.Model]
    task: str  # dotted path of the task that runs one row, given the row's id
    # Its settings (read at each call): <prefix>_LEASE, the lease in seconds, and <prefix>_MAX_ATTEMPTS, how many
    # claims a row is worked on (one more fails it).
    settings_prefix: str
    gave_up: str  # the error of a row failed after max_attempts claims
    waiting: str = RunStatus.QUEUED  # status of a row waiting for a worker
    running: str = RunStatus.RUNNING  # status of a claimed row
    attempts: str = "attempts"  # the counter of claims
    run: str | None = None  # a counter bumped on each re-run: a claim is also identified by it
    token: str | None = None  # or a field that takes a fresh uuid with each claim

    @property
    def lease_setting(self) -> str:
        return f"{self.settings_prefix}_LEASE"

    @property
    def max_attempts_setting(self) -> str:
        return f"{self.settings_prefix}_MAX_ATTEMPTS"

    @property
    def lease(self) -> timedelta:
        return timedelta(seconds=getattr(settings, self.lease_setting))

    @property
    def max_attempts(self) -> int:
        return getattr(settings, self.max_attempts_setting)

    def enqueue(self, pk, **options) -> None:
        """Send the task for row `pk` once the current transaction commits."""
        transaction.on_commit(lambda: async_task(self.task, str(pk), **options))

    def claim(
        self, pk, *, queryset: models.QuerySet | None = None, now: datetime | None = None, **reset
    ) -> tuple[models.Model, models.QuerySet] | None:
        """Claim row `pk`: `status` to running, `claimed_at` to now, the attempts counter up by one, and `reset`
        written too. Returns (the row, read through `queryset`, and the claim), or None when nothing was claimed
        (finished, deleted, or another worker holds a live claim)."""
        manager = self.model._default_manager
        now = now or timezone.now()
        held = {"claimed_at": now}
        if self.token:
            held[self.token] = uuid.uuid4()
        claimed = (
            manager.filter(pk=pk)
            .filter(Q(status=self.waiting) | Q(status=self.running, claimed_at__lt=now - self.lease))
            .update(status=self.running, **held, **{self.attempts: F(self.attempts) + 1}, **reset, updated_at=now)
        )
        if not claimed:
            return None
        row = (manager.all() if queryset is None else queryset).get(pk=pk)
        if self.run:
            held[self.run] = getattr(row, self.run)
        return row, manager.filter(pk=pk, status=self.running, **held)

    def run_claimed(
        self,
        claimed: tuple[models.Model, models.QuerySet] | None,
        work: Callable[[models.Model, models.QuerySet], str],
        *,
        fail: Callable[[models.Model, models.QuerySet, str], bool],
    ) -> str:
        """One delivery of a row's task, given what `claim` returned: "skipped" when nothing was claimed (finished,
        deleted, or another worker holds a live claim); when the row was claimed more than `max_attempts` times
        without finishing (its worker keeps dying on it), `fail(row, claim, gave_up)`, which returns whether it
        failed the row ("failed", or "skipped" when the claim was lost meanwhile); otherwise what `work(row, claim)`
        returns."""
        if claimed is None:
            return "skipped"
        row, claim = claimed
        if getattr(row, self.attempts) > self.max_attempts:
            return "failed" if fail(row, claim, self.gave_up) else "skipped"
        return work(row, claim)

    def requeue_stale(self, *, now, dry_run: bool = False) -> int:
        """Send the task again for rows claimed longer than the lease ago (their worker died), or waiting that long
        (their enqueue was lost). Returns how many."""
        cutoff = now - self.lease
        stale = list(
            self.model._default_manager.filter(
                Q(status=self.running, claimed_at__lt=cutoff) | Q(status=self.waiting, updated_at__lt=cutoff)
            ).values_list("pk", flat=True)
        )
        if not dry_run:
            for pk in stale:
                async_task(self.task, str(pk))
        return len(stale)


def holds(claim: models.QuerySet) -> bool:
    """Whether the claim still holds, locking the row until the end of the caller's transaction if it does."""
    return bool(list(claim.select_for_update().values_list("pk", flat=True)))
