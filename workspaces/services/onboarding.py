"""The four onboarding steps. Each is idempotent and skippable; progress lives in `Onboarding`, one row per user.

Every step locks the user's row first, so a double-clicked "Create workspace" makes one workspace, not two.
"""

from django.db import transaction
from django.utils import timezone

from billing.plans import DEFAULT_PLAN, plans
from orbit.errors import Conflict, ValidationFailed
from workspaces.errors import AlreadyMember
from workspaces.models import Membership, Onboarding, Workspace
from workspaces.selectors import get_membership_or_404
from workspaces.services.invitations import invite
from workspaces.services.workspaces import create_workspace, update_workspace

Step = Onboarding.Step
STEP_ORDER = [Step.WORKSPACE, Step.TEAM, Step.GOALS, Step.PLAN]


def _locked(user) -> Onboarding:
    onboarding, _ = Onboarding.objects.get_or_create(user=user)
    return Onboarding.objects.select_for_update(of=("self",)).select_related("workspace").get(pk=onboarding.pk)


def _mark(onboarding: Onboarding, step: str, state: str) -> None:
    onboarding.steps = {**onboarding.steps, step: state}
    if onboarding.completed_at is None and all(s in onboarding.steps for s in STEP_ORDER):
        onboarding.completed_at = timezone.now()
    onboarding.save(update_fields=["steps", "completed_at", "workspace", "plan_intent", "billing_cycle", "updated_at"])


def _admin_membership(onboarding: Onboarding) -> Membership:
    """The workspace steps 2-4 act on; the caller must still be one of its owners or admins."""
    if onboarding.workspace_id is None:
        raise Conflict("Create your workspace first (onboarding step 1).", details={"step": Step.WORKSPACE})
    membership = get_membership_or_404(user=onboarding.user, workspace_id=onboarding.workspace_id)
    if membership.role < Membership.Role.ADMIN:
        raise Conflict("You no longer manage the onboarding workspace.")
    return membership


@transaction.atomic
def create_onboarding_workspace(*, user, name: str, industry: str = "") -> tuple[Onboarding, bool]:
    """Step 1. Posting it again updates the same workspace's name and industry instead of making another."""
    onboarding = _locked(user)
    workspace = onboarding.workspace
    membership = (
        Membership.objects.filter(workspace=workspace, user=user, workspace__deleted_at__isnull=True).first()
        if workspace is not None
        else None
    )
    if membership is not None:
        if membership.role >= Membership.Role.ADMIN and (workspace.name, workspace.industry) != (name, industry):
            update_workspace(workspace=workspace, actor=user, changes={"name": name, "industry": industry})
        created = False
    else:
        onboarding.workspace = create_workspace(owner=user, name=name, industry=industry)
        created = True
    _mark(onboarding, Step.WORKSPACE, "done")
    return onboarding, created


@transaction.atomic
def save_team(*, user, team_size: str = "", privacy: str = "", invites: list[dict] | None = None) -> Onboarding:
    """Step 2. Invitations go through the normal invite service: re-posting the same list sends nothing new."""
    onboarding = _locked(user)
    membership = _admin_membership(onboarding)
    changes = {}
    if team_size:
        changes["team_size"] = team_size
    if privacy:
        changes["privacy"] = privacy
    if changes:
        update_workspace(workspace=membership.workspace, actor=user, changes=changes)
    for item in invites or []:
        try:
            invite(
                workspace=membership.workspace, inviter_membership=membership, email=item["email"], role=item["role"]
            )
        except AlreadyMember:
            # Re-posting the step after someone on the list joined: they need no invitation, nothing to do.
            continue
    _mark(onboarding, Step.TEAM, "done")
    return onboarding


@transaction.atomic
def save_goals(*, user, goals: list[str]) -> Onboarding:
    onboarding = _locked(user)
    membership = _admin_membership(onboarding)
    update_workspace(workspace=membership.workspace, actor=user, changes={"goals": goals})
    _mark(onboarding, Step.GOALS, "done")
    return onboarding


@transaction.atomic
def choose_plan(*, user, plan: str, billing_cycle: str = "monthly") -> Onboarding:
    """Step 4. Free completes it; a paid plan is stored as intent, which billing turns into a checkout session."""
    if plan not in plans():
        raise ValidationFailed("Unknown plan.", details={"plan": [f"Choose one of {', '.join(plans())}."]})
    onboarding = _locked(user)
    _admin_membership(onboarding)
    onboarding.plan_intent = "" if plan == DEFAULT_PLAN else plan
    onboarding.billing_cycle = "" if plan == DEFAULT_PLAN else billing_cycle
    _mark(onboarding, Step.PLAN, "done")
    return onboarding


@transaction.atomic
def skip_step(*, user, step: str) -> Onboarding:
    """Skipping a step already done keeps it done."""
    onboarding = _locked(user)
    if onboarding.steps.get(step) != "done":
        _mark(onboarding, step, "skipped")
    return onboarding


def onboarding_status(onboarding: Onboarding) -> dict:
    steps = {step.value: onboarding.steps.get(step.value, "pending") for step in STEP_ORDER}
    resume = next((step for step, state in steps.items() if state == "pending"), None)
    workspace: Workspace | None = onboarding.workspace
    if workspace is not None and workspace.deleted_at is not None:
        workspace = None
    return {
        "steps": steps,
        "next_step": resume,
        "completed": onboarding.completed_at is not None,
        "completed_at": onboarding.completed_at,
        "workspace": workspace,
        "plan_intent": onboarding.plan_intent or None,
        "billing_cycle": onboarding.billing_cycle or None,
    }
