from django.db.models import Prefetch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response

from orbit.idempotency import idempotent
from orbit.request_body import validated
from scopes import selectors
from scopes.api.serializers import FavouriteCreateSerializer, FavouriteSerializer
from scopes.models import Favourite, Scope
from scopes.services.favourites import add_favourite, remove_favourite
from workspaces.api.mixins import WorkspaceScopedViewSet
from workspaces.models import Membership


class FavouriteViewSet(WorkspaceScopedViewSet):
    """The caller's favourite scopes in this workspace. Adding or removing twice is not an error.

    A favourite is named by its scope: DELETE favourites/<id>/ with the scope's id. Favourites are personal
    bookmarks, not workspace content, so every member, viewers included, may keep them.
    """

    required_roles = {"create": Membership.Role.VIEWER, "destroy": Membership.Role.VIEWER}

    queryset = Favourite.objects.all()
    serializer_class = FavouriteSerializer
    workspace_field = "scope__workspace"
    ordering_fields = ["created_at"]
    lookup_value_converter = "uuid"
    lookup_field = "scope_id"  # the URL's {id} is the scope's id: a favourite is named by its scope

    def get_queryset(self):
        # Favourites are personal: the mixin limits them to the workspace, this to the caller.
        return super().get_queryset().filter(user=self.request.user, scope__deleted_at__isnull=True)

    def list(self, request, workspace_id):
        scopes = selectors.with_list_annotations(Scope.objects.all(), user=request.user)
        favourites = self.filter_queryset(self.get_queryset()).prefetch_related(Prefetch("scope", queryset=scopes))
        page = self.paginate_queryset(favourites)
        return self.get_paginated_response(FavouriteSerializer(page, many=True).data)

    @extend_schema(request=FavouriteCreateSerializer, responses={201: FavouriteSerializer, 200: FavouriteSerializer})
    @idempotent
    def create(self, request, workspace_id):
        """Favourite a scope: 201 when new, 200 when it already was."""
        scope_id = validated(FavouriteCreateSerializer, request)["scope_id"]
        scope = selectors.get_scope(workspace=self.workspace, scope_id=scope_id, field="scope_id")
        favourite, created = add_favourite(user=request.user, scope=scope)
        favourite.scope = selectors.with_list_annotations(Scope.objects.filter(pk=scope.pk), user=request.user).get()
        return Response(
            FavouriteSerializer(favourite).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )

    @extend_schema(
        parameters=[OpenApiParameter("id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="The scope's id.")]
    )
    def destroy(self, request, workspace_id, id):
        """Unfavourite a scope (by the scope's id). Answers 204 whether or not it was a favourite."""
        remove_favourite(user=request.user, scope=selectors.get_scope(workspace=self.workspace, scope_id=id))
        return Response(status=status.HTTP_204_NO_CONTENT)
