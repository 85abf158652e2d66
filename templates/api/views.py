from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from orbit.errors import ValidationFailed
from orbit.idempotency import idempotent
from orbit.request_body import validated
from scopes import selectors as scope_selectors
from templates.api.serializers import (
    ApplyResultSerializer,
    ApplyTemplateSerializer,
    TemplateInputSerializer,
    TemplateSerializer,
)
from templates.models import Template
from templates.services import (
    apply_template,
    create_template,
    create_template_from_scope,
    delete_template,
    update_template,
)
from workspaces.api.mixins import WorkspaceScopedViewSet, patch_of


class PublicTemplateViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Orbit's public templates, readable by any signed-in user."""

    queryset = Template.objects.public()
    serializer_class = TemplateSerializer
    filterset_fields = ["category"]
    ordering_fields = ["name", "created_at"]
    ordering = ("name",)
    lookup_value_converter = "uuid"
    lookup_url_kwarg = "id"


class WorkspaceTemplateViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, WorkspaceScopedViewSet
):
    """The workspace's own templates plus the public ones. Public templates are read-only here (403)."""

    queryset = Template.objects.all()
    serializer_class = TemplateSerializer
    filterset_fields = ["category", "is_public"]
    ordering_fields = ["name", "created_at"]
    ordering = ("name",)
    lookup_value_converter = "uuid"

    def get_queryset(self):
        # The mixin's workspace filter, widened by the public templates every workspace may use.
        return super().get_queryset() | Template.objects.public()

    @extend_schema(request=TemplateInputSerializer, responses={201: TemplateSerializer})
    @idempotent
    def create(self, request, workspace_id):
        data = validated(TemplateInputSerializer, request)
        scope_id = data.pop("scope_id", None)
        if scope_id is not None:
            if "sections" in data:
                raise ValidationFailed(
                    "A template made from a scope copies its sections: give scope_id or sections, not both.",
                    details={"sections": ["Not allowed together with scope_id."]},
                )
            scope = scope_selectors.get_scope(workspace=self.workspace, scope_id=scope_id, field="scope_id")
            template = create_template_from_scope(scope=scope, actor=request.user, **data)
        else:
            if not data.get("name"):
                raise ValidationFailed("A template needs a name.", details={"name": ["This field is required."]})
            template = create_template(workspace=self.workspace, actor=request.user, **data)
        return Response(TemplateSerializer(template).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=TemplateInputSerializer, responses=TemplateSerializer)
    def update(self, request, workspace_id, id, partial=False):
        template = self.get_object()
        data = validated(TemplateInputSerializer, request, partial=partial)
        changes = {key: value for key, value in data.items() if key != "scope_id"}
        template = update_template(template=template, actor=request.user, changes=changes, replace=not partial)
        return Response(TemplateSerializer(template).data)

    partial_update = patch_of(update)

    def perform_destroy(self, template):
        delete_template(template=template, actor=self.request.user)

    @extend_schema(request=ApplyTemplateSerializer, responses=ApplyResultSerializer)
    @action(detail=True, methods=["post"])
    def apply(self, request, workspace_id, id):
        """Merge into a scope: append the template's sections, skipping exact (title, content) duplicates."""
        template = self.get_object()
        scope_id = validated(ApplyTemplateSerializer, request)["scope_id"]
        scope = scope_selectors.get_scope(workspace=self.workspace, scope_id=scope_id, field="scope_id")
        result = apply_template(template=template, scope=scope, actor=request.user)
        return Response(ApplyResultSerializer(result).data)
