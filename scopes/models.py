from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Deferrable, Q

from orbit.models import TimestampedModel

_confidence_validators = [MinValueValidator(0.0), MaxValueValidator(1.0)]


class Project(TimestampedModel):
    """A client engagement grouping scopes."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        ARCHIVED = "archived", "Archived"

    workspace = models.ForeignKey("workspaces.Workspace", on_delete=models.CASCADE, related_name="projects")
    name = models.CharField(max_length=200)
    client_name = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["workspace", "status", "-created_at"])]

    def __str__(self):
        return self.name


class ScopeQuerySet(models.QuerySet):
    def alive(self):
        return self.filter(deleted_at__isnull=True)

    def trashed(self):
        return self.filter(deleted_at__isnull=False)


class Scope(TimestampedModel):
    """A scope of work: ordered sections plus review status. `version` backs ETag/If-Match."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        APPROVED = "approved", "Approved"
        SENT = "sent", "Sent"
        ARCHIVED = "archived", "Archived"

    workspace = models.ForeignKey("workspaces.Workspace", on_delete=models.CASCADE, related_name="scopes")
    project = models.ForeignKey(Project, on_delete=models.SET_NULL, null=True, blank=True, related_name="scopes")
    title = models.CharField(max_length=300)
    client_name = models.CharField(max_length=200, blank=True)
    summary = models.TextField(blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    confidence = models.FloatField(null=True, blank=True, validators=_confidence_validators)
    ai_analysis = models.JSONField(default=dict, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    deleted_at = models.DateTimeField(null=True, blank=True)
    # Title (A), client and summary (B), section titles and text (C); written by scopes.search.refresh.
    search_vector = SearchVectorField(null=True, blank=True, editable=False)
    # Kept by scopes.counts.refresh in the transaction of every write that changes them (never by a save).
    section_count = models.PositiveIntegerField(default=0, db_default=0, editable=False)
    open_comment_count = models.PositiveIntegerField(default=0, db_default=0, editable=False)

    objects = ScopeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["workspace", "-created_at"], name="scope_alive_recent", condition=Q(deleted_at__isnull=True)
            ),
            models.Index(fields=["workspace", "status"], name="scope_workspace_status"),
            models.Index(fields=["deleted_at"], name="scope_trash", condition=Q(deleted_at__isnull=False)),
            GinIndex(fields=["search_vector"], name="scope_search"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        """A full save of a row read earlier (the admin's change form) leaves the counts to scopes.counts: the
        values it holds may be stale by now."""
        full = kwargs.get("update_fields") is None and not kwargs.get("force_insert")
        if full and not self._state.adding and not args:
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name not in COUNT_FIELDS
            ]
        super().save(*args, **kwargs)


COUNT_FIELDS = ("section_count", "open_comment_count")


class ScopeSection(TimestampedModel):
    """One section of a scope. Positions are 0..n-1 per scope: unique (deferred, so a reorder can swap) and
    without gaps (a deferred constraint trigger, migration 0002), both checked by the database at commit."""

    class SectionType(models.TextChoices):
        OVERVIEW = "overview", "Overview"
        OBJECTIVES = "objectives", "Objectives"
        SCOPE = "scope", "In scope"
        DELIVERABLES = "deliverables", "Deliverables"
        TIMELINE = "timeline", "Timeline"
        MILESTONES = "milestones", "Milestones"
        BUDGET = "budget", "Budget"
        TEAM = "team", "Team and roles"
        ASSUMPTIONS = "assumptions", "Assumptions"
        EXCLUSIONS = "exclusions", "Exclusions"
        RISKS = "risks", "Risks"
        ACCEPTANCE = "acceptance", "Acceptance criteria"
        TERMS = "terms", "Terms"
        CUSTOM = "custom", "Custom"

    scope = models.ForeignKey(Scope, on_delete=models.CASCADE, related_name="sections")
    section_type = models.CharField(max_length=32, choices=SectionType.choices, default=SectionType.CUSTOM)
    title = models.CharField(max_length=300)
    content = models.TextField(blank=True, help_text="Markdown.")
    position = models.PositiveIntegerField()
    confidence = models.FloatField(null=True, blank=True, validators=_confidence_validators)
    ai_generated = models.BooleanField(default=False)
    # Provenance: [{"document_id": "<uuid>", "page": 3, "quote": "..."}]
    sources = models.JSONField(default=list, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["scope", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "position"], name="scopes_section_position_unique", deferrable=Deferrable.DEFERRED
            )
        ]

    def __str__(self):
        return f"{self.position}. {self.title}"


class Comment(TimestampedModel):
    """A comment on a scope or one of its sections. Threads are one level deep: replies point at a root."""

    scope = models.ForeignKey(Scope, on_delete=models.CASCADE, related_name="comments")
    # A section's deletion keeps its discussion on the scope.
    section = models.ForeignKey(ScopeSection, on_delete=models.SET_NULL, null=True, blank=True, related_name="comments")
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    body = models.TextField(blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["scope", "parent", "created_at"])]

    def __str__(self):
        return f"Comment {self.pk} on {self.scope_id}"


class Favourite(TimestampedModel):
    """A user's bookmark on a scope."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="favourites")
    scope = models.ForeignKey(Scope, on_delete=models.CASCADE, related_name="favourites")

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["user", "scope"], name="scopes_favourite_unique")]

    def __str__(self):
        return f"{self.user_id} ★ {self.scope_id}"
