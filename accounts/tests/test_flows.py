"""Every password flow end to end through allauth headless (app client) and Orbit's token endpoints."""

import pytest
from django.conf import settings
from django.core import mail
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

from accounts.models import AuthEvent, User
from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from accounts.tests.helpers import STRONG_PASSWORD, AppClient, bearer, error_codes, last_mail_link

pytestmark = pytest.mark.django_db

VERIFY_PREFIX = f"{settings.FRONTEND_URL}/verify-email/"
RESET_PREFIX = f"{settings.FRONTEND_URL}/reset-password/"


def sign_up(app, email="new.person@example.com", password=STRONG_PASSWORD, full_name="Ada Lovelace"):
    return app.post("auth/signup", {"email": email, "password": password, "full_name": full_name})


def sign_in(app, email, password=DEFAULT_PASSWORD):
    return app.post("auth/login", {"email": email, "password": password})


def client_cannot_exchange(app) -> bool:
    from django.test import Client

    return Client().post("/api/auth/token/", HTTP_X_SESSION_TOKEN=app.session_token or "").status_code == 401


def signed_in(user):
    app = AppClient()
    response = sign_in(app, user.email)
    assert response.status_code == 200, response.body
    return app, response.body["meta"]


class TestSignup:
    def test_signup_stores_full_name_and_requires_verification(self):
        app = AppClient()
        response = sign_up(app, email="New.Person@Example.com")
        assert response.status_code == 401
        assert [flow["id"] for flow in response.body["data"]["flows"] if flow.get("is_pending")] == ["verify_email"]
        assert "access_token" not in response.body["meta"]
        user = User.objects.get(email="new.person@example.com")
        assert user.full_name == "Ada Lovelace"
        assert user.check_password(STRONG_PASSWORD)
        assert AuthEvent.objects.filter(kind="signed_up", user=user).exists()
        assert len(mail.outbox) == 1
        assert mail.outbox[0].to == ["new.person@example.com"]

    def test_verification_link_signs_in_and_hands_out_tokens(self, client):
        app = AppClient()
        sign_up(app)
        first_session = app.session_token
        key = last_mail_link(VERIFY_PREFIX)
        assert "%" not in key
        preview = app.get("auth/email/verify", HTTP_X_EMAIL_VERIFICATION_KEY=key)
        assert preview.status_code == 200
        assert preview.body["data"]["email"] == "new.person@example.com"

        response = app.post("auth/email/verify", {"key": key})
        assert response.status_code == 200, response.body
        meta = response.body["meta"]
        assert meta["is_authenticated"]
        assert meta["access_token"]
        assert meta["refresh_token"]
        assert meta["session_token"] != first_session  # cycled at login: the SPA must keep the new one
        me = client.get("/api/me/", **bearer(meta["access_token"]))
        assert me.status_code == 200
        assert me.json()["email_verified"] is True
        assert me.json()["full_name"] == "Ada Lovelace"
        assert AuthEvent.objects.filter(kind="email_verified", email="new.person@example.com").exists()
        assert AuthEvent.objects.filter(kind="login_succeeded", reason="password").exists()
        old = app.get("auth/session", session_token=first_session)
        assert old.status_code == 410

    def test_verification_key_cannot_be_used_raw_or_twice(self):
        app = AppClient()
        sign_up(app)
        key = last_mail_link(VERIFY_PREFIX)
        encoded = mail.outbox[-1].body.split(VERIFY_PREFIX, 1)[1].split()[0]
        assert encoded != key  # the mail carries it URL-encoded
        raw = app.post("auth/email/verify", {"key": encoded})
        assert raw.status_code == 400
        assert "invalid_or_expired_key" in error_codes(raw)
        assert app.post("auth/email/verify", {"key": key}).status_code == 200
        again = AppClient().post("auth/email/verify", {"key": key})
        assert again.status_code == 400
        assert "invalid_or_expired_key" in error_codes(again)

    def test_expired_verification_key_is_refused(self, settings, clock):
        app = AppClient()
        sign_up(app)
        key = last_mail_link(VERIFY_PREFIX)
        clock.shift(settings.ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS * 86400 + 60)
        response = app.post("auth/email/verify", {"key": key})
        assert response.status_code == 400
        assert "invalid_or_expired_key" in error_codes(response)

    @pytest.mark.parametrize(
        ("password", "code"),
        [
            ("short", "password_too_short"),
            ("password123", "password_too_common"),
            ("8172635490183", "password_entirely_numeric"),
        ],
    )
    def test_password_validators_apply(self, password, code):
        response = sign_up(AppClient(), password=password)
        assert response.status_code == 400
        assert code in error_codes(response)
        assert not User.objects.exists()

    def test_password_like_the_email_is_refused(self):
        response = sign_up(AppClient(), email="ada.lovelace@example.com", password="ada.lovelace.example")
        assert response.status_code == 400
        assert "password_too_similar" in error_codes(response)
        assert [e["param"] for e in response.body["errors"]] == ["password"]
        assert not User.objects.exists()

    def test_full_name_is_required(self):
        app = AppClient()
        response = app.post("auth/signup", {"email": "x@example.com", "password": STRONG_PASSWORD})
        assert response.status_code == 400
        assert [e["param"] for e in response.body["errors"]] == ["full_name"]

    def test_duplicate_email_in_other_case_creates_nothing_and_reveals_nothing(self):
        """allauth prevents enumeration: the answer looks like a fresh sign-up; the owner is told by mail."""
        owner = UserFactory(email="taken@example.com")
        app = AppClient()
        response = sign_up(app, email="TAKEN@example.com")
        assert response.status_code == 401
        assert User.objects.filter(email__iexact="taken@example.com").count() == 1
        assert mail.outbox[-1].to == ["taken@example.com"]
        assert VERIFY_PREFIX not in mail.outbox[-1].body
        assert not AuthEvent.objects.filter(kind="signed_up").exists()
        assert client_cannot_exchange(app)
        owner.refresh_from_db()
        assert owner.check_password(DEFAULT_PASSWORD)


