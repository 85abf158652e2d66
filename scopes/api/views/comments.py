from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from orbit.idempotency import idempotent
from orbit.request_body import validated
from scopes import selectors
from scopes.api.filters import CommentFilter
from scopes.api.serializers import CommentCreateSerializer, CommentSerializer, CommentUpdateSerializer
from scopes.api.views._nesting import ScopeChildMixin
from scopes.models import Comment
from scopes.services.comments import add_comment, delete_comment, edit_comment, set_resolved
from workspaces.api.mixins import WorkspaceScopedViewSet, patch_of


class CommentViewSet(
    ScopeChildMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, WorkspaceScopedViewSet
):
    """Discussion on a scope, as threads (a first comment and its replies). Viewers read only.

    Edit: the author. Delete, resolve, unresolve: the author or a workspace owner/admin.
    """

    queryset = Comment.objects.all()
    serializer_class = CommentSerializer
    workspace_field = "scope__workspace"
    filterset_class = CommentFilter
    ordering = ("created_at",)
    lookup_value_converter = "uuid"

    def get_queryset(self):
        return selectors.with_replies(super().get_queryset(), roots_only=self.action == "list")

    def list(self, request, workspace_id, scope_id):
        _ = self.scope  # 404 for a scope that is not here
        return super().list(request, workspace_id, scope_id)

    @extend_schema(request=CommentCreateSerializer, responses={201: CommentSerializer})
    @idempotent
    def create(self, request, workspace_id, scope_id):
        scope = self.scope
        data = validated(CommentCreateSerializer, request)
        comment = add_comment(
            scope=scope,
            author=request.user,
            body=data["body"],
            section_id=data.get("section_id"),
            parent_id=data.get("parent_id"),
        )
        return Response(CommentSerializer(comment).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CommentUpdateSerializer, responses=CommentSerializer)
    def update(self, request, workspace_id, scope_id, id, partial=False):
        comment = self.get_object()
        body = validated(CommentUpdateSerializer, request)["body"]
        comment = edit_comment(comment=comment, actor=request.user, body=body)
        return Response(CommentSerializer(comment).data)

    partial_update = patch_of(update)

    def perform_destroy(self, comment):
        delete_comment(comment=comment, membership=self.membership)

    @extend_schema(request=None, responses=CommentSerializer)
    @action(detail=True, methods=["post"])
    def resolve(self, request, workspace_id, scope_id, id):
        comment = set_resolved(comment=self.get_object(), membership=self.membership, resolved=True)
        return Response(CommentSerializer(comment).data)

    @extend_schema(request=None, responses=CommentSerializer)
    @action(detail=True, methods=["post"])
    def unresolve(self, request, workspace_id, scope_id, id):
        comment = set_resolved(comment=self.get_object(), membership=self.membership, resolved=False)
        return Response(CommentSerializer(comment).data)
