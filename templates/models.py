from django.conf import settings
from django.db import models
from django.db.models import Q

from orbit.models import TimestampedModel


class TemplateQuerySet(models.QuerySet):
    def public(self):
        return self.filter(workspace__isnull=True)


class Template(TimestampedModel):
    """A reusable outline for scopes. Public (system) templates have no workspace and are read-only.

    `sections` is an ordered list of {"title", "section_type", "content"}.
    """

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, null=True, blank=True, related_name="templates"
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    category = models.CharField(max_length=64, blank=True, db_index=True)
    sections = models.JSONField(default=list, blank=True)
    is_public = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = TemplateQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            # Public means "no workspace": one rule, so a workspace template can never leak as public.
            models.CheckConstraint(
                condition=Q(workspace__isnull=True, is_public=True) | Q(workspace__isnull=False, is_public=False),
                name="scope_templates_public_iff_no_workspace",
            ),
            models.UniqueConstraint(
                fields=["name"], condition=Q(workspace__isnull=True), name="scope_templates_public_name_unique"
            ),
        ]

    def __str__(self):
        return self.name