class TestLogin:
    def test_login_returns_session_and_token_pair(self, client):
        user = UserFactory()
        _, meta = signed_in(user)
        assert {"session_token", "access_token", "refresh_token"} <= set(meta)
        assert meta["expires_in"] == int(settings.SIMPLE_JWT["ACCESS_TOKEN_LIFETIME"].total_seconds())
        assert client.get("/api/me/", **bearer(meta["access_token"])).json()["id"] == str(user.id)
        event = AuthEvent.objects.get(kind="login_succeeded")
        assert (event.user, event.ip_address, event.reason) == (user, "127.0.0.1", "password")

    def test_email_is_case_insensitive(self):
        user = UserFactory(email="case@example.com")
        assert sign_in(AppClient(), "CASE@Example.COM").status_code == 200
        assert AuthEvent.objects.get(kind="login_succeeded").user == user

    def test_wrong_password_is_refused_and_audited(self):
        user = UserFactory()
        response = sign_in(AppClient(HTTP_USER_AGENT="pytest-agent/1.0"), user.email, "not-the-password")
        assert response.status_code == 400
        assert "email_password_mismatch" in error_codes(response)
        event = AuthEvent.objects.get(kind="login_failed")
        assert (event.email, event.reason, event.user_agent, event.ip_address) == (
            user.email,
            "invalid_credentials",
            "pytest-agent/1.0",
            "127.0.0.1",
        )

    def test_unknown_email_is_refused_and_audited(self):
        response = sign_in(AppClient(), "nobody@example.com", "whatever-password")
        assert response.status_code == 400
        assert AuthEvent.objects.filter(kind="login_failed", email="nobody@example.com").exists()

    def test_unverified_email_gets_no_tokens(self):
        user = UserFactory(verified=False)
        app = AppClient()
        response = sign_in(app, user.email)
        assert response.status_code == 401
        assert "access_token" not in response.body.get("meta", {})
        pending = [flow["id"] for flow in response.body["data"]["flows"] if flow.get("is_pending")]
        assert pending == ["verify_email"]
        assert not OutstandingToken.objects.filter(user=user).exists()

    def test_inactive_user_cannot_sign_in(self):
        user = UserFactory(is_active=False)
        response = sign_in(AppClient(), user.email)
        assert response.status_code == 401
        assert response.body["meta"] == {"is_authenticated": False}  # no session, no tokens
        assert not [flow for flow in response.body["data"]["flows"] if flow.get("is_pending")]


