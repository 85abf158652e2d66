from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from orbit.concurrency import ETagMixin, expected_version, if_match, sends_etag
from orbit.idempotency import idempotent
from orbit.request_body import validated
from scopes import selectors
from scopes.api.representations import section_json
from scopes.api.serializers import ReorderSerializer, SectionInputSerializer, SectionSerializer
from scopes.api.views._nesting import ScopeChildMixin
from scopes.models import ScopeSection
from scopes.services.sections import add_section, delete_section, reorder_sections, update_section
from workspaces.api.mixins import WorkspaceScopedViewSet, patch_of

SECTIONS_NOT_PAGED = (
    "All of the scope's sections, in order, as one array: this list is deliberately not paginated. A scope is read, "
    "edited and reordered as a whole (reorder takes the complete new order), so a client always needs every "
    "section; a page boundary would split the order it must send back. Section content is bounded (see the "
    "section's maxLength) and a scope's sections are as many as a document has parts."
)


class SectionViewSet(ScopeChildMixin, ETagMixin, mixins.DestroyModelMixin, WorkspaceScopedViewSet):
    """A scope's sections, in order. Positions are 0..n-1; reorder with the full new order in one request."""

    queryset = ScopeSection.objects.select_related("scope__workspace")
    serializer_class = SectionSerializer
    workspace_field = "scope__workspace"
    pagination_class = None  # a scope's sections are read whole, in order
    lookup_value_converter = "uuid"

    def get_queryset(self):
        sections = super().get_queryset()
        if self.action in ("list", "retrieve"):
            return selectors.sections_queryset().filter(pk__in=sections.values("pk"))
        return sections

    @extend_schema(description=SECTIONS_NOT_PAGED)
    def list(self, request, workspace_id, scope_id):
        _ = self.scope  # 404 for a scope that is not here
        return Response([section_json(section) for section in self.get_queryset()])

    @sends_etag
    @extend_schema(request=SectionInputSerializer, responses={201: SectionSerializer})
    @idempotent
    def create(self, request, workspace_id, scope_id):
        scope = self.scope
        section = add_section(scope=scope, actor=request.user, **validated(SectionInputSerializer, request))
        section = selectors.sections_queryset().get(pk=section.pk)  # with its comment_count, as every response
        return self.with_etag(Response(section_json(section), status=status.HTTP_201_CREATED), section)

    @sends_etag
    def retrieve(self, request, workspace_id, scope_id, id):
        section = self.get_object()
        return self.with_etag(Response(section_json(section)), section)

    @if_match
    @extend_schema(request=SectionInputSerializer, responses=SectionSerializer)
    def update(self, request, workspace_id, scope_id, id, partial=False):
        section = self.get_object()
        section = update_section(
            section=section,
            actor=request.user,
            changes=validated(SectionInputSerializer, request, partial=partial),
            replace=not partial,
            expected_version=expected_version(request, current=section.version),
        )
        section = selectors.sections_queryset().get(pk=section.pk)  # with its comment_count, as every response
        return self.with_etag(Response(section_json(section)), section)

    partial_update = patch_of(update)

    def perform_destroy(self, section):
        delete_section(section=section, actor=self.request.user)

    @extend_schema(request=ReorderSerializer, responses=SectionSerializer(many=True), filters=False)
    @action(detail=False, methods=["post"])
    def reorder(self, request, workspace_id, scope_id):
        """Apply a complete new order atomically; an order that is not exactly the scope's sections is a 400."""
        scope = self.scope
        reorder_sections(scope=scope, actor=request.user, order=validated(ReorderSerializer, request)["order"])
        sections = selectors.sections_queryset().filter(scope=scope)  # the new order, with comment counts
        return Response([section_json(section) for section in sections])
