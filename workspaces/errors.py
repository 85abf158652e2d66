"""Coded errors of workspaces, members and invitations (listed by status in orbit.errors.ERROR_CODES_BY_STATUS)."""

from orbit.errors import Conflict, OrbitError, PermissionDenied


class LastOwner(Conflict):
    code, default_message = "last_owner", "A workspace must keep at least one owner. Transfer ownership first."


class AlreadyMember(Conflict):
    code, default_message = "already_member", "This person is already a member of the workspace."


class InvitationExpired(OrbitError):
    code, http_status, default_message = "invitation_expired", 410, "This invitation has expired. Ask for a new one."


class InvitationRevoked(OrbitError):
    code, http_status, default_message = "invitation_revoked", 410, "This invitation was revoked."


class InvitationUsed(Conflict):
    code, default_message = "invitation_used", "This invitation has already been accepted."


class EmailMismatch(PermissionDenied):
    code, default_message = (
        "email_mismatch",
        "This invitation was sent to another email address. Sign in with it, or verify it on your account.",
    )
