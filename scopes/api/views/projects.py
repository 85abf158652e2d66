from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from orbit.idempotency import idempotent
from orbit.request_body import validated
from scopes.api.filters import ProjectFilter
from scopes.api.serializers import ProjectInputSerializer, ProjectSerializer
from scopes.models import Project
from scopes.services.projects import create_project, delete_project, set_project_status, update_project
from workspaces.api.mixins import WorkspaceScopedViewSet, patch_of


class ProjectViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, WorkspaceScopedViewSet
):
    """A workspace's projects. Deleting a project keeps its scopes, detached."""

    queryset = Project.objects.select_related("workspace")
    serializer_class = ProjectSerializer
    filterset_class = ProjectFilter
    ordering_fields = ["created_at", "updated_at", "name"]
    lookup_value_converter = "uuid"

    @extend_schema(request=ProjectInputSerializer, responses={201: ProjectSerializer})
    @idempotent
    def create(self, request, workspace_id):
        data = validated(ProjectInputSerializer, request)
        project = create_project(workspace=self.workspace, actor=request.user, **data)
        return Response(ProjectSerializer(project).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ProjectInputSerializer, responses=ProjectSerializer)
    def update(self, request, workspace_id, id, partial=False):
        project = self.get_object()
        changes = validated(ProjectInputSerializer, request, partial=partial)
        project = update_project(project=project, actor=request.user, changes=changes, replace=not partial)
        return Response(ProjectSerializer(project).data)

    partial_update = patch_of(update)

    def perform_destroy(self, project):
        delete_project(project=project, actor=self.request.user)

    @extend_schema(request=None, responses=ProjectSerializer)
    @action(detail=True, methods=["post"])
    def archive(self, request, workspace_id, id):
        project = set_project_status(project=self.get_object(), actor=request.user, status=Project.Status.ARCHIVED)
        return Response(ProjectSerializer(project).data)

    @extend_schema(request=None, responses=ProjectSerializer)
    @action(detail=True, methods=["post"])
    def unarchive(self, request, workspace_id, id):
        project = set_project_status(project=self.get_object(), actor=request.user, status=Project.Status.ACTIVE)
        return Response(ProjectSerializer(project).data)
