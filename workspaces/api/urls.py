"""Mounted at /api/ by orbit.urls: workspaces, their members, invitations and activity; onboarding."""

from django.urls import path

from workspaces.api import views

WS = "workspaces/<uuid:workspace_id>/"

urlpatterns = [
    path("workspaces/", views.WorkspaceListView.as_view({"get": "list", "post": "create"}), name="workspace-list"),
    path(WS, views.WorkspaceDetailView.as_view(), name="workspace-detail"),
    path(f"{WS}members/", views.MemberViewSet.as_view({"get": "list"}), name="member-list"),
    path(f"{WS}members/leave/", views.MemberViewSet.as_view({"post": "leave"}), name="member-leave"),
    path(
        f"{WS}members/<uuid:id>/",
        views.MemberViewSet.as_view({"patch": "partial_update", "delete": "destroy"}),
        name="member-detail",
    ),
    path(f"{WS}transfer-ownership/", views.TransferOwnershipView.as_view(), name="workspace-transfer-ownership"),
    path(
        f"{WS}invitations/",
        views.InvitationViewSet.as_view({"get": "list", "post": "create"}),
        name="invitation-list",
    ),
    path(
        f"{WS}invitations/<uuid:id>/", views.InvitationViewSet.as_view({"delete": "destroy"}), name="invitation-detail"
    ),
    path(
        f"{WS}invitations/<uuid:id>/resend/",
        views.InvitationViewSet.as_view({"post": "resend"}),
        name="invitation-resend",
    ),
    path(f"{WS}activity/", views.ActivityViewSet.as_view({"get": "list"}), name="activity-list"),
    path("invitations/<str:token>/", views.InvitationPreviewView.as_view(), name="invitation-preview"),
    path("invitations/<str:token>/accept/", views.InvitationAcceptView.as_view(), name="invitation-accept"),
    path("onboarding/status/", views.OnboardingStatusView.as_view(), name="onboarding-status"),
    path("onboarding/workspace/", views.OnboardingWorkspaceView.as_view(), name="onboarding-workspace"),
    path("onboarding/team/", views.OnboardingTeamView.as_view(), name="onboarding-team"),
    path("onboarding/goals/", views.OnboardingGoalsView.as_view(), name="onboarding-goals"),
    path("onboarding/plan/", views.OnboardingPlanView.as_view(), name="onboarding-plan"),
    path("onboarding/skip/", views.OnboardingSkipView.as_view(), name="onboarding-skip"),
]
