"""Brute-force protection on sign-in, sign-up and reset: per IP and per email, in the shared database cache."""

import pytest
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connection

from accounts.models import AuthEvent, User
from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from accounts.tests.helpers import STRONG_PASSWORD, AppClient, error_codes, not_signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def limits(settings):
    """Override some of ACCOUNT_RATE_LIMITS (allauth reads them per request)."""

    def apply(**rates):
        settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, **rates}

    return apply


def from_ip(ip: str) -> AppClient:
    return AppClient(REMOTE_ADDR=ip)


def login(app, email, password=DEFAULT_PASSWORD):
    return app.post("auth/login", {"email": email, "password": password})


def signup(app, email):
    return app.post("auth/signup", {"email": email, "password": STRONG_PASSWORD, "full_name": "Rate Limited"})


def assert_429(response, *, at_most: int):
    assert response.status_code == 429
    assert response.body == {"status": 429}  # allauth's own envelope
    assert 0 < int(response["Retry-After"]) <= at_most


def test_counters_live_in_the_shared_database_cache(limits):
    assert isinstance(caches["default"], DatabaseCache)  # never per-process memory
    user = UserFactory()
    login(AppClient(), user.email)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM orbit_cache WHERE cache_key LIKE %s", ["%allauth:rl:allauth.account:login:%"]
        )
        assert cursor.fetchone()[0] >= 1


class TestSignIn:
    def test_per_ip(self, limits):
        limits(login="3/m/ip")
        user = UserFactory()
        app = from_ip("203.0.113.7")
        for _ in range(3):
            assert login(app, user.email).status_code == 200
            app.session_token = None
        assert_429(login(app, user.email), at_most=60)
        assert login(from_ip("203.0.113.8"), user.email).status_code == 200  # another address is unaffected

    def test_per_email_across_addresses(self, limits):
        limits(login_email="2/m/key")
        user, other = UserFactory(), UserFactory()
        wrong = login(from_ip("198.51.100.1"), user.email, "wrong-password-1")
        assert wrong.status_code == 400
        assert "email_password_mismatch" in error_codes(wrong)
        assert login(from_ip("198.51.100.2"), user.email.upper()).status_code == 200
        blocked = login(from_ip("198.51.100.3"), user.email)
        assert_429(blocked, at_most=60)
        assert AuthEvent.objects.filter(kind="login_failed", email=user.email, reason="rate_limited").exists()
        assert login(from_ip("198.51.100.3"), other.email).status_code == 200

    def test_failed_login_lockout_uses_allauths_code(self):
        """Default ACCOUNT_RATE_LIMITS: the sixth failure for one email in 5 minutes locks it, right password or not."""
        user = UserFactory()
        for attempt in range(5):
            response = login(from_ip(f"192.0.2.{attempt + 1}"), user.email, "wrong-password")
            assert "email_password_mismatch" in error_codes(response)
        locked = login(from_ip("192.0.2.99"), user.email)
        assert locked.status_code == 400
        assert "too_many_login_attempts" in error_codes(locked)
        assert "access_token" not in (locked.body.get("meta") or {})
        assert AuthEvent.objects.filter(kind="login_failed", reason="too_many_login_attempts").count() == 1
        assert AuthEvent.objects.filter(kind="login_failed", reason="invalid_credentials").count() == 5

    def test_successful_logins_do_not_count_as_failures(self):
        user = UserFactory()
        for _ in range(8):
            assert login(from_ip("192.0.2.50"), user.email).status_code == 200


class TestSignUp:
    def test_per_ip(self, limits):
        limits(signup="2/m/ip")
        app = from_ip("203.0.113.20")
        not_signed_in(signup(app, "one@example.com"), pending=("verify_email",))
        not_signed_in(signup(AppClient(REMOTE_ADDR="203.0.113.20"), "two@example.com"), pending=("verify_email",))
        assert_429(signup(AppClient(REMOTE_ADDR="203.0.113.20"), "three@example.com"), at_most=60)
        assert not User.objects.filter(email="three@example.com").exists()
        not_signed_in(signup(from_ip("203.0.113.21"), "three@example.com"), pending=("verify_email",))

    def test_per_email_across_addresses(self, limits):
        limits(signup_email="2/h/key")
        not_signed_in(signup(from_ip("203.0.113.30"), "target@example.com"), pending=("verify_email",))
        # the second one gets the "already exists" mail
        not_signed_in(signup(from_ip("203.0.113.31"), "target@example.com"), pending=("verify_email",))
        blocked = signup(from_ip("203.0.113.32"), "Target@Example.com")
        assert_429(blocked, at_most=3600)
        assert int(blocked["Retry-After"]) > 3500  # exact: the oldest hit leaves the hour window


class TestReset:
    def test_per_email(self, limits):
        limits(reset_password="20/m/ip,2/m/key")
        user = UserFactory()
        for ip in ("203.0.113.40", "203.0.113.41"):
            assert from_ip(ip).post("auth/password/request", {"email": user.email}).status_code == 200
        assert_429(from_ip("203.0.113.42").post("auth/password/request", {"email": user.email}), at_most=60)

    def test_per_ip(self, limits):
        limits(reset_password="2/m/ip,20/m/key")
        app = from_ip("203.0.113.50")
        for n in range(2):
            assert app.post("auth/password/request", {"email": f"p{n}@example.com"}).status_code == 200
        assert_429(app.post("auth/password/request", {"email": "p9@example.com"}), at_most=60)

    def test_reset_from_key_per_ip(self, limits):
        limits(reset_password_from_key="2/m/ip")
        app = from_ip("203.0.113.60")
        for _ in range(2):
            refused = app.post("auth/password/reset", {"key": "bogus", "password": STRONG_PASSWORD})
            assert refused.status_code == 400
            assert "invalid_password_reset" in error_codes(refused)
        assert_429(app.post("auth/password/reset", {"key": "bogus", "password": STRONG_PASSWORD}), at_most=60)


def test_other_allauth_limits_get_retry_after_too(limits):
    """Per-user limits (password change) cannot be read back per IP: Retry-After is the rate's window."""
    limits(change_password="1/m/user")
    user = UserFactory()
    app = AppClient()
    assert login(app, user.email).status_code == 200
    body = {"current_password": "wrong-password", "new_password": STRONG_PASSWORD}
    assert app.post("account/password/change", body).status_code == 400
    assert_429(app.post("account/password/change", body), at_most=60)
    assert app.post("account/password/change", body)["Retry-After"] == "60"
