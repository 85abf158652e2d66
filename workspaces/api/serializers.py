"""Shapes only: output serializers and input serializers of the workspaces API."""

from typing import TypedDict

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.api.serializers import UserSummarySerializer
from billing.api.serializers import plan_field
from billing.prices import CYCLES
from orbit.errors import MAX_GOALS, MAX_INVITES
from orbit.schema import stored_json
from orbit.serializers import ReadOnlyModelSerializer
from workspaces.activity import TARGET_TYPES
from workspaces.models import ActivityEvent, Invitation, Membership, Onboarding, Workspace
from workspaces.services.invitations import INVITATION_STATUSES, invitation_status

Role = Membership.Role
ROLE_CHOICES = [role.label for role in Role]


INVITATION_STATUS = serializers.ChoiceField(choices=INVITATION_STATUSES)


class InvitedWorkspace(TypedDict):
    id: str
    name: str
    slug: str
    logo_url: str


class RoleField(serializers.ChoiceField):
    """Roles travel as names ("owner", "admin", "editor", "viewer") and are stored as ordered integers."""

    def __init__(self, **kwargs):
        super().__init__(choices=ROLE_CHOICES, **kwargs)

    def to_representation(self, value):
        return Role(value).label if value is not None else None

    def to_internal_value(self, data):
        return Role[super().to_internal_value(data).upper()]


class WorkspaceSerializer(ReadOnlyModelSerializer):
    my_role = RoleField(read_only=True, help_text="The caller's role in this workspace.")
    owner = UserSummarySerializer(read_only=True)
    # A plain string: "" when no logo is set, which the model URLField's `uri` format would refuse.
    logo_url = serializers.CharField(read_only=True, help_text="The logo's URL, or empty when none is set.")
    plan = plan_field(read_only=True, help_text="The plan the workspace subscribes to.")
    goals = stored_json(
        {"type": "array", "items": {"type": "string", "maxLength": 200}, "maxItems": 20},
        read_only=True,
        help_text="The goals chosen at onboarding or set since.",
    )

    class Meta:
        model = Workspace
        fields = [
            "id",
            "name",
            "slug",
            "industry",
            "team_size",
            "privacy",
            "goals",
            "logo_url",
            "primary_color",
            "plan",
            "owner",
            "my_role",
            "created_at",
            "updated_at",
        ]


class WorkspaceCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    industry = serializers.CharField(max_length=120, required=False, allow_blank=True)
    team_size = serializers.CharField(max_length=32, required=False, allow_blank=True)
    privacy = serializers.ChoiceField(choices=Workspace.Privacy.choices, required=False)
    logo_url = serializers.URLField(max_length=500, required=False, allow_blank=True)
    primary_color = serializers.RegexField(r"^#[0-9A-Fa-f]{6}$", max_length=7, required=False, allow_blank=True)


class WorkspaceUpdateSerializer(WorkspaceCreateSerializer):
    name = serializers.CharField(max_length=120, required=False)
    slug = serializers.SlugField(max_length=64, required=False)
    goals = serializers.ListField(child=serializers.CharField(max_length=200), max_length=MAX_GOALS, required=False)


class MembershipSerializer(ReadOnlyModelSerializer):
    user = UserSummarySerializer(read_only=True)
    invited_by = UserSummarySerializer(read_only=True, allow_null=True)
    role = RoleField(read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "user", "role", "invited_by", "created_at"]


class MembershipUpdateSerializer(serializers.Serializer):
    role = RoleField()


class TransferOwnershipSerializer(serializers.Serializer):
    user_id = serializers.UUIDField(help_text="The member who becomes owner; the caller becomes admin.")


class InvitationSerializer(ReadOnlyModelSerializer):
    role = RoleField(read_only=True)
    invited_by = UserSummarySerializer(read_only=True, allow_null=True)
    status = serializers.SerializerMethodField()

    class Meta:
        model = Invitation
        fields = ["id", "email", "role", "invited_by", "expires_at", "status", "created_at"]

    @extend_schema_field(INVITATION_STATUS)
    def get_status(self, invitation) -> str:
        return invitation_status(invitation)


