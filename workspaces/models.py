from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q

from orbit.models import TimestampedModel


class WorkspaceQuerySet(models.QuerySet):
    def alive(self):
        return self.filter(deleted_at__isnull=True)

    def for_user(self, user):
        """Workspaces `user` is a member of (never soft-deleted ones)."""
        return self.alive().filter(memberships__user=user)

    def lock(self, pk) -> None:
        """Hold the workspace row's lock until the transaction ends. Writes that count against the plan or change
        the members take it first, so racing requests of one workspace count one after the other.
        FOR NO KEY UPDATE: lockers still queue behind each other, but the KEY SHARE that any insert referencing the
        workspace takes (an activity event, ...) is not blocked, which deadlocked a request holding a project row."""
        self.select_for_update(no_key=True).filter(pk=pk).values_list("pk", flat=True).get()


class Workspace(TimestampedModel):
    """A tenant: everything a team owns hangs off one workspace."""

    class Privacy(models.TextChoices):
        PRIVATE = "private", "Private: members only"
        TEAM = "team", "Team: anyone invited"

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=64, unique=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_workspaces")
    industry = models.CharField(max_length=120, blank=True)
    team_size = models.CharField(max_length=32, blank=True)
    privacy = models.CharField(max_length=16, choices=Privacy.choices, default=Privacy.PRIVATE)
    goals = models.JSONField(default=list, blank=True)
    logo_url = models.URLField(max_length=500, blank=True)
    primary_color = models.CharField(
        max_length=7,
        blank=True,
        validators=[RegexValidator(r"^#[0-9A-Fa-f]{6}$", "Use a hex colour such as #1A2B3C.")],
    )
    # The plan in force; Free until billing (Stripe, through dj-stripe) says otherwise.
    plan = models.CharField(max_length=32, default="free")
    deleted_at = models.DateTimeField(null=True, blank=True, db_index=True)

    objects = WorkspaceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def email(self) -> str:
        """The billing contact; dj-stripe needs an `email` on its subscriber model."""
        return self.owner.email


class Membership(TimestampedModel):
    """A user's role in a workspace. Roles are ordered, so `role >= Role.EDITOR` reads naturally."""

    class Role(models.IntegerChoices):
        VIEWER = 10, "viewer"
        EDITOR = 20, "editor"
        ADMIN = 30, "admin"
        OWNER = 40, "owner"

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.PositiveSmallIntegerField(choices=Role.choices, default=Role.EDITOR)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["workspace", "user"], name="workspaces_membership_unique")]
        indexes = [models.Index(fields=["user", "workspace"])]
        ordering = ["-role", "created_at"]

    def __str__(self):
        return f"{self.user} in {self.workspace} as {self.get_role_display()}"

    @property
    def role_name(self) -> str:
        return self.Role(self.role).label


