"""Thin views: input → exports.services → output. Tenancy and roles come from WorkspaceScopedViewSet."""

from functools import cached_property

from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle

from exports import services
from exports.api import serializers as s
from exports.models import Export
from orbit.idempotency import idempotent
from orbit.schema import answers
from scopes import selectors
from workspaces.api.mixins import WorkspaceScopedViewSet


class ExportRateThrottle(SimpleRateThrottle):
    """EXPORT_RATE_LIMIT export requests per user and workspace, counted in the shared cache."""

    scope = "exports"

    def get_rate(self):
        return settings.EXPORT_RATE_LIMIT

    def get_cache_key(self, request, view):
        return f"throttle_exports_{view.kwargs['workspace_id']}_{request.user.pk}"


class ScopeExportViewSet(mixins.ListModelMixin, WorkspaceScopedViewSet):
    """A scope's exports: viewers list them; editors ask for new ones."""

    queryset = Export.objects.select_related("requested_by")
    serializer_class = s.ExportSerializer
    filter_backends = []

    @cached_property
    def scope(self):
        return selectors.get_scope(workspace=self.workspace, scope_id=self.kwargs["scope_id"])

    def get_throttles(self):
        return [ExportRateThrottle()] if self.action == "create" else super().get_throttles()

    def get_queryset(self):
        return super().get_queryset().filter(scope_id=self.kwargs["scope_id"])

    def list(self, request, workspace_id, scope_id):
        _ = self.scope  # 404 for a scope that is not here (or is in the trash)
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(s.ExportSerializer(page, many=True, context={"request": request}).data)

    @answers(402, 409)  # the exports limit; the scope is in the trash
    @extend_schema(
        request=s.ExportRequestSerializer,
        responses={202: s.ExportSerializer, 200: s.ExportSerializer},
        description="Queues a PDF or DOCX of the scope (202). When a finished export of the very same content, "
        "options and branding exists, it is returned at once (200) and not counted against the plan.",
    )
    @idempotent
    def create(self, request, workspace_id, scope_id):
        export, cached = services.request_export(
            workspace=self.workspace, scope_id=scope_id, actor=request.user, data=request.data
        )
        code = status.HTTP_200_OK if cached else status.HTTP_202_ACCEPTED
        return Response(s.ExportSerializer(export, context={"request": request}).data, status=code)


class ExportViewSet(mixins.RetrieveModelMixin, WorkspaceScopedViewSet):
    """One export: poll it (a signed download URL once it succeeded); editors retry a failed one."""

    queryset = Export.objects.select_related("requested_by")
    serializer_class = s.ExportSerializer

    @answers(409)  # only a failed export can be retried
    @extend_schema(request=None, responses={202: s.ExportSerializer})
    @idempotent
    def retry(self, request, workspace_id, id):
        export = services.retry_export(export=self.get_object(), actor=request.user)
        return Response(s.ExportSerializer(export, context={"request": request}).data, status=status.HTTP_202_ACCEPTED)
