import uuid

import structlog
from django.utils.translation import gettext_lazy as _
from rest_framework_simplejwt.authentication import JWTAuthentication as SimpleJWTAuthentication
from rest_framework_simplejwt.exceptions import AuthenticationFailed
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.utils import get_md5_hash_password

# Where the membership read with the user is left for `WorkspaceScopedMixin.membership`, on the DRF request:
# (workspace id as text, user id, the membership or None for "no membership of a live workspace").
MEMBERSHIP_ATTRIBUTE = "orbit_membership"


class JWTAuthentication(SimpleJWTAuthentication):
    """simplejwt bearer tokens; binds the user id to every log line of the request once known.

    On a workspace URL (`workspace_id` in the route) the token's user is read together with their membership of
    that workspace, in one query (workspaces.selectors.membership_with_user), and the membership is left on the
    request for the tenancy mixin, which would otherwise run a second query. The user is checked exactly as
    simplejwt checks it (active, password unchanged); when the join finds no row (not a member, deleted
    workspace, or no such user) simplejwt's own lookup decides, so 401s stay 401s and come before any 404.
    """

    def authenticate(self, request):
        self._request = request
        result = super().authenticate(request)
        if result is not None:
            structlog.contextvars.bind_contextvars(user_id=str(result[0].pk))
        return result

    def get_user(self, validated_token):
        request = getattr(self, "_request", None)
        match = getattr(request, "resolver_match", None)
        workspace_id = match.kwargs.get("workspace_id") if match is not None else None
        user_id = validated_token.get(api_settings.USER_ID_CLAIM)
        if workspace_id is None or user_id is None or api_settings.USER_ID_FIELD != "id":
            return super().get_user(validated_token)
        try:
            user_id, workspace_uuid = uuid.UUID(str(user_id)), uuid.UUID(str(workspace_id))
        except ValueError:  # not ids our routes or tokens make: simplejwt and the tenancy mixin decide as before
            return super().get_user(validated_token)
        from workspaces.selectors import membership_with_user

        membership = membership_with_user(user_id=user_id, workspace_id=workspace_uuid)
        if membership is None:
            user = super().get_user(validated_token)
        else:
            user = membership.user
            self.check_user(user, validated_token)
        setattr(request, MEMBERSHIP_ATTRIBUTE, (str(workspace_id), user.pk, membership))
        return user

    @staticmethod
    def check_user(user, validated_token) -> None:
        """What simplejwt's get_user checks once it has loaded the user (same messages and codes)."""
        if api_settings.CHECK_USER_IS_ACTIVE and not user.is_active:
            raise AuthenticationFailed(_("User is inactive"), code="user_inactive")
        revoked = api_settings.CHECK_REVOKE_TOKEN and (
            validated_token.get(api_settings.REVOKE_TOKEN_CLAIM) != get_md5_hash_password(user.password)
        )
        if revoked:
            raise AuthenticationFailed(_("The user's password has been changed."), code="password_changed")
