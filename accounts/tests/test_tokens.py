"""Orbit's token pair: refresh (through allauth), bearer access tokens, the session exchange and logout."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

from accounts.models import AuthEvent
from accounts.tests.factories import UserFactory
from accounts.tests.helpers import (
    STRONG_PASSWORD,
    AppClient,
    allauth_error,
    bearer,
    exchange_refused,
    not_signed_in,
    refresh_refused,
    session_gone,
    sign_up,
    signed_in,
)
from orbit.testing import assert_error

pytestmark = pytest.mark.django_db


def logout(client, refresh_token: str, session_token: str | None = None):
    headers = {"HTTP_X_SESSION_TOKEN": session_token} if session_token else {}
    return client.post(
        "/api/auth/logout/", {"refresh_token": refresh_token}, content_type="application/json", **headers
    )


class TestRefresh:
    def test_refresh_rotates_and_a_reused_refresh_token_is_refused(self, client):
        user = UserFactory()
        app, meta = signed_in(user)
        first = app.post("tokens/refresh", {"refresh_token": meta["refresh_token"]})
        assert first.status_code == 200, first.body
        data = first.body["data"]
        assert data["refresh_token"] != meta["refresh_token"]
        assert client.get("/api/me/", **bearer(data["access_token"])).status_code == 200

        refresh_refused(app, meta["refresh_token"])
        assert BlacklistedToken.objects.filter(token__token=meta["refresh_token"]).exists()
        assert app.post("tokens/refresh", {"refresh_token": data["refresh_token"]}).status_code == 200

    @pytest.mark.parametrize("token", ["garbage", "a.b.c"])
    def test_malformed_refresh_token_is_refused(self, token):
        refresh_refused(AppClient(), token)

    def test_missing_refresh_token_is_refused_by_allauth(self):
        response = AppClient().post("tokens/refresh", {"refresh_token": ""})
        allauth_error(response, 400, "required", param="refresh_token")
        assert not OutstandingToken.objects.exists()

    def test_access_token_is_not_a_refresh_token(self):
        _, meta = signed_in(UserFactory())
        refresh_refused(AppClient(), meta["access_token"])

    def test_expired_refresh_token_is_refused(self, clock):
        _, meta = signed_in(UserFactory())
        clock.shift(settings.SIMPLE_JWT["REFRESH_TOKEN_LIFETIME"].total_seconds() + 60)
        refresh_refused(AppClient(), meta["refresh_token"])


class TestAccessTokens:
    def test_expired_access_token_is_401(self, client, clock):
        _, meta = signed_in(UserFactory())
        clock.shift(settings.SIMPLE_JWT["ACCESS_TOKEN_LIFETIME"].total_seconds() + 5)
        assert_error(client.get("/api/me/", **bearer(meta["access_token"])), 401, "token_not_valid")

    def test_token_signed_with_another_key_is_401(self, client):
        import jwt

        forged = jwt.encode(
            {"user_id": str(UserFactory().id), "token_type": "access", "exp": 4102444800, "jti": "x"}, "k" * 64
        )
        assert_error(client.get("/api/me/", **bearer(forged)), 401, "token_not_valid")

    def test_deactivated_users_access_token_is_401(self, client):
        user = UserFactory()
        _, meta = signed_in(user)
        user.is_active = False
        user.save()
        assert_error(client.get("/api/me/", **bearer(meta["access_token"])), 401, "user_inactive")

    def test_deleted_users_access_token_is_401(self, client):
        user = UserFactory()
        _, meta = signed_in(user)
        user.delete()
        assert_error(client.get("/api/me/", **bearer(meta["access_token"])), 401, "user_not_found")

    def test_session_token_is_not_a_bearer_token(self, client):
        app, _ = signed_in(UserFactory())
        assert_error(client.get("/api/me/", **bearer(app.session_token)), 401, "token_not_valid")


class TestLogout:
    def test_logout_blacklists_refresh_and_ends_allauth_session(self, client):
        user = UserFactory()
        app, meta = signed_in(user)
        response = logout(client, meta["refresh_token"], app.session_token)
        assert response.status_code == 204
        refresh_refused(app, meta["refresh_token"], session_token=None)
        session_gone(app.get("auth/session"))  # the session token is gone
        assert AuthEvent.objects.filter(kind="logged_out", user=user).exists()

    def test_logout_is_idempotent(self, client):
        _, meta = signed_in(UserFactory())
        for _ in range(2):  # the same token twice, in order
            response = logout(client, meta["refresh_token"])
            assert response.status_code == 204

    def test_logout_with_expired_refresh_token_still_ends_session(self, client, clock):
        app, meta = signed_in(UserFactory())
        clock.shift(settings.SIMPLE_JWT["REFRESH_TOKEN_LIFETIME"].total_seconds() + 60)
        # A session that outlives its refresh token (saved later, or a longer SESSION_COOKIE_AGE).
        Session.objects.filter(session_key=app.session_token).update(expire_date=timezone.now() + timedelta(days=1))
        assert app.get("auth/session").status_code == 200
        response = logout(client, meta["refresh_token"], app.session_token)
        assert response.status_code == 204
        assert not Session.objects.filter(session_key=app.session_token).exists()
        session_gone(app.get("auth/session"))

    @pytest.mark.parametrize("body", [{}, {"refresh_token": "garbage"}])
    def test_logout_rejects_missing_or_forged_token(self, client, body):
        response = client.post("/api/auth/logout/", body, content_type="application/json")
        assert "refresh_token" in assert_error(response, 400, "validation_error")
        assert not AuthEvent.objects.filter(kind="logged_out").exists()

    def test_logout_refuses_another_users_session(self, client):
        app_a, _ = signed_in(UserFactory())
        _, meta_b = signed_in(UserFactory())
        response = logout(client, meta_b["refresh_token"], app_a.session_token)
        assert "X-Session-Token" in assert_error(response, 400, "validation_error")
        assert app_a.get("auth/session").status_code == 200  # untouched
        assert not BlacklistedToken.objects.exists()
        assert not AuthEvent.objects.filter(kind="logged_out").exists()

    def test_allauth_logout_alone_leaves_tokens_but_exchange_stops(self, client):
        """DELETE auth/session only ends the session; documented: use /api/auth/logout."""
        app, meta = signed_in(UserFactory())
        not_signed_in(app.delete("auth/session"))
        exchange_refused(app.session_token, "authentication_failed")
        refreshed = app.post("tokens/refresh", {"refresh_token": meta["refresh_token"]}, session_token=None)
        assert refreshed.status_code == 200  # why the SPA must call /api/auth/logout/ instead


class TestExchange:
    def test_requires_a_session(self):
        exchange_refused(None, "not_authenticated")

    def test_unknown_session_token_is_401(self):
        exchange_refused("no-such-session", "authentication_failed")

    def test_unverified_session_gets_no_tokens(self):
        app = AppClient()
        sign_up(app)
        exchange_refused(app.session_token, "authentication_failed")

    def test_bearer_token_alone_is_not_a_session(self):
        _, meta = signed_in(UserFactory())
        exchange_refused(None, "not_authenticated", **bearer(meta["access_token"]))


def test_a_password_set_outside_allauth_also_stops_refresh(client):
    """Staff set a password in admin (or `manage.py changepassword`): no allauth signal, but the refresh token,
    which carries the old password's hash, is refused like its access token."""
    user = UserFactory()
    app, meta = signed_in(user)
    user.set_password(STRONG_PASSWORD)
    user.save()
    assert_error(client.get("/api/me/", **bearer(meta["access_token"])), 401, "password_changed")
    refresh_refused(app, meta["refresh_token"])
