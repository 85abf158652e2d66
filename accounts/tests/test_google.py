"""Google sign-in both ways, against a local stand-in for Google (never the real one)."""

import time
from urllib.parse import parse_qs, urlparse

import pytest
import requests
from allauth.socialaccount.models import SocialAccount
from django.conf import settings
from django.test import Client
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

from accounts.models import AuthEvent, User
from accounts.tests.conftest import GOOGLE_CLIENT_ID
from accounts.tests.factories import UserFactory
from accounts.tests.fake_google import make_key_and_cert
from accounts.tests.helpers import AppClient, allauth_error, bearer, error_codes, not_signed_in
from orbit.testing import assert_error

pytestmark = pytest.mark.django_db


def token_login(app, id_token, client_id=GOOGLE_CLIENT_ID):
    return app.post(
        "auth/provider/token",
        {"provider": "google", "process": "login", "token": {"client_id": client_id, "id_token": id_token}},
    )


class TestIdTokenFlow:
    def test_good_token_signs_up_and_hands_out_tokens(self, google, client):
        app = AppClient()
        response = token_login(app, google.id_token())
        assert response.status_code == 200, response.body
        meta = response.body["meta"]
        assert {"access_token", "refresh_token", "session_token"} <= {k for k, v in meta.items() if v}
        assert google.cert_requests > 0  # the signature was checked against the served certificate
        user = User.objects.get(email="grace@example.com")
        assert user.full_name == "Grace Hopper"
        assert SocialAccount.objects.get(user=user).uid == "1122334455"
        me = client.get("/api/me/", **bearer(meta["access_token"])).json()
        assert me["email_verified"] is True
        assert AuthEvent.objects.filter(kind="signed_up", user=user, reason="google").exists()
        assert AuthEvent.objects.filter(kind="login_succeeded", user=user, reason="google").exists()

    def test_existing_password_account_is_signed_in_not_duplicated(self, google):
        user = UserFactory(email="grace@example.com")
        response = token_login(AppClient(), google.id_token())
        assert response.status_code == 200, response.body
        assert User.objects.count() == 1
        assert SocialAccount.objects.get().user == user

    def test_short_issuer_form_is_accepted(self, google):
        response = token_login(AppClient(), google.id_token(iss="accounts.google.com"))
        assert response.status_code == 200, response.body

    @pytest.mark.parametrize(
        "overrides",
        [
            pytest.param({"exp": int(time.time()) - 60, "iat": int(time.time()) - 3700}, id="expired"),
            pytest.param({"aud": "someone-else.apps.googleusercontent.com"}, id="wrong-audience"),
            pytest.param({"iss": "https://evil.example.com"}, id="wrong-issuer"),
        ],
    )
    def test_bad_claims_are_refused(self, google, overrides):
        response = token_login(AppClient(), google.id_token(**overrides))
        assert response.status_code == 400
        assert "invalid_token" in error_codes(response)
        assert not User.objects.exists()

    def test_badly_signed_token_is_refused(self, google):
        other_key, _ = make_key_and_cert()
        forged = google.id_token(key=other_key)  # right kid, wrong key
        response = token_login(AppClient(), forged)
        assert response.status_code == 400
        assert "invalid_token" in error_codes(response)
        assert not User.objects.exists()

    def test_unknown_key_id_is_refused(self, google):
        response = token_login(AppClient(), google.id_token(kid="not-a-google-key"))
        allauth_error(response, 400, "invalid_token")
        assert not User.objects.exists()

    def test_tampered_payload_is_refused(self, google):
        header, payload, signature = google.id_token().split(".")
        _, other_payload, _ = google.id_token(email="mallory@example.com").split(".")
        response = token_login(AppClient(), f"{header}.{other_payload}.{signature}")
        allauth_error(response, 400, "invalid_token")
        assert not User.objects.filter(email="mallory@example.com").exists()

    def test_replayed_token_is_refused(self, google):
        token = google.id_token()
        assert token_login(AppClient(), token).status_code == 200
        again = token_login(AppClient(), token)
        assert again.status_code == 400
        assert "invalid_token" in error_codes(again)

    def test_unconfigured_client_id_is_refused(self, google):
        response = token_login(AppClient(), google.id_token(), client_id="unknown.apps.googleusercontent.com")
        allauth_error(response, 400, "invalid_token")
        assert not User.objects.exists()

    def test_unverified_google_email_gets_no_tokens(self, google):
        app = AppClient()
        response = token_login(app, google.id_token(email_verified=False))
        not_signed_in(response, pending=("verify_email",))
        assert not OutstandingToken.objects.exists()


def browser_client_with_csrf() -> Client:
    client = Client(enforce_csrf_checks=True)
    assert client.get("/_allauth/browser/v1/config").status_code == 200
    return client


def start_redirect(client: Client, callback_url="/signed-in"):
    return client.post(
        "/_allauth/browser/v1/auth/provider/redirect",
        {
            "provider": "google",
            "callback_url": callback_url,
            "process": "login",
            "csrfmiddlewaretoken": client.cookies["csrftoken"].value,
        },
    )