class Invitation(TimestampedModel):
    """An emailed invitation. Only a SHA-256 of the token is stored; the token itself is in the mail."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.PositiveSmallIntegerField(choices=Membership.Role.choices, default=Membership.Role.EDITOR)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # At most one pending invitation per address and workspace.
            models.UniqueConstraint(
                "workspace",
                models.functions.Lower("email"),
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="workspaces_invitation_one_pending",
            )
        ]

    def __str__(self):
        return f"{self.email} → {self.workspace}"


class ActivityEvent(TimestampedModel):
    """Append-only log of what happened in a workspace. Written only through `workspaces.activity.record`."""

    class Verb(models.TextChoices):
        """Every verb the feed can hold, `<target kind>.<what happened>`. An app adds its verbs here."""

        WORKSPACE_CREATED = "workspace.created", "Workspace created"
        WORKSPACE_UPDATED = "workspace.updated", "Workspace updated"
        WORKSPACE_DELETED = "workspace.deleted", "Workspace deleted"
        WORKSPACE_OWNERSHIP_TRANSFERRED = "workspace.ownership_transferred", "Ownership transferred"
        WORKSPACE_RESTORED = "workspace.restored", "Workspace restored"
        MEMBER_INVITED = "member.invited", "Member invited"
        MEMBER_INVITATION_RESENT = "member.invitation_resent", "Invitation resent"
        MEMBER_INVITATION_REVOKED = "member.invitation_revoked", "Invitation revoked"
        MEMBER_JOINED = "member.joined", "Member joined"
        MEMBER_ROLE_CHANGED = "member.role_changed", "Member's role changed"
        MEMBER_REMOVED = "member.removed", "Member removed"
        MEMBER_LEFT = "member.left", "Member left"
        PROJECT_CREATED = "project.created", "Project created"
        PROJECT_UPDATED = "project.updated", "Project updated"
        PROJECT_ARCHIVED = "project.archived", "Project archived"
        PROJECT_UNARCHIVED = "project.unarchived", "Project unarchived"
        PROJECT_DELETED = "project.deleted", "Project deleted"
        SCOPE_CREATED = "scope.created", "Scope created"
        SCOPE_UPDATED = "scope.updated", "Scope updated"
        SCOPE_STATUS_CHANGED = "scope.status_changed", "Scope status changed"
        SCOPE_DUPLICATED = "scope.duplicated", "Scope duplicated"
        SCOPE_DELETED = "scope.deleted", "Scope moved to the trash"
        SCOPE_RESTORED = "scope.restored", "Scope restored"
        COMMENT_ADDED = "comment.added", "Comment added"
        COMMENT_RESOLVED = "comment.resolved", "Comment resolved"
        COMMENT_UNRESOLVED = "comment.unresolved", "Comment reopened"
        TEMPLATE_CREATED = "template.created", "Template created"
        TEMPLATE_UPDATED = "template.updated", "Template updated"
        TEMPLATE_DELETED = "template.deleted", "Template deleted"
        TEMPLATE_APPLIED = "template.applied", "Template applied"
        DOCUMENT_UPLOADED = "document.uploaded", "Document uploaded"
        DOCUMENT_UPDATED = "document.updated", "Document updated"
        DOCUMENT_PROCESSED = "document.processed", "Document processed"
        DOCUMENT_FAILED = "document.failed", "Document failed"
        DOCUMENT_DELETED = "document.deleted", "Document deleted"
        DOCUMENT_REPROCESSED = "document.reprocessed", "Document queued for processing again"
        EXPORT_REQUESTED = "export.requested", "Export requested"
        EXPORT_SUCCEEDED = "export.succeeded", "Export ready"
        EXPORT_FAILED = "export.failed", "Export failed"
        EXPORT_RETRIED = "export.retried", "Export retried"
        BILLING_PLAN_CHANGED = "billing.plan_changed", "Plan changed"
        BILLING_STATUS_CHANGED = "billing.status_changed", "Subscription status changed"
        BILLING_CANCELLATION_SCHEDULED = "billing.cancellation_scheduled", "Cancellation scheduled"
        BILLING_CANCELLATION_WITHDRAWN = "billing.cancellation_withdrawn", "Cancellation withdrawn"
        AI_SCOPE_EXTRACTED = "ai.scope_extracted", "AI drafted a scope"
        AI_SUGGESTIONS_MADE = "ai.suggestions_made", "AI suggested changes"
        AI_SCOPE_ANALYZED = "ai.scope_analyzed", "AI analysed a scope"
        AI_RUN_FAILED = "ai.run_failed", "AI run failed"
        AI_RUN_RETRIED = "ai.run_retried", "AI run retried"

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="activity")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    verb = models.CharField(max_length=64, db_index=True, choices=Verb.choices)
    target_type = models.CharField(max_length=64, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    metadata = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["workspace", "-created_at"]),
            models.Index(fields=["workspace", "target_type", "target_id"]),
        ]

    def __str__(self):
        return f"{self.verb} by {self.actor_id} in {self.workspace_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("Activity events are append-only.")
        super().save(*args, **kwargs)


class Onboarding(TimestampedModel):
    """One person's progress through the four onboarding steps, kept in the database so it survives sign-out.

    Keyed to the user (one row each), so posting step 1 twice finds the same row and the same workspace.
    `steps` maps a step name to "done" or "skipped"; a step not in it is still to do.
    """

    class Step(models.TextChoices):
        WORKSPACE = "workspace", "Create the workspace"
        TEAM = "team", "Team and privacy"
        GOALS = "goals", "Goals"
        PLAN = "plan", "Plan"

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="onboarding")
    workspace = models.ForeignKey(
        Workspace, on_delete=models.SET_NULL, null=True, blank=True, related_name="onboardings"
    )
    steps = models.JSONField(default=dict, blank=True)
    # A paid plan chosen in step 4; billing turns it into a checkout session.
    plan_intent = models.CharField(max_length=32, blank=True)
    billing_cycle = models.CharField(max_length=16, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Onboarding of {self.user_id}"
