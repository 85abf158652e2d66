"""The matrix can fail: its checks, run against deliberately broken views mounted on a throwaway URLconf,
raise. (A matrix that passes whatever the views do would prove nothing.)"""

import pytest
from django.urls import clear_url_caches, get_resolver, path
from rest_framework.generics import ListAPIView, RetrieveUpdateDestroyAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from workspaces.api.mixins import WorkspaceScopedAPIView, WorkspaceScopedMixin
from workspaces.api.serializers import ActivityEventSerializer, MembershipSerializer
from workspaces.models import ActivityEvent, Membership
from workspaces.tests import test_isolation_matrix as matrix
from workspaces.tests import test_role_table as role_table
from workspaces.tests.factories import ActivityEventFactory


class UnscopedDetail(RetrieveUpdateDestroyAPIView):
    """Forgets the tenancy mixin: anyone signed in reaches any membership."""

    queryset = Membership.objects.all()
    serializer_class = MembershipSerializer


class ForgetfulList(WorkspaceScopedMixin, ListAPIView):
    """Checks membership but replaces the scoped queryset instead of narrowing super()'s."""

    queryset = ActivityEvent.objects.all()
    serializer_class = ActivityEventSerializer

    def get_queryset(self):
        self.membership  # noqa: B018 - the membership check still runs
        return ActivityEvent.objects.all()


class LaxAdminAction(WorkspaceScopedAPIView):
    """Declares ADMIN but replaces the permission classes, so the declaration is never checked."""

    queryset = ActivityEvent.objects.all()
    permission_classes = [IsAuthenticated]
    required_roles = {"delete": Membership.Role.ADMIN}

    def delete(self, request, workspace_id):
        self.membership  # noqa: B018 - members only, but any role
        return Response(status=204)


class EditorCheckout(WorkspaceScopedAPIView):
    """A billing write left at the default role (EDITOR) where SPEC §3 says owners and admins."""

    queryset = ActivityEvent.objects.all()

    def post(self, request, workspace_id):
        return Response(status=201)


urlpatterns = [
    path("api/workspaces/<uuid:workspace_id>/lax/", LaxAdminAction.as_view(), name="lax"),
    path("api/workspaces/<uuid:workspace_id>/billing/checkout/", EditorCheckout.as_view(), name="checkout"),
    path("api/workspaces/<uuid:workspace_id>/broken/<uuid:id>/", UnscopedDetail.as_view(), name="broken-detail"),
    path("api/workspaces/<uuid:workspace_id>/forgetful/", ForgetfulList.as_view(), name="forgetful-list"),
    path("api/unlisted/", UnscopedDetail.as_view(), name="unlisted"),
]


@pytest.fixture
def broken_routes(settings):
    settings.ROOT_URLCONF = __name__
    clear_url_caches()
    routes = {route.name: route for route in matrix._walk(get_resolver(__name__).url_patterns)}
    yield routes
    clear_url_caches()


@pytest.mark.django_db
def test_the_checks_catch_a_view_without_the_mixin(broken_routes, member, workspace, other_workspace):
    route = broken_routes["broken-detail"]
    with pytest.raises(AssertionError):
        matrix.test_route_is_built_on_the_tenancy_mixin(route)
    for method in ("get", "patch", "delete"):
        with pytest.raises(AssertionError):
            matrix.test_non_member_gets_404(route, method, member, other_workspace)
    with pytest.raises(AssertionError):
        role_table.test_each_role_gets_what_the_table_says(route, "delete", "viewer", member, workspace)
    with pytest.raises(AssertionError):
        matrix.test_foreign_object_ids_give_404(route, "get", member, workspace, other_workspace)


@pytest.mark.django_db
def test_the_checks_catch_a_list_that_leaks_other_workspaces(broken_routes, member, workspace, other_workspace):
    route = broken_routes["forgetful-list"]
    matrix.test_non_member_gets_404(route, "get", member, other_workspace)  # membership is still checked
    ActivityEventFactory(workspace=workspace)
    with pytest.raises(AssertionError, match="shows workspaces.ActivityEvent"):
        matrix.test_reads_never_include_another_workspaces_rows(route, member, workspace, other_workspace)


def test_an_unscoped_route_outside_the_allowlist_is_flagged(broken_routes):
    assert not matrix.allowlisted(broken_routes["unlisted"].pattern)
    assert matrix.allowlisted("api/me/")
    assert matrix.allowlisted("api/auth/token/")


@pytest.mark.django_db
def test_the_role_table_catches_a_view_that_does_not_check_its_declared_role(broken_routes, member, workspace):
    route = broken_routes["lax"]
    role_table.test_each_role_gets_what_the_table_says(route, "delete", "admin", member, workspace)  # allowed: passes
    for role in ("editor", "viewer"):
        with pytest.raises(AssertionError, match=f"{role} DELETE .* -> 204"):
            role_table.test_each_role_gets_what_the_table_says(route, "delete", role, member, workspace)


def test_the_spec_check_catches_a_billing_write_open_to_editors(broken_routes):
    with pytest.raises(AssertionError, match="requires editor, SPEC §3 says admin"):
        role_table.test_declared_roles_follow_the_spec(broken_routes["checkout"], "post")
