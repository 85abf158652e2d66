"""allauth headless hands out simplejwt access/refresh pairs to the app client.

The allauth flows themselves keep using `X-Session-Token`; the REST API uses `Authorization: Bearer <access>`.
"""

from allauth.headless.tokens.strategies.sessions import SessionTokenStrategy
from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from rest_framework.exceptions import APIException
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.serializers import TokenRefreshSerializer
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken

from accounts.tokens import issue_token_pair


class SimpleJWTTokenStrategy(SessionTokenStrategy):
    def create_access_token_payload(self, request):
        if not request.user.is_authenticated:
            return None
        return issue_token_pair(request.user)

    def refresh_token(self, refresh_token):
        """Rotate `refresh_token` once; None (allauth answers 400) if it is invalid, expired or already used.

        simplejwt checks the blacklist and then blacklists, two steps; two concurrent refreshes with one token
        could both pass. Locking the token's outstanding row first makes the second wait and then be refused.
        """
        try:
            jti = RefreshToken(refresh_token)["jti"]
            with transaction.atomic():
                list(OutstandingToken.objects.select_for_update().filter(jti=jti).order_by().values_list("pk"))
                serializer = TokenRefreshSerializer(data={"refresh": refresh_token})
                serializer.is_valid(raise_exception=True)
        except (TokenError, APIException, ObjectDoesNotExist):
            return None
        return serializer.validated_data["access"], serializer.validated_data.get("refresh", refresh_token)
