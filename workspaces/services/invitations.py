"""Invitations: invite, resend, revoke, accept.

The token exists only in the invitation mail; the database keeps its SHA-256, so a leaked table cannot be used
to join a workspace. Pending invitations hold a seat: the "members" plan limit counts them.
"""

import hashlib
import secrets
import unicodedata
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from billing.plans import enforce_limit
from orbit.errors import NotFound, PermissionDenied
from workspaces.activity import Verb, record
from workspaces.errors import AlreadyMember, EmailMismatch, InvitationExpired, InvitationRevoked, InvitationUsed
from workspaces.models import Invitation, Membership, Workspace

Role = Membership.Role


def _refuse_if_closed(invitation: Invitation) -> None:
    """An accepted or revoked invitation can be neither resent nor accepted."""
    if invitation.accepted_at:
        raise InvitationUsed()
    if invitation.revoked_at:
        raise InvitationRevoked()


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_link(token: str) -> str:
    return f"{settings.FRONTEND_URL}/invitations/{token}"


def _new_token(invitation: Invitation, now) -> str:
    token = secrets.token_urlsafe(32)
    invitation.token_hash = hash_token(token)
    invitation.expires_at = now + timedelta(days=settings.INVITATION_TTL_DAYS)
    return token


def _send_invitation_mail(invitation: Invitation, token: str) -> None:
    inviter = invitation.invited_by
    inviter_name = (inviter.full_name or inviter.email) if inviter else "Someone"
    workspace = invitation.workspace
    link = invitation_link(token)
    body = (
        f"{inviter_name} invited you to join {workspace.name} on Orbit as {Role(invitation.role).label}.\n\n"
        f"Accept the invitation: {link}\n\n"
        f"The link works once and expires on {invitation.expires_at:%Y-%m-%d %H:%M} UTC. "
        "If you did not expect it, ignore this mail."
    )
    # After commit: a rolled-back invitation never mails a token that does not exist. Robust: the invitation stands
    # whatever the mail server does; a failed mail is logged (and reaches Sentry), and the invitation can be resent.
    transaction.on_commit(
        lambda: send_mail(
            subject=_one_line(f"{inviter_name} invited you to {workspace.name} on Orbit"),
            message=body,
            from_email=None,
            recipient_list=[invitation.email],
        ),
        robust=True,
    )


def _one_line(text: str) -> str:
    """Text for a mail header, which must not hold a line break: names are free text (a workspace called
    "Acme\r\nBcc: ..." is accepted), so control characters become spaces and runs of white space one space."""
    return " ".join("".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in text).split())


def is_expired(invitation: Invitation, now=None) -> bool:
    return invitation.expires_at <= (now or timezone.now())


INVITATION_STATUSES = ("pending", "accepted", "revoked", "expired")


def invitation_status(invitation: Invitation, now=None) -> str:
    if invitation.accepted_at:
        return "accepted"
    if invitation.revoked_at:
        return "revoked"
    return "expired" if is_expired(invitation, now) else "pending"


@transaction.atomic
def invite(*, workspace: Workspace, inviter_membership: Membership, email: str, role: int) -> tuple[Invitation, bool]:
    """Invite `email` with `role`. Returns (invitation, created).

    An address that already has a live pending invitation gets that one back (no second mail, no second seat).
    An expired one is revoked and replaced. The member limit counts members plus pending invitations.
    """
    email = email.strip().lower()
    if role == Role.OWNER and inviter_membership.role < Role.OWNER:
        raise PermissionDenied("Only an owner can invite another owner.")
    # Locks the workspace row first: every invite and accept of this workspace runs one at a time from here.
    Workspace.objects.lock(workspace.pk)
    if Membership.objects.filter(workspace=workspace, user__email__iexact=email).exists():
        raise AlreadyMember(f"{email} is already a member of this workspace.")
    now = timezone.now()
    existing = Invitation.objects.filter(
        workspace=workspace, email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True
    ).first()
    if existing is not None:
        if not is_expired(existing, now):
            return existing, False
        existing.revoked_at = now
        existing.save(update_fields=["revoked_at", "updated_at"])
    enforce_limit(workspace=workspace, limit="members", adding=1)
    invitation = Invitation(workspace=workspace, email=email, role=role, invited_by=inviter_membership.user)
    token = _new_token(invitation, now)
    invitation.full_clean()
    invitation.save()
    _send_invitation_mail(invitation, token)
    record(
        actor=inviter_membership.user,
        verb=Verb.MEMBER_INVITED,
        target=invitation,
        metadata={"email": email, "role": Role(role).label},
    )
    return invitation, True