class TestRedirectFlow:
    def test_code_exchange_then_session_exchange(self, google):
        browser = browser_client_with_csrf()
        started = start_redirect(browser)
        assert started.status_code == 302
        to_google = urlparse(started["Location"])
        assert to_google.netloc == urlparse(google.base_url).netloc
        params = parse_qs(to_google.query)
        assert params["redirect_uri"] == ["http://testserver/accounts/google/login/callback/"]
        assert params["code_challenge_method"] == ["S256"]

        # "Google" authenticates the person and sends the browser back with a code.
        consent = requests.get(started["Location"], allow_redirects=False, timeout=5)
        assert consent.status_code == 302
        back = urlparse(consent.headers["Location"])
        finished = browser.get(back.path, parse_qs(back.query) | {})
        assert finished.status_code == 302
        assert finished["Location"] == "/signed-in"
        exchange_form = google.token_requests[-1]
        assert exchange_form["code_verifier"]  # PKCE verifier sent and accepted

        session = browser.get("/_allauth/browser/v1/auth/session")
        assert session.status_code == 200
        assert session.json()["data"]["user"]["email"] == "grace@example.com"

        # The SPA trades the cookie session for its token pair (CSRF-checked like any cookie write).
        refused = browser.post("/api/auth/token/", content_type="application/json")
        assert_error(refused, 403, "csrf_failed")
        assert not OutstandingToken.objects.exists()
        traded = browser.post(
            "/api/auth/token/", content_type="application/json", HTTP_X_CSRFTOKEN=browser.cookies["csrftoken"].value
        )
        assert traded.status_code == 200, traded.content
        pair = traded.json()
        assert Client().get("/api/me/", **bearer(pair["access_token"])).json()["email"] == "grace@example.com"
        # ... and from now on holds exactly what the app-client flows hand out.
        app = AppClient()
        assert app.get("auth/session", session_token=pair["session_token"]).status_code == 200
        assert app.post("tokens/refresh", {"refresh_token": pair["refresh_token"]}).status_code == 200
        ended = browser.get("/_allauth/browser/v1/auth/session")
        ended.body = ended.json()
        not_signed_in(ended)  # cookie session ended
        assert AuthEvent.objects.filter(kind="tokens_exchanged", reason="cookie").exists()

    def test_bad_code_redirects_with_error_and_nothing_to_exchange(self, google):
        browser = browser_client_with_csrf()
        started = start_redirect(browser)
        state = parse_qs(urlparse(started["Location"]).query)["state"][0]
        finished = browser.get("/accounts/google/login/callback/", {"code": "forged-code", "state": state})
        assert finished.status_code == 302
        assert finished["Location"].startswith("/signed-in?error=")
        response = browser.post(
            "/api/auth/token/", content_type="application/json", HTTP_X_CSRFTOKEN=browser.cookies["csrftoken"].value
        )
        assert_error(response, 401, "not_authenticated")
        assert not User.objects.exists()

    def test_forged_state_is_refused(self, google):
        browser = browser_client_with_csrf()
        start_redirect(browser)
        consent = requests.get(
            f"{google.authorize_url}?client_id={GOOGLE_CLIENT_ID}&response_type=code&state=forged"
            "&redirect_uri=http://testserver/accounts/google/login/callback/",
            allow_redirects=False,
            timeout=5,
        )
        back = urlparse(consent.headers["Location"])
        finished = browser.get(back.path, {k: v[0] for k, v in parse_qs(back.query).items()})
        assert not User.objects.exists()
        exchange = browser.post(
            "/api/auth/token/", content_type="application/json", HTTP_X_CSRFTOKEN=browser.cookies["csrftoken"].value
        )
        assert_error(exchange, 401, "not_authenticated")
        assert finished.status_code == 302
        assert finished["Location"].startswith(f"{settings.FRONTEND_URL}/login/error?error=")
        assert google.token_requests == []  # the code was never sent to the token endpoint

    def test_external_callback_url_must_be_trusted(self, google):
        browser = browser_client_with_csrf()
        response = start_redirect(browser, callback_url="https://evil.example.com/steal")
        assert response.status_code == 302
        assert response["Location"].startswith(f"{settings.FRONTEND_URL}/login/error?error=")
        assert "evil.example.com" not in response["Location"]


def test_the_spa_origin_is_a_valid_callback(google):
    browser = browser_client_with_csrf()
    callback = f"{settings.FRONTEND_URL}/auth/google/done"
    started = start_redirect(browser, callback_url=callback)
    assert started.status_code == 302
    assert started["Location"].startswith(google.authorize_url)
    consent = requests.get(started["Location"], allow_redirects=False, timeout=5)
    back = urlparse(consent.headers["Location"])
    finished = browser.get(back.path, {k: v[0] for k, v in parse_qs(back.query).items()})
    assert finished["Location"] == callback
