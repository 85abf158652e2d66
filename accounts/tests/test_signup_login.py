"""Sign-up, email verification and sign-in end to end through allauth headless (app client)."""

import pytest
from django.conf import settings
from django.core import mail
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

from accounts.models import AuthEvent, User
from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from accounts.tests.helpers import (
    STRONG_PASSWORD,
    VERIFY_PREFIX,
    AppClient,
    allauth_error,
    bearer,
    exchange_refused,
    last_mail_link,
    not_signed_in,
    session_gone,
    sign_in,
    sign_up,
    signed_in,
)

pytestmark = pytest.mark.django_db


class TestSignup:
    def test_signup_stores_full_name_and_requires_verification(self):
        app = AppClient()
        response = sign_up(app, email="New.Person@Example.com")
        not_signed_in(response, pending=("verify_email",))
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
        session_gone(app.get("auth/session", session_token=first_session))

    def test_verification_key_cannot_be_used_raw_or_twice(self):
        app = AppClient()
        sign_up(app)
        key = last_mail_link(VERIFY_PREFIX)
        encoded = mail.outbox[-1].body.split(VERIFY_PREFIX, 1)[1].split()[0]
        assert encoded != key  # the mail carries it URL-encoded
        allauth_error(app.post("auth/email/verify", {"key": encoded}), 400, "invalid_or_expired_key")
        assert not AuthEvent.objects.filter(kind="email_verified").exists()
        assert app.post("auth/email/verify", {"key": key}).status_code == 200
        allauth_error(AppClient().post("auth/email/verify", {"key": key}), 400, "invalid_or_expired_key")
        assert AuthEvent.objects.filter(kind="email_verified").count() == 1

    def test_expired_verification_key_is_refused(self, settings, clock):
        app = AppClient()
        sign_up(app)
        key = last_mail_link(VERIFY_PREFIX)
        clock.shift(settings.ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS * 86400 + 60)
        allauth_error(app.post("auth/email/verify", {"key": key}), 400, "invalid_or_expired_key")
        assert not User.objects.get().emailaddress_set.filter(verified=True).exists()

    @pytest.mark.parametrize(
        ("password", "code"),
        [
            ("short", "password_too_short"),
            ("password123", "password_too_common"),
            ("8172635490183", "password_entirely_numeric"),
        ],
    )
    def test_password_validators_apply(self, password, code):
        allauth_error(sign_up(AppClient(), password=password), 400, code, param="password")
        assert not User.objects.exists()

    def test_password_like_the_email_is_refused(self):
        response = sign_up(AppClient(), email="ada.lovelace@example.com", password="ada.lovelace.example")
        allauth_error(response, 400, "password_too_similar")
        assert [e["param"] for e in response.body["errors"]] == ["password"]
        assert not User.objects.exists()

    def test_full_name_is_required(self):
        app = AppClient()
        response = app.post("auth/signup", {"email": "x@example.com", "password": STRONG_PASSWORD})
        allauth_error(response, 400, "required")
        assert [e["param"] for e in response.body["errors"]] == ["full_name"]
        assert not User.objects.exists()

    def test_duplicate_email_in_other_case_creates_nothing_and_reveals_nothing(self):
        """allauth prevents enumeration: the answer looks like a fresh sign-up; the owner is told by mail."""
        owner = UserFactory(email="taken@example.com")
        app = AppClient()
        not_signed_in(sign_up(app, email="TAKEN@example.com"), pending=("verify_email",))
        assert User.objects.filter(email__iexact="taken@example.com").count() == 1
        assert mail.outbox[-1].to == ["taken@example.com"]
        assert VERIFY_PREFIX not in mail.outbox[-1].body
        assert not AuthEvent.objects.filter(kind="signed_up").exists()
        exchange_refused(app.session_token, "authentication_failed")
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
        allauth_error(response, 400, "email_password_mismatch", param="password")
        assert not OutstandingToken.objects.exists()
        event = AuthEvent.objects.get(kind="login_failed")
        assert (event.email, event.reason, event.user_agent, event.ip_address) == (
            user.email,
            "invalid_credentials",
            "pytest-agent/1.0",
            "127.0.0.1",
        )

    def test_unknown_email_is_refused_and_audited(self):
        response = sign_in(AppClient(), "nobody@example.com", "whatever-password")
        allauth_error(response, 400, "email_password_mismatch", param="password")  # the same as a wrong password
        assert not User.objects.exists()
        assert AuthEvent.objects.filter(kind="login_failed", email="nobody@example.com").exists()

    def test_unverified_email_gets_no_tokens(self):
        user = UserFactory(verified=False)
        not_signed_in(sign_in(AppClient(), user.email), pending=("verify_email",))
        assert not OutstandingToken.objects.filter(user=user).exists()

    def test_inactive_user_cannot_sign_in(self):
        user = UserFactory(is_active=False)
        response = sign_in(AppClient(), user.email)
        not_signed_in(response)
        assert response.body["meta"] == {"is_authenticated": False}  # no session, no tokens
        assert not OutstandingToken.objects.filter(user=user).exists()