class TestRefresh:
    def test_refresh_rotates_and_a_reused_refresh_token_is_refused(self, client):
        user = UserFactory()
        app, meta = signed_in(user)
        first = app.post("tokens/refresh", {"refresh_token": meta["refresh_token"]})
        assert first.status_code == 200, first.body
        data = first.body["data"]
        assert data["refresh_token"] != meta["refresh_token"]
        assert client.get("/api/me/", **bearer(data["access_token"])).status_code == 200

        reused = app.post("tokens/refresh", {"refresh_token": meta["refresh_token"]})
        assert reused.status_code == 400
        assert BlacklistedToken.objects.filter(token__token=meta["refresh_token"]).exists()
        assert app.post("tokens/refresh", {"refresh_token": data["refresh_token"]}).status_code == 200

    @pytest.mark.parametrize("token", ["", "garbage", "a.b.c"])
    def test_malformed_refresh_token_is_refused(self, token):
        response = AppClient().post("tokens/refresh", {"refresh_token": token})
        assert response.status_code == 400

    def test_access_token_is_not_a_refresh_token(self):
        _, meta = signed_in(UserFactory())
        assert AppClient().post("tokens/refresh", {"refresh_token": meta["access_token"]}).status_code == 400

    def test_expired_refresh_token_is_refused(self, clock):
        _, meta = signed_in(UserFactory())
        clock.shift(settings.SIMPLE_JWT["REFRESH_TOKEN_LIFETIME"].total_seconds() + 60)
        assert AppClient().post("tokens/refresh", {"refresh_token": meta["refresh_token"]}).status_code == 400


class TestAccessTokens:
    def test_expired_access_token_is_401(self, client, clock):
        _, meta = signed_in(UserFactory())
        clock.shift(settings.SIMPLE_JWT["ACCESS_TOKEN_LIFETIME"].total_seconds() + 5)
        response = client.get("/api/me/", **bearer(meta["access_token"]))
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "token_not_valid"

    def test_token_signed_with_another_key_is_401(self, client):
        import jwt

        forged = jwt.encode(
            {"user_id": str(UserFactory().id), "token_type": "access", "exp": 4102444800, "jti": "x"}, "k" * 64
        )
        response = client.get("/api/me/", **bearer(forged))
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "token_not_valid"

    def test_deactivated_users_access_token_is_401(self, client):
        user = UserFactory()
        _, meta = signed_in(user)
        user.is_active = False
        user.save()
        response = client.get("/api/me/", **bearer(meta["access_token"]))
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "user_inactive"

    def test_deleted_users_access_token_is_401(self, client):
        user = UserFactory()
        _, meta = signed_in(user)
        user.delete()
        response = client.get("/api/me/", **bearer(meta["access_token"]))
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "user_not_found"

    def test_session_token_is_not_a_bearer_token(self, client):
        app, _ = signed_in(UserFactory())
        assert client.get("/api/me/", **bearer(app.session_token)).status_code == 401


