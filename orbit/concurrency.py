"""Optimistic concurrency: a `version` column, exposed as an `ETag`, checked by `If-Match` (SPEC §4).

A model opts in with a positive integer `version` field. Reads answer `ETag: "<version>"`. A PATCH/PUT may send
`If-Match: "<version>"`; `update_versioned` then runs one conditional statement,
`UPDATE ... SET ..., version = version + 1 WHERE id = %s AND version = %s`, so the check and the write are a
single atomic step in the database (no read-then-write window). Zero rows updated means someone else saved
first: 412 `precondition_failed` with the current version in `details`, and the client re-reads and retries.

Without `If-Match` an update still succeeds and bumps the version: last write wins. Clients that care about
lost updates send the header; the API does not demand it, so simple scripts keep working.
"""

import re

from django.db import models
from django.db.models import F
from django.utils import timezone

from orbit.errors import NotFound, PreconditionFailed

_ETAG = re.compile(r'^\s*(?:W/)?"?(\d{1,18})"?\s*$')


def etag_for(version: int) -> str:
    return f'"{version}"'


def expected_version(request) -> int | None:
    """The version the client based its edit on, from `If-Match`; None when absent or `*` (no condition).

    A value that is not one of our ETags cannot match any version, which RFC 9110 answers with 412.
    A list of ETags is not supported: clients edit one version at a time.
    """
    header = request.headers.get("If-Match")
    if header is None or header.strip() == "*":
        return None
    match = _ETAG.match(header)
    if not match:
        raise PreconditionFailed(
            'If-Match must carry the ETag of the version you edited, e.g. If-Match: "3".',
            details={"if_match": header},
        )
    return int(match.group(1))


def _lost_update(*, expected: int | None, current: int) -> PreconditionFailed:
    return PreconditionFailed(
        "Someone else saved this first. Re-read it and apply your change again.",
        details={"expected_version": expected, "current_version": current},
        headers={"ETag": etag_for(current)},
    )


def update_versioned(instance: models.Model, *, values: dict, expected: int | None) -> models.Model:
    """Write `values` to `instance`'s row and bump its version, only if the row is still at `expected`.

    `values` maps field names to plain values or expressions. The instance is updated in place.
    """
    model = type(instance)
    if not values:  # nothing to write: only the precondition is checked, and the version stays
        current = model._default_manager.filter(pk=instance.pk).values_list("version", flat=True).first()
        if current is None:
            raise NotFound()
        if expected is not None and current != expected:
            raise _lost_update(expected=expected, current=current)
        instance.version = current
        return instance
    changes = dict(values)
    if any(field.name == "updated_at" for field in model._meta.concrete_fields):
        changes["updated_at"] = timezone.now()
    rows = model._default_manager.filter(pk=instance.pk)
    if expected is not None:
        rows = rows.filter(version=expected)
    updated = rows.update(**changes, version=F("version") + 1)
    if not updated:
        current = model._default_manager.filter(pk=instance.pk).values_list("version", flat=True).first()
        if current is None:
            raise NotFound()
        raise _lost_update(expected=expected, current=current)
    instance.refresh_from_db(fields=[*changes, "version"])
    return instance


class ETagMixin:
    """For DRF views: `self.with_etag(response, obj)` sets the ETag header from `obj.version`."""

    def with_etag(self, response, obj):
        response["ETag"] = etag_for(obj.version)
        return response
