"""Optimistic concurrency: a `version` column, exposed as an `ETag`, checked by `If-Match` (SPEC §4).

A model opts in with a positive integer `version` field. Reads answer `ETag: "<version>"`. A PATCH/PUT may send
`If-Match: "<version>"`; `orbit.updates.apply_changes(..., expected_version=...)` then locks the row
(SELECT ... FOR UPDATE), compares its version and writes the change with `version + 1` in the same transaction,
so no other write can land between the check and the write. A different version means someone else saved
first: 412 `precondition_failed` with the current version in `details`, and the client re-reads and retries.
An update that changes nothing still checks the precondition, and keeps the version.

Without `If-Match` an update still succeeds and bumps the version: last write wins. Clients that care about
lost updates send the header; the API does not demand it, so simple scripts keep working.
"""

import re

from drf_spectacular.utils import OpenApiParameter

from orbit.errors import PreconditionFailed
from orbit.schema import declare

_ETAG = re.compile(r'^\s*(?:W/)?"?(\d{1,18})"?\s*$')


def etag_for(version: int) -> str:
    return f'"{version}"'


def expected_version(request, *, current: int) -> int | None:
    """The version the client based its edit on, from `If-Match`; None when absent or `*` (no condition).

    A value that is not one of our ETags cannot match any version, which RFC 9110 answers with 412, with the
    `current` version's ETag as on any other 412. A list of ETags is not supported: clients edit one version at a
    time.
    """
    header = request.headers.get("If-Match")
    if header is None or header.strip() == "*":
        return None
    match = _ETAG.match(header)
    if not match:
        raise PreconditionFailed(
            'If-Match must carry the ETag of the version you edited, e.g. If-Match: "3".',
            details={"if_match": header, "current_version": current},
            headers={"ETag": etag_for(current)},
        )
    return int(match.group(1))


def lost_update(*, expected: int | None, current: int) -> PreconditionFailed:
    return PreconditionFailed(
        "Someone else saved this first. Re-read it and apply your change again.",
        details={"expected_version": expected, "current_version": current},
        headers={"ETag": etag_for(current)},
    )


ETAG_DESCRIPTION = 'The row\'s version, e.g. "3": send it back as If-Match to update only that version.'
IF_MATCH_PARAMETER = OpenApiParameter(
    "If-Match",
    location=OpenApiParameter.HEADER,
    required=False,
    description='The ETag you read (e.g. "3"). A mismatch answers 412 with the current ETag; without it the last '
    "write wins.",
)


def sends_etag(view_method):
    """Mark a view method whose successful answers carry `ETag` (documented in the OpenAPI operation)."""
    return declare(view_method, headers={"ETag": (ETAG_DESCRIPTION, ("2xx",))})


def if_match(view_method):
    """Mark an update that honours If-Match: the operation documents the header, the 412 and the ETag it answers
    with (on success and on the 412)."""
    return declare(
        view_method,
        statuses=[412],
        parameters=[IF_MATCH_PARAMETER],
        headers={"ETag": (ETAG_DESCRIPTION, ("2xx", "412"))},
    )


class ETagMixin:
    """For DRF views: `self.with_etag(response, obj)` sets the ETag header from `obj.version`."""

    def with_etag(self, response, obj):
        response["ETag"] = etag_for(obj.version)
        return response