class TestLogout:
    def test_logout_blacklists_refresh_and_ends_allauth_session(self, client):
        user = UserFactory()
        app, meta = signed_in(user)
        response = client.post(
            "/api/auth/logout/",
            {"refresh_token": meta["refresh_token"]},
            content_type="application/json",
            HTTP_X_SESSION_TOKEN=app.session_token,
        )
        assert response.status_code == 204
        assert (
            app.post("tokens/refresh", {"refresh_token": meta["refresh_token"]}, session_token=None).status_code == 400
        )
        assert app.get("auth/session").status_code == 410  # the session token is gone
        assert AuthEvent.objects.filter(kind="logged_out", user=user).exists()

    def test_logout_is_idempotent(self, client):
        _, meta = signed_in(UserFactory())
        for _ in range(2):
            response = client.post(
                "/api/auth/logout/", {"refresh_token": meta["refresh_token"]}, content_type="application/json"
            )
            assert response.status_code == 204

    def test_logout_with_expired_refresh_token_still_ends_session(self, client, clock):
        app, meta = signed_in(UserFactory())
        clock.shift(settings.SIMPLE_JWT["REFRESH_TOKEN_LIFETIME"].total_seconds() + 60)
        response = client.post(
            "/api/auth/logout/",
            {"refresh_token": meta["refresh_token"]},
            content_type="application/json",
            HTTP_X_SESSION_TOKEN=app.session_token,
        )
        assert response.status_code == 204

    @pytest.mark.parametrize("body", [{}, {"refresh_token": "garbage"}])
    def test_logout_rejects_missing_or_forged_token(self, client, body):
        response = client.post("/api/auth/logout/", body, content_type="application/json")
        assert response.status_code == 400
        assert response.json()["error"]["code"] == "validation_error"
        assert "refresh_token" in response.json()["error"]["details"]

    def test_logout_refuses_another_users_session(self, client):
        app_a, _ = signed_in(UserFactory())
        _, meta_b = signed_in(UserFactory())
        response = client.post(
            "/api/auth/logout/",
            {"refresh_token": meta_b["refresh_token"]},
            content_type="application/json",
            HTTP_X_SESSION_TOKEN=app_a.session_token,
        )
        assert response.status_code == 400
        assert app_a.get("auth/session").status_code == 200  # untouched

    def test_allauth_logout_alone_leaves_tokens_but_exchange_stops(self, client):
        """DELETE auth/session only ends the session; documented: use /api/auth/logout."""
        app, meta = signed_in(UserFactory())
        assert app.delete("auth/session").status_code == 401
        exchange = client.post("/api/auth/token/", HTTP_X_SESSION_TOKEN=app.session_token)
        assert exchange.status_code == 401
        refreshed = app.post("tokens/refresh", {"refresh_token": meta["refresh_token"]}, session_token=None)
        assert refreshed.status_code == 200  # why the SPA must call /api/auth/logout/ instead


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
        assert response.status_code == 401  # reset does not sign in (ACCOUNT_LOGIN_ON_PASSWORD_RESET=False)
        user.refresh_from_db()
        assert user.check_password(STRONG_PASSWORD)
        # Every token from before the reset is dead.
        assert client.get("/api/me/", **bearer(meta["access_token"])).status_code == 401
        assert app.post("tokens/refresh", {"refresh_token": meta["refresh_token"]}).status_code == 400
        assert sign_in(AppClient(), user.email, STRONG_PASSWORD).status_code == 200
        assert sign_in(AppClient(), user.email, DEFAULT_PASSWORD).status_code == 400
        kinds = set(AuthEvent.objects.filter(user=user).values_list("kind", flat=True))
        assert {"password_reset_requested", "password_reset"} <= kinds

    def test_reset_key_is_single_use(self):
        user = UserFactory()
        AppClient().post("auth/password/request", {"email": user.email})
        key = last_mail_link(RESET_PREFIX)
        assert AppClient().post("auth/password/reset", {"key": key, "password": STRONG_PASSWORD}).status_code == 401
        again = AppClient().post("auth/password/reset", {"key": key, "password": "another-" + STRONG_PASSWORD})
        assert again.status_code == 400
        assert "invalid_password_reset" in error_codes(again)

    def test_reset_key_expires(self, settings, clock):
        user = UserFactory()
        AppClient().post("auth/password/request", {"email": user.email})
        key = last_mail_link(RESET_PREFIX)
        clock.shift(settings.PASSWORD_RESET_TIMEOUT + 60)
        response = AppClient().post("auth/password/reset", {"key": key, "password": STRONG_PASSWORD})
        assert response.status_code == 400
        assert "invalid_password_reset" in error_codes(response)
        user.refresh_from_db()
        assert user.check_password(DEFAULT_PASSWORD)

    def test_reset_applies_password_validators(self):
        user = UserFactory()
        AppClient().post("auth/password/request", {"email": user.email})
        key = last_mail_link(RESET_PREFIX)
        response = AppClient().post("auth/password/reset", {"key": key, "password": "short"})
        assert response.status_code == 400
        user.refresh_from_db()
        assert user.check_password(DEFAULT_PASSWORD)

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
        assert app.get("auth/session", session_token=session_before).status_code == 410
        # Both devices: access tokens fail at once (CHECK_REVOKE_TOKEN), refresh tokens are blacklisted.
        for old in (meta, other_meta):
            denied = client.get("/api/me/", **bearer(old["access_token"]))
            assert denied.status_code == 401
            assert denied.json()["error"]["code"] == "password_changed"
            assert app.post("tokens/refresh", {"refresh_token": old["refresh_token"]}).status_code == 400
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
        assert response.status_code == 400
        assert client.get("/api/me/", **bearer(meta["access_token"])).status_code == 200
        assert not AuthEvent.objects.filter(kind="password_changed").exists()

    def test_change_needs_the_session_token_not_a_bearer(self):
        app, meta = signed_in(UserFactory())
        response = AppClient().post(
            "account/password/change",
            {"current_password": DEFAULT_PASSWORD, "new_password": STRONG_PASSWORD},
            HTTP_AUTHORIZATION=f"Bearer {meta['access_token']}",
        )
        assert response.status_code == 401


