"""allauth headless hands out simplejwt access/refresh pairs to the app client.

The allauth flows themselves keep using `X-Session-Token`; the REST API uses `Authorization: Bearer <access>`.
"""

from allauth.headless.tokens.strategies.sessions import SessionTokenStrategy
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.serializers import TokenRefreshSerializer

from accounts.tokens import issue_token_pair


class SimpleJWTTokenStrategy(SessionTokenStrategy):
    def create_access_token_payload(self, request):
        if not request.user.is_authenticated:
            return None
        return issue_token_pair(request.user)

    def refresh_token(self, refresh_token):
        serializer = TokenRefreshSerializer(data={"refresh": refresh_token})
        try:
            serializer.is_valid(raise_exception=True)
        except (TokenError, Exception):
            return None  # allauth answers 400
        return serializer.validated_data["access"], serializer.validated_data.get("refresh", refresh_token)
