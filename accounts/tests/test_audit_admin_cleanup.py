"""Audit trail in admin (read-only), and the accounts cleanup."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken

from accounts import audit
from accounts.cleanup import DEFAULT_AUTH_EVENT_RETENTION_DAYS, cleanup
from accounts.models import AuthEvent
from accounts.tests.factories import UserFactory
from orbit.testing import assert_error

pytestmark = pytest.mark.django_db


class TestAdmin:
    def test_staff_can_list_search_and_filter(self, staff_client):
        user = UserFactory(email="audited@example.com")
        audit.record(kind=AuthEvent.Kind.LOGIN_FAILED, email="audited@example.com", reason="invalid_credentials")
        audit.record(kind=AuthEvent.Kind.LOGIN_SUCCEEDED, user=user, reason="password")
        audit.record(kind=AuthEvent.Kind.SIGNED_UP, email="someone-else@example.com")
        page = staff_client.get("/admin/accounts/authevent/", {"q": "audited@"})
        assert page.status_code == 200
        assert page.context["cl"].result_count == 2
        filtered = staff_client.get("/admin/accounts/authevent/", {"kind__exact": "login_failed"})
        assert filtered.context["cl"].result_count == 1

    def test_audit_rows_are_read_only(self, staff_client):
        event = audit.record(kind=AuthEvent.Kind.SIGNED_UP, email="x@example.com")
        assert_error(staff_client.get("/admin/accounts/authevent/add/"), 403, "permission_denied")
        detail = staff_client.get(f"/admin/accounts/authevent/{event.pk}/change/")
        assert detail.status_code == 200  # viewable
        staff_client.post(f"/admin/accounts/authevent/{event.pk}/change/", {"email": "tampered@example.com"})
        staff_client.post(f"/admin/accounts/authevent/{event.pk}/delete/", {"post": "yes"})
        event.refresh_from_db()
        assert event.email == "x@example.com"

    def test_non_staff_cannot_see_the_audit(self, client):
        client.force_login(UserFactory())
        response = client.get("/admin/accounts/authevent/")
        assert response.status_code == 302  # to the admin login


class TestCleanup:
    def test_removes_expired_tokens_and_old_audit_rows_only(self):
        user = UserFactory()
        now = timezone.now()
        live = RefreshToken.for_user(user)
        expired = RefreshToken.for_user(user)
        expired_blacklisted = RefreshToken.for_user(user)
        expired_blacklisted.blacklist()
        live_blacklisted = RefreshToken.for_user(user)
        live_blacklisted.blacklist()
        OutstandingToken.objects.filter(jti__in=[expired["jti"], expired_blacklisted["jti"]]).update(
            expires_at=now - dt.timedelta(seconds=1)
        )
        old = audit.record(kind=AuthEvent.Kind.SIGNED_UP, user=user)
        recent = audit.record(kind=AuthEvent.Kind.LOGIN_SUCCEEDED, user=user)
        AuthEvent.objects.filter(pk=old.pk).update(
            created_at=now - dt.timedelta(days=DEFAULT_AUTH_EVENT_RETENTION_DAYS + 1)
        )

        assert cleanup(now=now) == {
            "expired_refresh_tokens": 2,
            "expired_blacklist_entries": 1,
            "auth_events_past_retention": 1,
        }
        assert set(OutstandingToken.objects.values_list("jti", flat=True)) == {live["jti"], live_blacklisted["jti"]}
        assert BlacklistedToken.objects.get().token.jti == live_blacklisted["jti"]
        assert list(AuthEvent.objects.all()) == [recent]
        assert cleanup(now=now) == {
            "expired_refresh_tokens": 0,
            "expired_blacklist_entries": 0,
            "auth_events_past_retention": 0,
        }

    def test_retention_is_configurable(self, settings):
        settings.AUTH_EVENT_RETENTION_DAYS = 7
        event = audit.record(kind=AuthEvent.Kind.SIGNED_UP, email="a@example.com")
        AuthEvent.objects.filter(pk=event.pk).update(created_at=timezone.now() - dt.timedelta(days=8))
        assert cleanup(now=timezone.now())["auth_events_past_retention"] == 1

    def test_cleanup_command_runs_it(self):
        from io import StringIO

        from django.core.management import call_command

        out = StringIO()
        call_command("cleanup", stdout=out)
        assert "accounts: expired_refresh_tokens: 0" in out.getvalue()


class TestAuditRecord:
    def test_trusts_forwarded_for_only_behind_configured_proxies(self, rf, settings):
        request = rf.get("/", HTTP_X_FORWARDED_FOR="1.2.3.4", REMOTE_ADDR="10.0.0.1", HTTP_USER_AGENT="a" * 600)
        event = audit.record(kind=AuthEvent.Kind.LOGIN_FAILED, request=request, email=" Mixed@Example.COM ")
        assert (event.ip_address, event.email, len(event.user_agent)) == ("10.0.0.1", "mixed@example.com", 500)
        settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
        event = audit.record(kind=AuthEvent.Kind.LOGIN_FAILED, request=request, email="x@example.com")
        assert event.ip_address == "1.2.3.4"
