"""Sign-up with the settings a fresh checkout runs with behaves as in production (issue 9 item 12): verification
is mandatory, the verification mail is printed to the console, and a repeated sign-up reveals nothing.
(orbit.test_settings no longer forces "mandatory": these run with the local default.)"""

import pytest
from django.conf import settings
from django.core import mail

from accounts.models import User
from accounts.tests.helpers import STRONG_PASSWORD, AppClient, error_codes, not_signed_in

pytestmark = pytest.mark.django_db

SIGN_UP = {"email": "twice@example.com", "password": STRONG_PASSWORD, "full_name": "Tess Twice"}


def test_the_default_is_mandatory_verification():
    assert settings.ACCOUNT_EMAIL_VERIFICATION == "mandatory"


def pending_flows(response):
    return [flow["id"] for flow in response.body["data"]["flows"] if flow.get("is_pending")]


def test_a_repeated_sign_up_answers_exactly_like_the_first():
    first = AppClient().post("auth/signup", SIGN_UP)
    again = AppClient().post("auth/signup", SIGN_UP)
    assert first.status_code == again.status_code == 401
    assert pending_flows(first) == pending_flows(again) == ["verify_email"]
    assert "email_taken" not in error_codes(again)
    assert {k: v for k, v in first.body.items() if k != "meta"} == {k: v for k, v in again.body.items() if k != "meta"}
    assert set(first.body["meta"]) == set(again.body["meta"]) == {"is_authenticated", "session_token"}
    assert User.objects.filter(email="twice@example.com").count() == 1
    assert {tuple(message.to) for message in mail.outbox} == {("twice@example.com",)}  # nobody else is told


def test_the_verification_mail_is_printed_to_the_console_locally(settings, capsys):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"  # the local default
    not_signed_in(
        AppClient().post("auth/signup", {**SIGN_UP, "email": "console@example.com"}), pending=("verify_email",)
    )
    printed = capsys.readouterr().out
    assert "To: console@example.com" in printed
    assert f"{settings.FRONTEND_URL}/verify-email/" in printed
