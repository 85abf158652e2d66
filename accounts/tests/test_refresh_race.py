"""A refresh token is single-use even when two requests race with it (one SPA tab each)."""

import threading

import pytest
from django.db import connection

from accounts.tests.factories import UserFactory
from accounts.token_strategy import SimpleJWTTokenStrategy
from accounts.tokens import issue_token_pair


def test_parallel_refreshes_with_one_token_succeed_once(transactional_db):
    refresh_token = issue_token_pair(UserFactory())["refresh_token"]
    attempts = 6
    barrier = threading.Barrier(attempts)
    results = []

    def refresh():
        try:
            barrier.wait(timeout=10)
            results.append(SimpleJWTTokenStrategy().refresh_token(refresh_token))
        finally:
            connection.close()

    threads = [threading.Thread(target=refresh) for _ in range(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(results) == attempts
    winners = [result for result in results if result is not None]
    assert len(winners) == 1
    access, rotated = winners[0]
    assert rotated != refresh_token
    assert SimpleJWTTokenStrategy().refresh_token(rotated) is not None


@pytest.mark.django_db
def test_refresh_for_a_deleted_user_is_refused_not_a_crash():
    user = UserFactory()
    refresh_token = issue_token_pair(user)["refresh_token"]
    user.delete()
    assert SimpleJWTTokenStrategy().refresh_token(refresh_token) is None


@pytest.mark.django_db
def test_refresh_for_a_deactivated_user_is_refused():
    user = UserFactory()
    refresh_token = issue_token_pair(user)["refresh_token"]
    user.is_active = False
    user.save()
    assert SimpleJWTTokenStrategy().refresh_token(refresh_token) is None
