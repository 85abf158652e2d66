"""Thin views: input → service → output. Tenancy and roles come from WorkspaceScopedViewSet."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from documents import selectors, services
from documents.api import serializers as s
from documents.api.filters import DocumentFilter
from documents.models import Document
from orbit.errors import ValidationFailed
from orbit.idempotency import idempotent
from orbit.pagination import CursorPagination
from orbit.request_body import validated
from orbit.schema import answers
from workspaces.api.mixins import WorkspaceScopedViewSet


class DocumentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, WorkspaceScopedViewSet):
    """Documents of a workspace: viewers read; editors upload, confirm, reprocess and delete."""

    queryset = Document.objects.all()
    serializer_class = s.DocumentSerializer
    filterset_class = DocumentFilter
    ordering_fields = ["created_at", "filename", "size_bytes", "status", "updated_at"]

    def get_queryset(self):
        return selectors.document_list(super().get_queryset())

    @answers(402, 413, 415)  # the storage limit; over the plan's file size; a file type not accepted
    @extend_schema(request=s.DocumentCreateSerializer, responses={201: s.DocumentUploadSerializer})
    @idempotent
    def create(self, request, workspace_id):
        """Ask for an upload: returns the pending document and where to send the bytes ({url, method, headers})."""
        document, link = services.create_upload(
            workspace=self.workspace,
            uploaded_by=request.user,
            request=request,
            **validated(s.DocumentCreateSerializer, request),
        )
        return Response(
            {"document": s.DocumentSerializer(document).data, "upload": s.UploadTargetSerializer(link.as_dict()).data},
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=s.DocumentUpdateSerializer, responses=s.DocumentSerializer)
    def partial_update(self, request, workspace_id, id):
        """Rename, or link to a project/scope of this workspace (null unlinks)."""
        changes = validated(s.DocumentUpdateSerializer, request, partial=True)
        document = services.update_document(document=self.get_object(), actor=request.user, changes=changes)
        return Response(s.DocumentSerializer(document).data)

    # 402 the storage limit; 409 rejected before or nothing uploaded; 413/415/422 the file is too large, not what
    # it claims or malware; 503 storage or the scanner unavailable (the upload is kept)
    @answers(402, 409, 413, 415, 422, 503)
    @extend_schema(request=None, responses=s.DocumentSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request, workspace_id, id):
        """After the upload: checks size, type (from the bytes) and the malware scan, then queues processing."""
        document = services.confirm_upload(document=self.get_object(), actor=request.user)
        return Response(s.DocumentSerializer(document).data)

    @answers(409)  # the file was already received
    @extend_schema(request=None, responses=s.UploadTargetSerializer)
    @action(detail=True, methods=["post"], url_path="upload-url")
    def upload_url(self, request, workspace_id, id):
        """A fresh upload URL for a pending document whose first one expired."""
        link = services.upload_link(document=self.get_object(), request=request)
        return Response(s.UploadTargetSerializer(link.as_dict()).data)

    @answers(409)  # no stored file, or already being processed
    @extend_schema(request=None, responses={202: s.DocumentSerializer})
    @action(detail=True, methods=["post"])
    @idempotent
    def reprocess(self, request, workspace_id, id):
        document = services.reprocess_document(document=self.get_object(), actor=request.user)
        return Response(s.DocumentSerializer(document).data, status=status.HTTP_202_ACCEPTED)

    @answers(503)  # storage unavailable: nothing deleted
    @extend_schema(responses={204: None})
    def destroy(self, request, workspace_id, id):
        services.delete_document(document=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(responses=s.DownloadSerializer)
    @action(detail=True, methods=["get"])
    def download(self, request, workspace_id, id):
        """A short-lived signed URL to the original file (objects are private)."""
        link = services.download_link(document=self.get_object(), request=request)
        return Response(s.DownloadSerializer({"url": link.url, "expires_at": link.expires_at}).data)

    @extend_schema(responses=s.DocumentTextSerializer)
    @action(detail=True, methods=["get"])
    def text(self, request, workspace_id, id):
        document = self.get_object()
        return Response(
            s.DocumentTextSerializer(
                {
                    "id": document.id,
                    "status": document.status,
                    "page_count": document.page_count,
                    "text": Document.objects.values_list("extracted_text", flat=True).get(pk=document.pk),
                }
            ).data
        )


class PageNumberOrder(CursorPagination):
    ordering = "number"


class DocumentPageViewSet(mixins.ListModelMixin, WorkspaceScopedViewSet):
    """A document's text, page by page, in page order; `?number=4` gives one page."""

    serializer_class = s.DocumentPageSerializer
    queryset = Document.objects.defer(*selectors.HEAVY_FIELDS)
    pagination_class = PageNumberOrder
    filter_backends = []

    @extend_schema(parameters=[OpenApiParameter("number", OpenApiTypes.INT, description="Only this page.")])
    def list(self, request, workspace_id, id):
        document = self.get_object()
        pages = selectors.document_pages(document=document)
        number = request.query_params.get("number")
        if number is not None:
            # isdecimal, not isdigit: "²" is a digit that int() refuses.
            if not (number.isascii() and number.isdecimal()) or len(number) > 9:
                raise ValidationFailed("`number` must be a page number.", details={"number": ["Not a page number."]})
            pages = pages.filter(number=int(number))
        page = self.paginate_queryset(pages)
        return self.get_paginated_response(s.DocumentPageSerializer(page, many=True).data)
