"""Thin views: input -> service -> output. Tenancy and roles come from WorkspaceScopedMixin."""

from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from billing.services import checkout_url_for_intent
from orbit.idempotency import idempotent
from orbit.request_body import validated
from orbit.schema import answers
from workspaces import selectors
from workspaces.api import serializers as s
from workspaces.api.filters import ActivityEventFilter
from workspaces.api.mixins import WorkspaceScopedAPIView, WorkspaceScopedViewSet
from workspaces.api.representations import activity_row_json
from workspaces.models import Membership, Onboarding, Workspace
from workspaces.services import invitations, members, onboarding, workspaces

Role = Membership.Role


# --- Workspaces --------------------------------------------------------------------------------


class WorkspaceListView(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The caller's workspaces (with their role in each), and creating a new one (the caller becomes owner)."""

    queryset = Workspace.objects.none()  # the model, for the schema; rows come from get_queryset
    serializer_class = s.WorkspaceSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        return selectors.workspaces_for_user(user=self.request.user)

    @extend_schema(request=s.WorkspaceCreateSerializer, responses={201: s.WorkspaceSerializer})
    @idempotent
    def create(self, request):
        workspace = workspaces.create_workspace(owner=request.user, **validated(s.WorkspaceCreateSerializer, request))
        workspace.my_role = Role.OWNER
        return Response(s.WorkspaceSerializer(workspace).data, status=status.HTTP_201_CREATED)


class WorkspaceDetailView(WorkspaceScopedAPIView):
    """One workspace. Any member reads it; owners and admins update it; only an owner deletes it (soft)."""

    queryset = Workspace.objects.all()
    workspace_field = "pk"
    serializer_class = s.WorkspaceSerializer
    required_roles = {"patch": Role.ADMIN, "delete": Role.OWNER}

    def _output(self):
        workspace = self.workspace
        workspace.my_role = self.membership.role
        return Response(s.WorkspaceSerializer(workspace).data)

    def get(self, request, workspace_id):
        return self._output()

    @extend_schema(request=s.WorkspaceUpdateSerializer, responses=s.WorkspaceSerializer)
    def patch(self, request, workspace_id):
        changes = validated(s.WorkspaceUpdateSerializer, request, partial=True)
        workspaces.update_workspace(workspace=self.workspace, actor=request.user, changes=changes)
        return self._output()

    @extend_schema(responses={204: None})
    def delete(self, request, workspace_id):
        workspaces.delete_workspace(workspace=self.workspace, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Members -----------------------------------------------------------------------------------


class MemberViewSet(mixins.ListModelMixin, WorkspaceScopedViewSet):
    """Members of the workspace: list (any member), change role and remove (owner/admin), leave (any member)."""

    queryset = selectors.members_queryset()
    serializer_class = s.MembershipSerializer
    required_roles = {"partial_update": Role.ADMIN, "destroy": Role.ADMIN, "leave": Role.VIEWER}

    @answers(409)  # last_owner
    @extend_schema(request=s.MembershipUpdateSerializer, responses=s.MembershipSerializer)
    def partial_update(self, request, workspace_id, id):
        membership = self.get_object()
        role = validated(s.MembershipUpdateSerializer, request)["role"]
        membership = members.change_role(membership=membership, role=role, actor_membership=self.membership)
        return Response(s.MembershipSerializer(membership).data)

    @answers(409)  # last_owner
    @extend_schema(responses={204: None})
    def destroy(self, request, workspace_id, id):
        members.remove_member(membership=self.get_object(), actor_membership=self.membership)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @answers(409)  # last_owner
    @extend_schema(request=None, responses={204: None})
    @action(detail=False, methods=["post"])
    def leave(self, request, workspace_id):
        members.leave_workspace(membership=self.membership)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TransferOwnershipView(WorkspaceScopedAPIView):
    """The owner hands the workspace to another member and becomes admin."""

    queryset = Membership.objects.all()
    serializer_class = s.TransferOwnershipSerializer  # also describes the POST form to OPTIONS
    required_roles = {"post": Role.OWNER}

    @extend_schema(request=s.TransferOwnershipSerializer, responses=s.MembershipSerializer)
    def post(self, request, workspace_id):
        user_id = validated(s.TransferOwnershipSerializer, request)["user_id"]
        new_owner = members.transfer_ownership(
            workspace=self.workspace, actor_membership=self.membership, to_user_id=user_id
        )
        return Response(s.MembershipSerializer(new_owner).data)


# --- Invitations -------------------------------------------------------------------------------


class InvitationViewSet(mixins.ListModelMixin, WorkspaceScopedViewSet):
    """Open invitations of the workspace; owners and admins invite, resend and revoke."""

    queryset = selectors.invitations_queryset()
    serializer_class = s.InvitationSerializer
    required_roles = {"list": Role.ADMIN, "create": Role.ADMIN, "resend": Role.ADMIN, "destroy": Role.ADMIN}

    @extend_schema(
        request=s.InvitationCreateSerializer,
        responses={
            201: s.InvitationSerializer,
            200: OpenApiResponse(s.InvitationSerializer, description="The address already had a pending invitation."),
        },
    )
    @answers(402, 409)  # the members limit; already_member
    @idempotent
    def create(self, request, workspace_id):
        data = validated(s.InvitationCreateSerializer, request)
        invitation, created = invitations.invite(workspace=self.workspace, inviter_membership=self.membership, **data)
        return Response(
            s.InvitationSerializer(invitation).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )

    @answers(402, 409, 410)  # the members limit; accepted (409) or revoked (410) since it was read
    @extend_schema(request=None, responses=s.InvitationSerializer)
    @action(detail=True, methods=["post"])
    def resend(self, request, workspace_id, id):
        invitation = invitations.resend_invitation(invitation=self.get_object(), actor=request.user)
        return Response(s.InvitationSerializer(invitation).data)

    @answers(409)  # invitation_used: accepted since it was read
    @extend_schema(responses={204: None}, description="Revoke: the link stops working at once.")
    def destroy(self, request, workspace_id, id):
        invitations.revoke_invitation(invitation=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class InvitationPreviewView(APIView):
    """What an invitation link is for, shown before signing in or up. The token is the only credential."""

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(responses=s.InvitationPreviewSerializer)
    def get(self, request, token):
        return Response(s.InvitationPreviewSerializer(invitations.get_invitation_by_token(token)).data)


class InvitationAcceptView(APIView):
    """Join the workspace. The signed-in user's verified email must be the invited address."""

    permission_classes = [IsAuthenticated]

    @answers(402, 409, 410)  # the members limit; invitation_used, already_member; invitation_expired, _revoked
    @extend_schema(request=None, responses=s.AcceptedInvitationSerializer)
    def post(self, request, token):
        membership = invitations.accept_invitation(token=token, user=request.user)
        workspace = membership.workspace
        workspace.my_role = membership.role
        return Response(s.AcceptedInvitationSerializer({"workspace": workspace, "role": membership.role}).data)


# --- Activity ----------------------------------------------------------------------------------


class ActivityViewSet(mixins.ListModelMixin, WorkspaceScopedViewSet):
    """The workspace's activity feed, newest first; filter by verb, actor and target."""

    queryset = selectors.activity_queryset()
    serializer_class = s.ActivityEventSerializer
    filterset_class = ActivityEventFilter

    def list(self, request, *args, **kwargs):
        # Without filters, the lean read path: the same query as rows, the serializer's JSON as dicts.
        if not request.query_params.keys() <= {"limit", "cursor"}:
            return super().list(request, *args, **kwargs)
        page = self.paginate_queryset(selectors.activity_rows(workspace_id=self.workspace.pk))
        zone = timezone.get_current_timezone()
        return self.get_paginated_response([activity_row_json(row, zone) for row in page])  # = the serializer


# --- Onboarding --------------------------------------------------------------------------------


def _status_response(progress: Onboarding, status_code=status.HTTP_200_OK, *, checkout_url=None) -> Response:
    data = {**onboarding.onboarding_status(progress), "checkout_url": checkout_url}
    return Response(s.OnboardingStatusSerializer(data).data, status=status_code)


class OnboardingStatusView(APIView):
    """Which steps are done or skipped, and where to resume."""

    @extend_schema(responses=s.OnboardingStatusSerializer)
    def get(self, request):
        progress = Onboarding.objects.select_related("workspace").filter(user=request.user).first()
        return _status_response(progress or Onboarding(user=request.user))


class OnboardingWorkspaceView(APIView):
    """Step 1: create the workspace. Posting again changes the same workspace, never makes a second one."""

    @extend_schema(
        request=s.OnboardingWorkspaceSerializer,
        responses={
            201: OpenApiResponse(s.OnboardingStatusSerializer, description="The workspace was created."),
            200: OpenApiResponse(s.OnboardingStatusSerializer, description="The workspace was changed."),
        },
    )
    @idempotent
    def post(self, request):
        data = validated(s.OnboardingWorkspaceSerializer, request)
        progress, created = onboarding.create_onboarding_workspace(user=request.user, **data)
        return _status_response(progress, status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class OnboardingTeamView(APIView):
    """Step 2: team size, privacy and invitations (an address invited before is not invited twice)."""

    @answers(402, 409)  # the members limit (invitations); no onboarding workspace to manage
    @extend_schema(request=s.OnboardingTeamSerializer, responses=s.OnboardingStatusSerializer)
    def post(self, request):
        data = validated(s.OnboardingTeamSerializer, request)
        return _status_response(onboarding.save_team(user=request.user, **data))


class OnboardingGoalsView(APIView):
    """Step 3: what the team wants Orbit for."""

    @answers(409)  # no onboarding workspace to manage
    @extend_schema(request=s.OnboardingGoalsSerializer, responses=s.OnboardingStatusSerializer)
    def post(self, request):
        data = validated(s.OnboardingGoalsSerializer, request)
        return _status_response(onboarding.save_goals(user=request.user, **data))


class OnboardingPlanView(APIView):
    """Step 4: Free completes; a paid plan is stored as intent and answered with a Stripe Checkout URL for it
    (`checkout_url`; null while billing is not configured or the workspace already has a subscription)."""

    @answers(409, 503)  # no onboarding workspace, or a checkout just paid; Stripe unavailable
    @extend_schema(request=s.OnboardingPlanSerializer, responses=s.OnboardingStatusSerializer)
    def post(self, request):
        progress = onboarding.choose_plan(user=request.user, **validated(s.OnboardingPlanSerializer, request))
        url = checkout_url_for_intent(
            workspace=progress.workspace, plan=progress.plan_intent, cycle=progress.billing_cycle
        )
        return _status_response(progress, checkout_url=url)


class OnboardingSkipView(APIView):
    """Skip a step; a step already done stays done."""

    @extend_schema(request=s.OnboardingSkipSerializer, responses=s.OnboardingStatusSerializer)
    def post(self, request):
        data = validated(s.OnboardingSkipSerializer, request)
        return _status_response(onboarding.skip_step(user=request.user, **data))
