from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from orbit.concurrency import ETagMixin, etag_for, expected_version, if_match, sends_etag
from orbit.filters import TRUE_VALUES
from orbit.idempotency import idempotent
from orbit.request_body import validated
from orbit.schema import answers
from scopes import lean, selectors
from scopes.api.filters import ScopeFilter
from scopes.api.representations import scope_detail_json, scope_detail_row_json, scope_json, scope_row_json
from scopes.api.serializers import (
    DuplicateSerializer,
    ScopeCreateSerializer,
    ScopeDetailSerializer,
    ScopeSerializer,
    ScopeUpdateSerializer,
    TransitionSerializer,
)
from scopes.models import Scope
from scopes.services.scopes import (
    create_scope,
    duplicate_scope,
    restore_scope,
    transition_scope,
    trash_scope,
    update_scope,
)
from templates.selectors import get_usable_template
from workspaces.api.mixins import WorkspaceScopedViewSet, patch_of

# The list parameters the lean read path answers (scopes/lean.py); any other parameter takes the filter backends.
LEAN_LIST_PARAMETERS = frozenset({"limit", "cursor", "q"})
SEARCH_MAX_LENGTH = ScopeFilter.base_filters["q"].extra["max_length"]


class ScopeViewSet(ETagMixin, mixins.DestroyModelMixin, WorkspaceScopedViewSet):
    """Scopes of work. Deleting moves a scope to the trash; `restore` brings it back within 30 days."""

    # (Not in the docstring: it is the operations' public description.) The hot reads (list, search, trash,
    # detail) run the lean path: the same queries as the ORM path, compiled once per shape, rows turned into the
    # declared serializers' JSON (scopes/lean.py, api/representations.py).

    queryset = Scope.objects.all()
    serializer_class = ScopeSerializer
    filterset_class = ScopeFilter
    ordering_fields = ["created_at", "updated_at", "title", "status"]
    lookup_value_converter = "uuid"

    @property
    def ordering(self):
        """Newest first; a search without an explicit `ordering` is ranked by relevance."""
        if getattr(self, "request", None) is None:
            return ("-created_at",)
        params = self.request.query_params
        if self.action == "list" and params.get("q", "").strip() and not params.get("ordering"):
            return ("-rank", "-created_at", "-id")  # id: rows tied on rank and time still have one order
        return ("-created_at",)

    def filter_queryset(self, queryset):
        """Filters and ordering are the list's: one scope addressed by id is never filtered out or sorted."""
        if self.action not in ("list", "trash"):
            return queryset
        return super().filter_queryset(queryset)

    def _wants_trash(self) -> bool:
        return self.action == "trash" or (
            self.action == "list" and self.request.query_params.get("trashed", "").lower() in TRUE_VALUES
        )

    def get_queryset(self):
        scopes = super().get_queryset()
        scopes = scopes.trashed() if self._wants_trash() or self.action == "restore" else scopes.alive()
        if self.action in ("list", "trash"):
            return selectors.with_list_annotations(scopes, user=self.request.user)
        if self.action == "retrieve":
            return selectors.with_detail(scopes, user=self.request.user)
        return scopes.select_related("workspace")

    def _detail(self, scope: Scope, *, status_code=status.HTTP_200_OK) -> Response:
        fresh = selectors.with_detail(Scope.objects.filter(pk=scope.pk), user=self.request.user).get()
        return self.with_etag(Response(scope_detail_json(fresh), status=status_code), fresh)

    def _lean_rows(self):
        """The page's rows when the filter backends would do nothing but search: only `limit`, `cursor` and a `q`
        the filter form accepts (stripped, at most 200 characters, no NUL), else None (the ORM path decides,
        errors included)."""
        params = self.request.query_params
        if not params.keys() <= LEAN_LIST_PARAMETERS:
            return None
        query = params.get("q", "").strip()
        if len(query) > SEARCH_MAX_LENGTH or "\x00" in query:
            return None
        return lean.scope_rows(
            workspace_id=self.workspace.pk,
            user_id=self.request.user.pk,
            trashed=self._wants_trash(),
            query=query or None,
        )

    @extend_schema(responses=ScopeSerializer(many=True))
    def list(self, request, workspace_id):
        rows = self._lean_rows()
        if rows is not None:
            page = self.paginate_queryset(rows)
            zone = timezone.get_current_timezone()
            return self.get_paginated_response([scope_row_json(row, zone) for row in page])  # = ScopeSerializer
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response([scope_json(scope) for scope in page])  # = ScopeSerializer

    @extend_schema(parameters=[], responses=ScopeSerializer(many=True))
    @action(detail=False, methods=["get"])
    def trash(self, request, workspace_id):
        """Trashed scopes, purged 30 days after deletion."""
        return self.list(request, workspace_id)

    @answers(402)  # the scopes limit
    @extend_schema(request=ScopeCreateSerializer, responses={201: ScopeDetailSerializer})
    @sends_etag
    @idempotent
    def create(self, request, workspace_id):
        data = validated(ScopeCreateSerializer, request)
        project_id, template_id = data.pop("project_id", None), data.pop("template_id", None)
        scope = create_scope(
            workspace=self.workspace,
            actor=request.user,
            project=selectors.get_project(workspace=self.workspace, project_id=project_id) if project_id else None,
            template=get_usable_template(workspace=self.workspace, template_id=template_id) if template_id else None,
            **data,
        )
        return self._detail(scope, status_code=status.HTTP_201_CREATED)

    @sends_etag
    @extend_schema(responses=ScopeDetailSerializer)
    def retrieve(self, request, workspace_id, id):
        found = lean.scope_detail_rows(workspace_id=self.workspace.pk, user_id=request.user.pk, scope_id=id)
        if found is None:
            raise Http404  # what get_object answers: 404 not_found
        scope, sections = found
        self.check_object_permissions(request, scope)
        response = Response(scope_detail_row_json(scope, sections))  # = ScopeDetailSerializer
        response["ETag"] = etag_for(scope["version"])
        return response

    @if_match
    @extend_schema(request=ScopeUpdateSerializer, responses=ScopeDetailSerializer)
    def update(self, request, workspace_id, id, partial=False):
        scope = self.get_object()
        changes = validated(ScopeUpdateSerializer, request, partial=partial)
        if "project_id" in changes:
            project_id = changes.pop("project_id")
            changes["project"] = (
                selectors.get_project(workspace=self.workspace, project_id=project_id) if project_id else None
            )
        scope = update_scope(
            scope=scope,
            actor=request.user,
            changes=changes,
            replace=not partial,
            expected_version=expected_version(request, current=scope.version),
        )
        return self._detail(scope)

    partial_update = patch_of(update)

    def perform_destroy(self, scope):
        trash_scope(scope=scope, actor=self.request.user)

    @sends_etag
    @extend_schema(request=None, responses=ScopeDetailSerializer)
    @action(detail=True, methods=["post"])
    def restore(self, request, workspace_id, id):
        return self._detail(restore_scope(scope=self.get_object(), actor=request.user))

    @answers(409)
    @if_match
    @extend_schema(request=TransitionSerializer, responses=ScopeDetailSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, workspace_id, id):
        """draft → in_review → approved → sent; any → archived; archived → draft. Others answer 409."""
        scope = self.get_object()
        scope = transition_scope(
            scope=scope,
            actor=request.user,
            status=validated(TransitionSerializer, request)["status"],
            expected_version=expected_version(request, current=scope.version),
        )
        return self._detail(scope)

    @answers(402)  # the scopes limit
    @extend_schema(request=DuplicateSerializer, responses={201: ScopeDetailSerializer})
    @action(detail=True, methods=["post"])
    @sends_etag
    @idempotent
    def duplicate(self, request, workspace_id, id):
        scope = self.get_object()
        copy = duplicate_scope(scope=scope, actor=request.user, **validated(DuplicateSerializer, request))
        return self._detail(copy, status_code=status.HTTP_201_CREATED)
