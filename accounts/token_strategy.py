"""allauth headless hands out simplejwt access/refresh pairs to the app client.

The allauth flows themselves keep using `X-Session-Token`; the REST API uses `Authorization: Bearer <access>`.
"""

from allauth.headless.tokens.strategies.sessions import SessionTokenStrategy
from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from rest_framework.exceptions import APIException
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.serializers import TokenRefreshSerializer
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken
from rest_framework_simplejwt.utils import get_md5_hash_password

from accounts.tokens import issue_token_pair


def _password_unchanged(token: RefreshToken) -> bool:
    """The token's password-hash claim still matches the user's password (CHECK_REVOKE_TOKEN).

    Changes through allauth also blacklist every refresh token; this catches the other ways a password changes
    (Django admin, `manage.py changepassword`), whose refreshed access tokens would only fail on first use.
    """
    if not api_settings.CHECK_REVOKE_TOKEN:
        return True
    user = get_user_model().objects.filter(**{api_settings.USER_ID_FIELD: token.get(api_settings.USER_ID_CLAIM)})
    user = user.only("password").first()
    return user is None or token.get(api_settings.REVOKE_TOKEN_CLAIM) == get_md5_hash_password(user.password)


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
            token = RefreshToken(refresh_token)
            jti = token["jti"]
            if not _password_unchanged(token):
                return None
            with transaction.atomic():
                list(OutstandingToken.objects.select_for_update().filter(jti=jti).order_by().values_list("pk"))
                serializer = TokenRefreshSerializer(data={"refresh": refresh_token})
                serializer.is_valid(raise_exception=True)
        except (TokenError, APIException, ObjectDoesNotExist):
            return None
        return serializer.validated_data["access"], serializer.validated_data.get("refresh", refresh_token)
