"""The brute-force limits hold across separate web processes: they share the database cache."""

import pytest
import requests
from django.core.cache import cache

from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from orbit.testing import serve


@pytest.fixture
def two_servers(transactional_db):
    """Two gunicorn processes on the test database; rows must be committed for them to see, hence transactional_db."""
    limits = {"RATE_LIMIT_LOGIN": "6/m/ip", "RATE_LIMIT_LOGIN_FAILED": "100/m/ip,3/300s/key"}
    cache.clear()  # committed counters from earlier runs must not leak in
    try:
        with serve(**limits) as first, serve(**limits) as second:
            yield [first, second]
    finally:
        cache.clear()


@pytest.mark.slow
def test_limits_are_shared_by_two_processes(two_servers):
    a, b = two_servers
    user = UserFactory()

    def login(base, password):
        # One public host name, as behind a load balancer: allauth keys the failed-login counter by site + email.
        response = requests.post(
            f"{base}/_allauth/app/v1/auth/login",
            json={"email": user.email, "password": password},
            headers={"Host": "127.0.0.1"},
            timeout=10,
        )
        codes = [error.get("code") for error in response.json().get("errors", [])] if response.content else []
        return response, codes

    # Failed-login lockout per email: 3 failures spread over both processes lock the 4th attempt anywhere.
    for base in (a, b, a):
        response, codes = login(base, "wrong-password")
        assert response.status_code == 400
        assert codes == ["email_password_mismatch"]
    response, codes = login(b, DEFAULT_PASSWORD)
    assert response.status_code == 400
    assert codes == ["too_many_login_attempts"]

    # Per-IP sign-in limit (6/m): requests 5 and 6 go through, the 7th is refused by either process.
    for base in (a, b):
        response, codes = login(base, "wrong-password")
        assert response.status_code == 400
        assert codes == ["too_many_login_attempts"]  # the email is still locked; the IP's count goes on
    for base in (a, b):
        refused, codes = login(base, DEFAULT_PASSWORD)
        assert (refused.status_code, refused.json(), codes) == (429, {"status": 429}, [])  # allauth's own answer
        assert 0 < int(refused.headers["Retry-After"]) <= 60
