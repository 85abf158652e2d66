import datetime as dt

import pytest


@pytest.fixture
def clock(time_machine):
    """A ticking clock the test can move forward with `clock.shift(seconds)`."""
    time_machine.move_to(dt.datetime.now(dt.UTC), tick=True)
    return time_machine


GOOGLE_CLIENT_ID = "orbit-web.apps.googleusercontent.com"
GOOGLE_CLIENT_SECRET = "fake-google-secret"


@pytest.fixture(scope="session")
def google_server():
    from accounts.tests.fake_google import FakeGoogle

    server = FakeGoogle(client_id=GOOGLE_CLIENT_ID, client_secret=GOOGLE_CLIENT_SECRET).start()
    yield server
    server.stop()


@pytest.fixture
def google(google_server, db, monkeypatch):
    """Google configured as a SocialApp row, with allauth's Google URLs pointed at the local stand-in.

    allauth reads these URLs from SOCIALACCOUNT_PROVIDERS at import time, so they are set on its module and
    adapter class here (the same values the settings would carry).
    """
    from allauth.socialaccount.models import SocialApp
    from allauth.socialaccount.providers.google import views as google_views

    monkeypatch.setattr(google_views, "CERTS_URL", google_server.certs_url)
    monkeypatch.setattr(google_views.GoogleOAuth2Adapter, "access_token_url", google_server.token_url)
    monkeypatch.setattr(google_views.GoogleOAuth2Adapter, "authorize_url", google_server.authorize_url)
    SocialApp.objects.create(provider="google", name="Google", client_id=GOOGLE_CLIENT_ID, secret=GOOGLE_CLIENT_SECRET)
    google_server.codes.clear()
    google_server.token_requests.clear()
    saved_profile = dict(google_server.profile)
    yield google_server
    google_server.profile = saved_profile
