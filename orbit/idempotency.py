"""`Idempotency-Key` for creating POSTs: a retried request gets the first answer instead of a second thing.

Use it on any DRF view method that creates something:

    class ScopeViewSet(WorkspaceScopedViewSet):
        @idempotent
        def create(self, request, workspace_id): ...

How it works (SPEC §4; state lives in the database, so it holds across processes):
- Without the header nothing changes.
- With it, a row (user, key) is INSERTed *first*, in the same transaction that then runs the view. A second
  request with the same key blocks on the unique index until the first commits or rolls back, so two
  concurrent requests cannot both run the view: the second one replays the first one's stored answer.
- Only successful (2xx) answers are stored. A failed request (validation error, plan limit, ...) rolls its
  claim back with everything else, so the client may fix the problem and retry with the same key.
- The key is bound to the method, path and a SHA-256 of the canonical JSON body: reusing it for a different
  request answers 422 `idempotency_key_reused`.
- Keys are kept for `IDEMPOTENCY_KEY_TTL` (24 hours), then a reuse is a new request; `orbit.cleanup` purges them.
- The claim's transaction spans the view, so a decorated view should stay short (enqueue slow work on commit)
  rather than hold a database transaction open across, say, an AI call.
"""

import hashlib
import json
from datetime import timedelta
from functools import wraps

from django.core.files import File
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter
from rest_framework.response import Response

from orbit.errors import IdempotencyKeyReused, ValidationFailed
from orbit.schema import declare

HEADER = "Idempotency-Key"
IDEMPOTENCY_KEY_TTL = timedelta(hours=24)
MAX_KEY_LENGTH = 255
REPLAYED_HEADER = "Idempotent-Replayed"
# Headers worth replaying with the stored body; everything else is recomputed per response.
_STORED_HEADERS = ("ETag", "Location")


class _FingerprintEncoder(DjangoJSONEncoder):
    """Uploaded files count by name, size and content (read in chunks, then rewound for the view)."""

    def default(self, o):
        if isinstance(o, File):
            digest = hashlib.sha256()
            for chunk in o.chunks():
                digest.update(chunk)
            o.seek(0)
            return {"file": o.name, "size": o.size, "sha256": digest.hexdigest()}
        return super().default(o)


def request_fingerprint(request) -> str:
    """SHA-256 of the parsed body as canonical JSON (key order and whitespace do not matter)."""
    data = request.data
    if hasattr(data, "lists"):  # QueryDict from a form or multipart body: every value of a repeated field
        data = {key: values[0] if len(values) == 1 else values for key, values in data.lists()}
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), cls=_FingerprintEncoder)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _key_from(request) -> str | None:
    key = request.headers.get(HEADER)
    if key is None:
        return None
    key = key.strip()
    if not key or len(key) > MAX_KEY_LENGTH:
        raise ValidationFailed(
            f"{HEADER} must be 1 to {MAX_KEY_LENGTH} characters.", details={HEADER: ["Invalid length."]}
        )
    return key


def _replay(record, *, method: str, path: str, fingerprint: str) -> Response:
    if record.method != method or record.path != path or record.request_hash != fingerprint:
        raise IdempotencyKeyReused(
            details={"key": record.key, "first_request": {"method": record.method, "path": record.path}}
        )
    headers = {**record.response_headers, REPLAYED_HEADER: "true"}
    return Response(record.response_body, status=record.response_status, headers=headers)


def run_idempotently(request, handler) -> Response:
    """Run `handler()` (which returns a DRF Response) at most once per (user, Idempotency-Key)."""
    from orbit.models import IdempotencyKey

    key = _key_from(request)
    if key is None or not getattr(request.user, "is_authenticated", False):
        return handler()
    method, path, fingerprint = request.method, request.path, request_fingerprint(request)

    with transaction.atomic():
        try:
            # The claim. A concurrent holder of the same key makes this INSERT wait for its outcome.
            with transaction.atomic():
                record = IdempotencyKey.objects.create(
                    user=request.user, key=key, method=method, path=path, request_hash=fingerprint
                )
        except IntegrityError:
            record = IdempotencyKey.objects.select_for_update().get(user=request.user, key=key)
            if record.created_at >= timezone.now() - IDEMPOTENCY_KEY_TTL:
                return _replay(record, method=method, path=path, fingerprint=fingerprint)
            # Expired: this request takes the key over.
            record.created_at = timezone.now()
            record.method, record.path, record.request_hash = method, path, fingerprint
            record.response_status, record.response_body, record.response_headers = None, None, {}
            record.save()

        response = handler()
        if not 200 <= response.status_code < 300:
            # Forget the claim with everything the request did, so a corrected retry can reuse the key.
            transaction.set_rollback(True)
            return response
        record.response_status = response.status_code
        record.response_body = response.data
        record.response_headers = {name: response[name] for name in _STORED_HEADERS if response.has_header(name)}
        record.save(update_fields=["response_status", "response_body", "response_headers", "updated_at"])
        return response


IDEMPOTENCY_KEY_PARAMETER = OpenApiParameter(
    HEADER,
    location=OpenApiParameter.HEADER,
    required=False,
    description=f"Retry-safe creation: a replay with the same key (1 to {MAX_KEY_LENGTH} characters) and body "
    "returns the first response; the same key with another request is a 422 `idempotency_key_reused`.",
)


def idempotent(view_method):
    """Decorate a DRF view method (`create`, an `@action`) that creates something. The OpenAPI operation then
    documents the `Idempotency-Key` header, the 422 and the `Idempotent-Replayed` response header by itself."""

    @wraps(view_method)
    def wrapper(self, request, *args, **kwargs):
        return run_idempotently(request, lambda: view_method(self, request, *args, **kwargs))

    return declare(
        wrapper,
        statuses=[422],
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
        headers={REPLAYED_HEADER: ("`true` when this is the stored answer to an earlier request.", ("2xx",), False)},
    )


def purge_expired(*, now, dry_run: bool = False) -> int:
    from orbit.models import IdempotencyKey

    expired = IdempotencyKey.objects.filter(created_at__lt=now - IDEMPOTENCY_KEY_TTL)
    if dry_run:
        return expired.count()
    deleted, _ = expired.delete()
    return deleted
