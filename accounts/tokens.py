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
