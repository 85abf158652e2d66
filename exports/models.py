from django.conf import settings
from django.db import models

from orbit.models import RunStatus, TimestampedModel


class Export(TimestampedModel):
    """One PDF or DOCX of a scope, built by the worker (exports.processing) and stored in the blob store.

    `content_hash` fingerprints what the file shows (scope, sections, options, branding, format, renderer
    version): a request whose hash matches a succeeded export of the same scope gets that export back.
    `queued` → `running` (a worker's claim: (run, claimed_at), stale after EXPORT_LEASE seconds) → `succeeded`
    (file_key set) or `failed` (error set; a retry starts a new run).
    """

    class Format(models.TextChoices):
        PDF = "pdf", "PDF"
        DOCX = "docx", "Word (DOCX)"

    Status = RunStatus

    workspace = models.ForeignKey("workspaces.Workspace", on_delete=models.CASCADE, related_name="exports")
    scope = models.ForeignKey("scopes.Scope", on_delete=models.CASCADE, related_name="exports")
    format = models.CharField(max_length=8, choices=Format.choices)
    options = models.JSONField(default=dict, blank=True)
    content_hash = models.CharField(max_length=64, db_index=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    error = models.TextField(blank=True)
    # Decided from the plan when the export was asked for: {"plan", "custom", "color", "logo_url"}.
    branding = models.JSONField(default=dict, blank=True)
    file_key = models.CharField(max_length=500, blank=True)
    filename = models.CharField(max_length=255, blank=True)
    size_bytes = models.PositiveBigIntegerField(null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    run = models.PositiveIntegerField(default=1)
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["scope", "-created_at"]),
            models.Index(fields=["workspace", "-created_at"]),
            models.Index(fields=["status", "claimed_at"]),
        ]

    def __str__(self):
        return f"{self.get_format_display()} of {self.scope_id} ({self.status})"

    @property
    def content_type(self) -> str:
        if self.format == self.Format.PDF:
            return "application/pdf"
        return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
