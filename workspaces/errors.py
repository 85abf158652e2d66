"""Coded errors of workspaces, members and invitations (the schema lists them under their status, with their
descriptions: orbit.errors.error_codes_by_status)."""

from orbit.errors import Conflict, OrbitError, PermissionDenied


class LastOwner(Conflict):
    code, default_message = "last_owner", "A workspace must keep at least one owner. Transfer ownership first."
    description = "The change would leave the workspace without an owner."


class AlreadyMember(Conflict):
    code, default_message = "already_member", "This person is already a member of the workspace."
    description = "The user is already a member of the workspace."


class InvitationExpired(OrbitError):
    code, http_status, default_message = "invitation_expired", 410, "This invitation has expired. Ask for a new one."
    description = "The invitation has expired; ask for a new one."


class InvitationRevoked(OrbitError):
    code, http_status, default_message = "invitation_revoked", 410, "This invitation was revoked."
    description = "The invitation was revoked."


class InvitationUsed(Conflict):
    code, default_message = "invitation_used", "This invitation has already been accepted."
    description = "The invitation has already been accepted."


class EmailMismatch(PermissionDenied):
    code, default_message = (
        "email_mismatch",
        "This invitation was sent to another email address. Sign in with it, or verify it on your account.",
    )
    description = "The invitation is for another email address, or that address is not verified yet."
