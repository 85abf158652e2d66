import jwt
from rest_framework_simplejwt.exceptions import TokenBackendError
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.state import token_backend
from rest_framework_simplejwt.tokens import RefreshToken


def issue_token_pair(user) -> dict:
    """A fresh simplejwt pair for `user`, recorded as outstanding so it can be revoked."""
    refresh = RefreshToken.for_user(user)
    access = refresh.access_token
    return {
        "access_token": str(access),
        "refresh_token": str(refresh),
        "expires_in": int(access.lifetime.total_seconds()),
    }


def decode_expired_refresh_token(raw: str) -> dict | None:
    """The claims of a correctly signed refresh token whose only fault is being expired; None otherwise."""
    try:
        payload = jwt.decode(
            raw,
            token_backend.get_verifying_key(raw),
            algorithms=[token_backend.algorithm],
            audience=token_backend.audience,
            issuer=token_backend.issuer,
            options={"verify_exp": False, "verify_aud": token_backend.audience is not None},
        )
    except (jwt.PyJWTError, TokenBackendError):
        return None
    if payload.get(api_settings.TOKEN_TYPE_CLAIM) != RefreshToken.token_type:
        return None
    return payload
