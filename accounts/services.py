from importlib import import_module

from django.conf import settings
from django.contrib.auth import get_user
from django.db import transaction
from django.http import HttpRequest
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken

from accounts import audit
from accounts.models import AuthEvent, User
from accounts.tokens import decode_expired_refresh_token, issue_token_pair
from orbit.errors import ValidationFailed
from orbit.updates import apply_changes

PROFILE_FIELDS = ("full_name", "avatar_url")


@transaction.atomic
def update_profile(*, user: User, changes: dict) -> User:
    apply_changes(user, changes, fields=PROFILE_FIELDS)
    return user


@transaction.atomic
def revoke_all_tokens(*, user: User) -> int:
    """Blacklist every outstanding refresh token of `user`; returns how many were newly revoked.

    Access tokens need no list: they carry a hash of the password (SIMPLE_JWT CHECK_REVOKE_TOKEN), so a
    password change already makes them fail.
    """
    pending = OutstandingToken.objects.filter(user=user, blacklistedtoken__isnull=True)
    revoked = BlacklistedToken.objects.bulk_create(
        [BlacklistedToken(token=token) for token in pending], ignore_conflicts=True
    )
    return len(revoked)


@transaction.atomic
def set_active(*, user: User, active: bool, actor, request: HttpRequest | None = None) -> bool:
    """Staff deactivate or reactivate an account (the admin). Deactivating also revokes every refresh token, so
    no device can mint new access tokens. Returns False (and records nothing) when nothing changed."""
    changed = User.objects.filter(pk=user.pk, is_active=not active).update(is_active=active)
    if not changed:
        return False
    user.is_active = active
    revoked = 0 if active else revoke_all_tokens(user=user)
    kind = AuthEvent.Kind.USER_REACTIVATED if active else AuthEvent.Kind.USER_DEACTIVATED
    metadata = {"staff_id": str(actor.pk), "staff_email": actor.email, "refresh_tokens_revoked": revoked}
    audit.record(kind=kind, request=request, user=user, reason="staff", metadata=metadata)
    return True


def session_user_of(session):
    """The active user signed in to `session` (an allauth app session), or None."""
    request = HttpRequest()
    request.session = session
    user = get_user(request)  # checks the session's auth hash and that the user is active
    return None if user.is_anonymous else user


@transaction.atomic
def logout(*, request: HttpRequest, refresh_token: str, session=None) -> None:
    """Sign out one device: blacklist its refresh token and end its allauth session (if given).

    An expired or already revoked refresh token is fine (nothing left to revoke); a forged or malformed one is
    refused, as is an allauth session of a different user.
    """
    user_id = None
    try:
        token = RefreshToken(refresh_token)
        user_id = str(token.get("user_id"))
        token.blacklist()
    except TokenError as exc:
        payload = decode_expired_refresh_token(refresh_token)
        if payload is None:
            raise ValidationFailed("The refresh token is invalid.", details={"refresh_token": [str(exc)]}) from exc
        user_id = str(payload.get("user_id"))
    user = User.objects.filter(pk=user_id).first()
    if session is not None:
        session_user = session_user_of(session)
        if session_user is not None and str(session_user.pk) != user_id:
            raise ValidationFailed(
                "The session token and the refresh token belong to different users.",
                details={"X-Session-Token": ["Belongs to another user."]},
            )
        session.flush()
    if user is not None:
        audit.record(kind=AuthEvent.Kind.LOGGED_OUT, request=request, user=user, reason="api")


@transaction.atomic
def exchange_session(*, request: HttpRequest, user: User, via: str) -> dict:
    """A fresh token pair for the user of a valid allauth session, plus the app session token to keep.

    A browser (cookie) session, as left by the Google redirect flow, is moved into a new app session and the
    cookie session is ended, so the SPA holds the same three things whichever way it signed in.
    """
    if via == "cookie":
        app_session = import_module(settings.SESSION_ENGINE).SessionStore()
        for key, value in request.session.items():
            app_session[key] = value
        app_session.save()
        request.session.flush()
        session_token = app_session.session_key
    else:
        session_token = request.headers["X-Session-Token"]
    pair = issue_token_pair(user)
    audit.record(kind=AuthEvent.Kind.TOKENS_EXCHANGED, request=request, user=user, reason=via)
    return {**pair, "session_token": session_token}
