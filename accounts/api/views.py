from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import services
from accounts.api.serializers import LogoutSerializer, MeSerializer, MeUpdateSerializer, TokenPairSerializer
from accounts.authentication import CSRFSessionAuthentication, StrictXSessionTokenAuthentication
from orbit.request_body import validated


class MeView(APIView):
    """The signed-in user."""

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        return Response(MeSerializer(request.user).data)

    @extend_schema(request=MeUpdateSerializer, responses=MeSerializer)
    def patch(self, request):
        changes = validated(MeUpdateSerializer, request, partial=True)
        user = services.update_profile(user=request.user, changes=changes)
        return Response(MeSerializer(user).data)


class TokenExchangeView(APIView):
    """Trade a valid allauth session for a fresh simplejwt pair.

    Send `X-Session-Token` (app client: e.g. after a password change revoked every token), or the browser
    session cookie plus `X-CSRFToken` (after the Google redirect flow; that cookie session is then moved into a
    new app session whose token is returned, and the cookie session ends).
    """

    authentication_classes = [StrictXSessionTokenAuthentication, CSRFSessionAuthentication]
    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="auth_token_exchange",
        request=None,
        responses={200: TokenPairSerializer},
        parameters=[
            OpenApiParameter("X-Session-Token", OpenApiTypes.STR, OpenApiParameter.HEADER, required=False),
        ],
        tags=["auth"],
    )
    def post(self, request):
        via = (
            "session_token"
            if isinstance(request.successful_authenticator, StrictXSessionTokenAuthentication)
            else "cookie"
        )
        return Response(services.exchange_session(request=request._request, user=request.user, via=via))


class LogoutView(APIView):
    """Sign this device out: blacklist its refresh token and end its allauth session.

    The refresh token in the body is the credential, so signing out works even with an expired access token.
    Send the `X-Session-Token` too, to end the allauth session. Idempotent: an expired or already revoked refresh
    token answers 204 as well.
    """

    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="auth_logout",
        request=LogoutSerializer,
        responses={204: OpenApiResponse(description="Signed out.")},
        parameters=[
            OpenApiParameter("X-Session-Token", OpenApiTypes.STR, OpenApiParameter.HEADER, required=False),
        ],
        tags=["auth"],
    )
    def post(self, request):
        refresh_token = validated(LogoutSerializer, request)["refresh_token"]
        session = None
        session_token = request.headers.get("X-Session-Token")
        if session_token:
            from allauth.headless import app_settings as headless_settings

            session = headless_settings.TOKEN_STRATEGY.lookup_session(session_token)
        services.logout(request=request._request, refresh_token=refresh_token, session=session)
        return Response(status=status.HTTP_204_NO_CONTENT)
