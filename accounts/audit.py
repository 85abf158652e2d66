"""The authentication audit trail: one `AuthEvent` row per sign-in, sign-up, verification, reset or change."""

from django.http import HttpRequest

from accounts.models import AuthEvent

USER_AGENT_MAX = AuthEvent._meta.get_field("user_agent").max_length


def client_ip(request: HttpRequest | None) -> str | None:
    """The client address as allauth sees it (honouring ALLAUTH_TRUSTED_PROXY_COUNT), or None."""
    if request is None:
        return None
    from allauth.account.adapter import get_adapter

    try:
        return get_adapter().get_client_ip(request) or None
    except Exception:  # allauth raises PermissionDenied when it cannot tell
        return None


def record(
    *,
    kind: str,
    request: HttpRequest | None = None,
    user=None,
    email: str = "",
    reason: str = "",
    metadata: dict | None = None,
) -> AuthEvent:
    """Write one audit row. `email` defaults to the user's address."""
    if not email and user is not None:
        email = user.email
    user_agent = ""
    if request is not None:
        user_agent = (request.META.get("HTTP_USER_AGENT") or "")[:USER_AGENT_MAX]
    return AuthEvent.objects.create(
        kind=kind,
        user=user if user is not None and user.pk else None,
        email=(email or "").strip().lower()[:254],
        ip_address=client_ip(request),
        user_agent=user_agent,
        reason=reason[:64],
        metadata=metadata or {},
    )
