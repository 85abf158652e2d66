"""Fixtures shared by every app's tests."""

import pytest
from rest_framework.test import APIClient

from accounts.tests.factories import UserFactory


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def auth_client(user):
    """An APIClient carrying a real simplejwt bearer token for `user`."""
    return client_for(user)


def client_for(user) -> APIClient:
    from accounts.tokens import issue_token_pair

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {issue_token_pair(user)['access_token']}")
    client.user = user
    return client


@pytest.fixture
def make_client(db):
    return client_for