class TestExchange:
    def test_requires_a_session(self, client):
        response = client.post("/api/auth/token/")
        assert response.status_code == 401
        assert response.json()["error"]["code"] in ("not_authenticated", "authentication_failed")

    def test_unknown_session_token_is_401(self, client):
        response = client.post("/api/auth/token/", HTTP_X_SESSION_TOKEN="no-such-session")
        assert response.status_code == 401

    def test_unverified_session_gets_no_tokens(self, client):
        app = AppClient()
        sign_up(app)
        response = client.post("/api/auth/token/", HTTP_X_SESSION_TOKEN=app.session_token)
        assert response.status_code == 401

    def test_bearer_token_alone_is_not_a_session(self, client):
        _, meta = signed_in(UserFactory())
        assert client.post("/api/auth/token/", **bearer(meta["access_token"])).status_code == 401


class TestMe:
    def test_get_and_patch(self, auth_client):
        response = auth_client.get("/api/me/")
        assert response.status_code == 200
        assert response.json()["email"] == auth_client.user.email
        patched = auth_client.patch(
            "/api/me/", {"full_name": "Grace Hopper", "avatar_url": "https://img.example.com/g.png"}
        )
        assert patched.status_code == 200
        assert patched.json()["full_name"] == "Grace Hopper"
        auth_client.user.refresh_from_db()
        assert auth_client.user.avatar_url == "https://img.example.com/g.png"

    def test_email_is_read_only(self, auth_client):
        email = auth_client.user.email
        auth_client.patch("/api/me/", {"email": "other@example.com"})
        auth_client.user.refresh_from_db()
        assert auth_client.user.email == email

    @pytest.mark.parametrize("body", [{"avatar_url": "not a url"}, {"full_name": "x" * 201}])
    def test_invalid_patch_is_a_validation_error(self, auth_client, body):
        response = auth_client.patch("/api/me/", body)
        assert response.status_code == 400
        assert response.json()["error"]["code"] == "validation_error"
        assert set(response.json()["error"]["details"]) == set(body)

    def test_anonymous_is_401(self, api_client):
        assert api_client.get("/api/me/").status_code == 401
        assert api_client.patch("/api/me/", {"full_name": "x"}).status_code == 401


def test_a_password_set_outside_allauth_also_stops_refresh(client):
    """Staff set a password in admin (or `manage.py changepassword`): no allauth signal, but the refresh token,
    which carries the old password's hash, is refused like its access token."""
    user = UserFactory()
    app, meta = signed_in(user)
    user.set_password(STRONG_PASSWORD)
    user.save()
    assert client.get("/api/me/", **bearer(meta["access_token"])).status_code == 401
    assert app.post("tokens/refresh", {"refresh_token": meta["refresh_token"]}).status_code == 400
