from rest_framework import serializers

from accounts.models import User
from orbit.errors import MAX_TOKEN
from orbit.serializers import ReadOnlyModelSerializer


class MeSerializer(ReadOnlyModelSerializer):
    """What GET and PATCH /api/me answer: every field, always (change them with MeUpdate)."""

    email_verified = serializers.SerializerMethodField()
    # Plain strings: "" when not set, which the model URLField's `uri` format (and a oneOf with "") would misstate.
    full_name = serializers.CharField(read_only=True, help_text="Empty when not set.")
    avatar_url = serializers.CharField(read_only=True, help_text="The avatar's URL, or empty when none is set.")

    class Meta:
        model = User
        fields = ["id", "email", "full_name", "avatar_url", "email_verified", "date_joined"]

    def get_email_verified(self, user) -> bool:
        from allauth.account.models import EmailAddress

        return EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists()


class MeUpdateSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["full_name", "avatar_url"]


class TokenPairSerializer(serializers.Serializer):
    access_token = serializers.CharField(help_text="simplejwt access token: `Authorization: Bearer <access_token>`.")
    refresh_token = serializers.CharField(help_text="simplejwt refresh token, for `/_allauth/app/v1/tokens/refresh`.")
    expires_in = serializers.IntegerField(help_text="Lifetime of the access token in seconds.")
    session_token = serializers.CharField(help_text="The allauth app session token to send as `X-Session-Token`.")


class LogoutSerializer(serializers.Serializer):
    refresh_token = serializers.CharField(
        max_length=MAX_TOKEN, help_text="The refresh token of this device; it is blacklisted."
    )


class UserSummarySerializer(serializers.Serializer):
    """A person as other resources show them: a member, inviter, author, uploader or actor."""

    id = serializers.UUIDField(read_only=True)
    email = serializers.EmailField(read_only=True)
    full_name = serializers.CharField(read_only=True)
    avatar_url = serializers.CharField(read_only=True)
