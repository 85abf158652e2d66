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


@pytest.fixture
def staff_client(client, db):
    """Django's test client signed in as a superuser, for the admin."""
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def workspace(db):
    from workspaces.tests.factories import WorkspaceFactory

    return WorkspaceFactory()


@pytest.fixture
def other_workspace(db):
    from workspaces.tests.factories import WorkspaceFactory

    return WorkspaceFactory()


@pytest.fixture
def member(workspace, make_client):
    """`member("viewer")` → an APIClient signed in as a fresh user with that role in `workspace`.

    The client has `.user` and `.membership`; "owner" returns the workspace owner's client.
    """
    from workspaces.models import Membership
    from workspaces.tests.factories import MembershipFactory

    def make(role: str = "editor", *, in_workspace=None):
        target = in_workspace or workspace
        if role == "owner":
            membership = Membership.objects.get(workspace=target, user=target.owner)
        else:
            membership = MembershipFactory(workspace=target, role=Membership.Role[role.upper()])
        client = make_client(membership.user)
        client.membership = membership
        return client

    return make
