import structlog
from rest_framework_simplejwt.authentication import JWTAuthentication as SimpleJWTAuthentication


class JWTAuthentication(SimpleJWTAuthentication):
    """simplejwt bearer tokens; binds the user id to every log line of the request once known."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None:
            structlog.contextvars.bind_contextvars(user_id=str(result[0].pk))
        return result
