"""Password reset and change through allauth headless, and what they do to every token handed out before."""

import pytest
from django.core import mail
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

from accounts.models import AuthEvent
from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from accounts.tests.helpers import (
    RESET_PREFIX,
    STRONG_PASSWORD,
    AppClient,
    allauth_error,
    bearer,
    last_mail_link,
    not_signed_in,
    refresh_refused,
    session_gone,
    sign_in,
    signed_in,
)
from orbit.testing import assert_error

pytestmark = pytest.mark.django_db


def reset_key(user) -> str:
    AppClient().post("auth/password/request", {"email": user.email})
    return last_mail_link(RESET_PREFIX)


class TestPasswordReset:
    def test_reset_with_key_from_mail(self, client):
        user = UserFactory()
        app, meta = signed_in(user)
        mail.outbox.clear()
        assert AppClient().post("auth/password/request", {"email": user.email.upper()}).status_code == 200
        key = last_mail_link(RESET_PREFIX)
        check = AppClient().get("auth/password/reset", HTTP_X_PASSWORD_RESET_KEY=key)
        assert check.status_code == 200
        response = AppClient().post("auth/password/reset", {"key": key, "password": STRONG_PASSWORD})
        not_signed_in(response)  # reset does not sign in (ACCOUNT_LOGIN_ON_PASSWORD_RESET=False)
        user.refresh_from_db()
        assert user.check_password(STRONG_PASSWORD)
        # Every token from before the reset is dead.
        assert_error(client.get("/api/me/", **bearer(meta["access_token"])), 401, "password_changed")
        refresh_refused(app, meta["refresh_token"])
        assert sign_in(AppClient(), user.email, STRONG_PASSWORD).status_code == 200
        allauth_error(sign_in(AppClient(), user.email, DEFAULT_PASSWORD), 400, "email_password_mismatch")
        kinds = set(AuthEvent.objects.filter(user=user).values_list("kind", flat=True))
        assert {"password_reset_requested", "password_reset"} <= kinds

    def test_reset_key_is_single_use(self):
        user = UserFactory()
        key = reset_key(user)
        not_signed_in(AppClient().post("auth/password/reset", {"key": key, "password": STRONG_PASSWORD}))
        again = AppClient().post("auth/password/reset", {"key": key, "password": "another-" + STRONG_PASSWORD})
        allauth_error(again, 400, "invalid_password_reset", param="key")
        user.refresh_from_db()
        assert user.check_password(STRONG_PASSWORD)

    def test_reset_key_expires(self, settings, clock):
        user = UserFactory()
        key = reset_key(user)
        clock.shift(settings.PASSWORD_RESET_TIMEOUT + 60)
        response = AppClient().post("auth/password/reset", {"key": key, "password": STRONG_PASSWORD})
        allauth_error(response, 400, "invalid_password_reset", param="key")
        user.refresh_from_db()
        assert user.check_password(DEFAULT_PASSWORD)

    def test_reset_applies_password_validators(self):
        user = UserFactory()
        key = reset_key(user)
        response = AppClient().post("auth/password/reset", {"key": key, "password": "short"})
        allauth_error(response, 400, "password_too_short", param="password")
        user.refresh_from_db()
        assert user.check_password(DEFAULT_PASSWORD)
        assert not AuthEvent.objects.filter(kind="password_reset").exists()

    def test_unknown_email_reveals_nothing(self):
        response = AppClient().post("auth/password/request", {"email": "ghost@example.com"})
        assert response.status_code == 200
        assert RESET_PREFIX not in (mail.outbox[-1].body if mail.outbox else "")


class TestPasswordChange:
    def test_change_revokes_every_token_and_exchange_gives_a_new_pair(self, client):
        user = UserFactory()
        app, meta = signed_in(user)
        other_device, other_meta = signed_in(user)
        session_before = app.session_token
        response = app.post(
            "account/password/change", {"current_password": DEFAULT_PASSWORD, "new_password": STRONG_PASSWORD}
        )
        assert response.status_code == 200, response.body
        assert response.body["meta"]["session_token"] != session_before  # cycled: the SPA keeps the new one
        session_gone(app.get("auth/session", session_token=session_before))
        # Both devices: access tokens fail at once (CHECK_REVOKE_TOKEN), refresh tokens are blacklisted.
        for old in (meta, other_meta):
            assert_error(client.get("/api/me/", **bearer(old["access_token"])), 401, "password_changed")
            refresh_refused(app, old["refresh_token"])
        assert not OutstandingToken.objects.filter(user=user, blacklistedtoken__isnull=True).exists()
        event = AuthEvent.objects.get(kind="password_changed", user=user)
        assert event.metadata["revoked_tokens"] == 2
        # The device that changed it keeps its allauth session and trades it for a fresh pair.
        exchanged = client.post("/api/auth/token/", HTTP_X_SESSION_TOKEN=app.session_token)
        assert exchanged.status_code == 200, exchanged.content
        fresh = exchanged.json()
        assert fresh["session_token"] == app.session_token
        assert client.get("/api/me/", **bearer(fresh["access_token"])).status_code == 200
        assert app.post("tokens/refresh", {"refresh_token": fresh["refresh_token"]}).status_code == 200

    def test_wrong_current_password_changes_nothing(self, client):
        user = UserFactory()
        app, meta = signed_in(user)
        response = app.post(
            "account/password/change", {"current_password": "nope-nope-nope", "new_password": STRONG_PASSWORD}
        )
        allauth_error(response, 400, "enter_current_password", param="current_password")
        assert client.get("/api/me/", **bearer(meta["access_token"])).status_code == 200
        user.refresh_from_db()
        assert user.check_password(DEFAULT_PASSWORD)
        assert not AuthEvent.objects.filter(kind="password_changed").exists()

    def test_change_needs_the_session_token_not_a_bearer(self):
        user = UserFactory()
        _, meta = signed_in(user)
        response = AppClient().post(
            "account/password/change",
            {"current_password": DEFAULT_PASSWORD, "new_password": STRONG_PASSWORD},
            HTTP_AUTHORIZATION=f"Bearer {meta['access_token']}",
        )
        not_signed_in(response)
        user.refresh_from_db()
        assert user.check_password(DEFAULT_PASSWORD)
        assert not AuthEvent.objects.filter(kind="password_changed").exists()
