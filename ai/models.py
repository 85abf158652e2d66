"""AI runs (one per extract / suggest / analyze request) and the content-addressed result cache.

An `AIRun` is metadata only: who asked, what kind, which provider and model, its outcome, tokens, cost and
latency. It never holds document text or prompts. The one output it keeps is a suggest run's suggestions
(generated text, sanitised), because a suggest run is answered by polling the run.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from orbit.models import RunStatus, TimestampedModel


class AIRunQuerySet(models.QuerySet):
    def counted_since(self, workspace, since):
        """Runs that count against `ai_calls_per_month`: every run asked for, except cache hits and runs that
        never reached a provider (not configured)."""
        return self.filter(workspace=workspace, created_at__gte=since, counted=True)


class AIRun(TimestampedModel):
    """One AI job. Lifecycle: queued → running → succeeded | failed.

    The worker claims a run with a conditional UPDATE (queued, or running with a claim older than AI_RUN_LEASE),
    stamping `claimed_at` and a fresh `claim_token`; every later write only touches the row while that claim
    still holds, so a worker that lost its lease writes nothing (the pattern of documents.processing).
    """

    class Kind(models.TextChoices):
        EXTRACT = "extract", "Extract a scope from documents"
        SUGGEST = "suggest", "Suggest improvements to a section"
        ANALYZE = "analyze", "Analyze a scope"

    Status = RunStatus

    workspace = models.ForeignKey("workspaces.Workspace", on_delete=models.CASCADE, related_name="ai_runs")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="ai_runs"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    provider = models.CharField(max_length=32)
    model = models.CharField(max_length=128, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED, db_index=True)
    progress = models.PositiveSmallIntegerField(default=0, help_text="0..100")
    error_code = models.CharField(max_length=64, blank=True)
    error_message = models.TextField(blank=True)
    # Ids and options only (document_ids, project_id, template_id, title, scope_id, section_id): never text.
    input_params = models.JSONField(default=dict, blank=True)
    scope = models.ForeignKey(
        "scopes.Scope",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ai_runs",
        help_text="Extract: the scope created. Suggest/analyze: the scope worked on.",
    )
    # Suggest runs only: the suggestions, answered to the poller (generated, sanitised; never document text).
    result = models.JSONField(default=dict, blank=True)
    chunks = models.PositiveIntegerField(default=0)
    provider_calls = models.PositiveIntegerField(default=0)
    input_tokens = models.PositiveIntegerField(default=0)
    output_tokens = models.PositiveIntegerField(default=0)
    cost_usd = models.DecimalField(max_digits=12, decimal_places=6, default=0)
    latency_ms = models.PositiveIntegerField(null=True, blank=True)
    cache_hit = models.BooleanField(default=False)
    # False for cache hits and runs that never reached a provider: they do not use the month's allowance.
    counted = models.BooleanField(default=True)
    # Worker bookkeeping (see the class docstring).
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claim_token = models.UUIDField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = AIRunQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["workspace", "-created_at"]),
            models.Index(fields=["workspace", "counted", "created_at"]),
            models.Index(fields=["status", "claimed_at"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="ai_airun_progress_at_most_100"),
        ]

    def __str__(self):
        return f"{self.kind} {self.status} ({self.provider})"


class AIResultCache(TimestampedModel):
    """A stored engine answer, addressed by the SHA-256 of everything that decides it: the documents' content,
    provider, model, template, prompt version (and, for suggest/analyze, the scope's content). Per workspace,
    so a hit never crosses tenants. Document ids in the stored result are positions in the run's document list,
    remapped to the asking run's documents on a hit."""

    key = models.CharField(max_length=64, unique=True)
    workspace = models.ForeignKey("workspaces.Workspace", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=AIRun.Kind.choices)
    provider = models.CharField(max_length=32)
    model = models.CharField(max_length=128, blank=True)
    prompt_version = models.CharField(max_length=32)
    result = models.JSONField()
    input_tokens = models.PositiveIntegerField(default=0)
    output_tokens = models.PositiveIntegerField(default=0)
    hits = models.PositiveIntegerField(default=0)
    last_hit_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.kind} {self.provider}/{self.model} {self.key[:12]}"
