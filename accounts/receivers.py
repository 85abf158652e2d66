"""Signal receivers: the audit trail, and revoking every token when a password changes.

Connected in AccountsConfig.ready(). Signals are kept for audit and revocation only; the flows themselves are
allauth's.
"""

from allauth.account import signals as allauth_signals
from django.contrib.auth import signals as auth_signals
from django.dispatch import receiver

from accounts import audit, services
from accounts.models import AuthEvent


def _method(signal_kwargs) -> str:
    """How the user signed in or up: the social provider's id ("google"), else "password"."""
    sociallogin = signal_kwargs.get("sociallogin")
    return sociallogin.account.provider if sociallogin is not None else "password"


@receiver(allauth_signals.user_logged_in, dispatch_uid="accounts.audit.logged_in")
def on_logged_in(sender, request, user, **kwargs):
    audit.record(kind=AuthEvent.Kind.LOGIN_SUCCEEDED, request=request, user=user, reason=_method(kwargs))


@receiver(auth_signals.user_login_failed, dispatch_uid="accounts.audit.login_failed")
def on_login_failed(sender, credentials, request=None, **kwargs):
    email = credentials.get("email") or credentials.get("username") or ""
    audit.record(kind=AuthEvent.Kind.LOGIN_FAILED, request=request, email=email, reason="invalid_credentials")


@receiver(auth_signals.user_logged_out, dispatch_uid="accounts.audit.logged_out")
def on_logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit.record(kind=AuthEvent.Kind.LOGGED_OUT, request=request, user=user)


@receiver(allauth_signals.user_signed_up, dispatch_uid="accounts.audit.signed_up")
def on_signed_up(sender, request, user, **kwargs):
    audit.record(kind=AuthEvent.Kind.SIGNED_UP, request=request, user=user, reason=_method(kwargs))


@receiver(allauth_signals.email_confirmed, dispatch_uid="accounts.audit.email_confirmed")
def on_email_confirmed(sender, request, email_address, **kwargs):
    audit.record(
        kind=AuthEvent.Kind.EMAIL_VERIFIED, request=request, user=email_address.user, email=email_address.email
    )


@receiver(allauth_signals.password_reset, dispatch_uid="accounts.password_reset")
def on_password_reset(sender, request, user, **kwargs):
    revoked = services.revoke_all_tokens(user=user)
    audit.record(kind=AuthEvent.Kind.PASSWORD_RESET, request=request, user=user, metadata={"revoked_tokens": revoked})


@receiver(allauth_signals.password_changed, dispatch_uid="accounts.password_changed")
@receiver(allauth_signals.password_set, dispatch_uid="accounts.password_set")
def on_password_changed(sender, request, user, **kwargs):
    revoked = services.revoke_all_tokens(user=user)
    audit.record(kind=AuthEvent.Kind.PASSWORD_CHANGED, request=request, user=user, metadata={"revoked_tokens": revoked})