class InvitationCreateSerializer(serializers.Serializer):
    email = serializers.EmailField()
    role = RoleField(required=False, help_text="Defaults to editor.")

    def validate(self, attrs):
        # A DRF default skips to_internal_value, so the default role is filled in here, as a Role.
        attrs.setdefault("role", Role.EDITOR)
        return attrs


class InvitationPreviewSerializer(serializers.Serializer):
    workspace = serializers.SerializerMethodField()
    email = serializers.EmailField()
    role = RoleField()
    invited_by = UserSummarySerializer(allow_null=True)
    expires_at = serializers.DateTimeField()
    expired = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()

    def get_workspace(self, invitation) -> InvitedWorkspace:
        workspace = invitation.workspace
        return {"id": str(workspace.pk), "name": workspace.name, "slug": workspace.slug, "logo_url": workspace.logo_url}

    def get_expired(self, invitation) -> bool:
        return invitation_status(invitation) == "expired"

    @extend_schema_field(INVITATION_STATUS)
    def get_status(self, invitation) -> str:
        return invitation_status(invitation)


class AcceptedInvitationSerializer(serializers.Serializer):
    workspace = WorkspaceSerializer()
    role = RoleField()


class ActivityEventSerializer(ReadOnlyModelSerializer):
    actor = UserSummarySerializer(read_only=True, allow_null=True)
    target_type = serializers.ChoiceField(
        choices=TARGET_TYPES, read_only=True, help_text='Model label of the target, e.g. "scopes.scope"; "" for none.'
    )
    metadata = stored_json(
        {"type": "object", "additionalProperties": True},
        read_only=True,
        help_text="Free-form context of the event; its keys depend on the verb (e.g. the fields changed, the "
        "new status) and may grow. Do not rely on a fixed shape.",
    )

    class Meta:
        model = ActivityEvent
        fields = ["id", "verb", "actor", "target_type", "target_id", "metadata", "created_at"]


# --- Onboarding --------------------------------------------------------------------------------


class OnboardingWorkspaceSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    industry = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")


class OnboardingInviteSerializer(InvitationCreateSerializer):
    pass


class OnboardingTeamSerializer(serializers.Serializer):
    team_size = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    privacy = serializers.ChoiceField(choices=Workspace.Privacy.choices, required=False, allow_blank=True, default="")
    invites = OnboardingInviteSerializer(many=True, required=False, default=list, max_length=MAX_INVITES)

    def validate_invites(self, invites):
        emails = [item["email"].lower() for item in invites]
        if len(emails) != len(set(emails)):
            raise serializers.ValidationError("Each address may appear once.")
        return invites


class OnboardingGoalsSerializer(serializers.Serializer):
    goals = serializers.ListField(child=serializers.CharField(max_length=200), max_length=MAX_GOALS, allow_empty=True)


class OnboardingPlanSerializer(serializers.Serializer):
    plan = plan_field(max_length=32)
    billing_cycle = serializers.ChoiceField(choices=CYCLES, default="monthly")


class OnboardingSkipSerializer(serializers.Serializer):
    step = serializers.ChoiceField(choices=Onboarding.Step.choices)


class OnboardingWorkspaceSummarySerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    slug = serializers.CharField()


class OnboardingStatusSerializer(serializers.Serializer):
    steps = serializers.DictField(
        child=serializers.ChoiceField(choices=["pending", "done", "skipped"]),
        help_text='Each step ("workspace", "team", "goals", "plan") and its state.',
    )
    next_step = serializers.CharField(allow_null=True, help_text="Where to resume; null when every step is resolved.")
    completed = serializers.BooleanField()
    completed_at = serializers.DateTimeField(allow_null=True)
    workspace = OnboardingWorkspaceSummarySerializer(allow_null=True)
    plan_intent = serializers.CharField(
        allow_null=True, help_text="A paid plan chosen in step 4, for billing to turn into a checkout session."
    )
    billing_cycle = serializers.CharField(allow_null=True)
    checkout_url = serializers.CharField(
        allow_null=True,
        default=None,
        help_text="Step 4 with a paid plan: the Stripe Checkout URL to send the browser to; null otherwise.",
    )