@transaction.atomic
def resend_invitation(*, invitation: Invitation, actor) -> Invitation:
    """A new token and a new expiry; the old link stops working.

    An expired invitation holds no seat, so resending it (pending again) needs a free one under the member limit.
    """
    # Lock order as in `invite` and `accept_invitation`: the workspace row first, then the invitation row.
    Workspace.objects.lock(invitation.workspace_id)
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("workspace", "invited_by")
        .get(pk=invitation.pk)
    )
    _refuse_if_closed(invitation)
    now = timezone.now()
    if is_expired(invitation, now):
        enforce_limit(workspace=invitation.workspace, limit="members", adding=1)
    token = _new_token(invitation, now)
    invitation.save(update_fields=["token_hash", "expires_at", "updated_at"])
    _send_invitation_mail(invitation, token)
    record(actor=actor, verb=Verb.MEMBER_INVITATION_RESENT, target=invitation)
    return invitation


@transaction.atomic
def revoke_invitation(*, invitation: Invitation, actor) -> None:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at:
        raise InvitationUsed("This invitation was accepted already; remove the member instead.")
    if invitation.revoked_at:
        return
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at", "updated_at"])
    record(actor=actor, verb=Verb.MEMBER_INVITATION_REVOKED, target=invitation, metadata={"email": invitation.email})


def get_invitation_by_token(token: str, *, for_update: bool = False) -> Invitation:
    queryset = Invitation.objects.select_related("workspace", "invited_by").filter(
        token_hash=hash_token(token), workspace__deleted_at__isnull=True
    )
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    invitation = queryset.first()
    if invitation is None:
        raise NotFound("This invitation link is not valid.")
    return invitation


def _has_verified_email(user, email: str) -> bool:
    return EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()


@transaction.atomic
def accept_invitation(*, token: str, user) -> Membership:
    """Join the workspace as the signed-in `user`, whose verified address must be the invited one. Works once."""
    # Lock order as in `invite`: the workspace row first, then the invitation row (no deadlock between them).
    workspace = get_invitation_by_token(token).workspace
    Workspace.objects.lock(workspace.pk)
    invitation = get_invitation_by_token(token, for_update=True)
    _refuse_if_closed(invitation)
    now = timezone.now()
    if is_expired(invitation, now):
        raise InvitationExpired()
    if not _has_verified_email(user, invitation.email):
        raise EmailMismatch()
    if Membership.objects.filter(workspace=workspace, user=user).exists():
        raise AlreadyMember("You are already a member of this workspace.")
    # The invitation already holds its seat, so `adding=0`: this refuses only when the workspace is over its
    # limit already (for instance after a downgrade since the invitation was sent).
    enforce_limit(workspace=workspace, limit="members", adding=0)
    membership = Membership.objects.create(
        workspace=workspace, user=user, role=invitation.role, invited_by=invitation.invited_by
    )
    invitation.accepted_at = now
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by", "updated_at"])
    record(
        workspace=workspace,
        actor=user,
        verb=Verb.MEMBER_JOINED,
        target=user,
        metadata={"role": Role(invitation.role).label, "invitation_id": str(invitation.pk)},
    )
    return membership
