"""Abstract bases shared by every app's models."""

import uuid

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models


class TimestampedModel(models.Model):
    """UUID primary key and created/updated timestamps: every Orbit row has them (SPEC §2)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class RunStatus(models.TextChoices):
    """The lifecycle of a job a worker pipeline (orbit.worker) runs once: queued → running (claimed) → succeeded or
    failed. AI runs and exports share it; a new status here is a new status for both."""

    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"


class IdempotencyKey(TimestampedModel):
    """The first successful answer to a creating POST sent with an `Idempotency-Key` header (orbit.idempotency).

    A row is inserted before the request runs and completed in the same transaction, so the unique
    (user, key) index makes a concurrent second request wait for the first and then replay its answer.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=1000)
    request_hash = models.CharField(max_length=64, help_text="SHA-256 of the canonical JSON request body.")
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)
    response_headers = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="orbit_idempotency_user_key")]

    def __str__(self):
        return f"{self.method} {self.path} [{self.key}]"
