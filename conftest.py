"""Fixtures shared by every app's tests, and the API contract every test's responses are held to."""

import os

import pytest
from rest_framework.test import APIClient

from accounts.tests.factories import UserFactory

CONTRACT = pytest.StashKey()


@pytest.fixture(scope="session", autouse=True)
def api_contract(request):
    """Every /api/ response of the test client (and of a local server over `requests`) is checked against the
    OpenAPI schema (`orbit/contract.py`); a response that breaks it fails the test that received it."""
    from drf_spectacular.generators import SchemaGenerator

    from orbit.contract import Contract, hold_test_client_to

    contract = Contract(SchemaGenerator().get_schema(request=None, public=True))
    request.config.stash[CONTRACT] = contract
    with hold_test_client_to(contract):
        yield contract


def pytest_sessionfinish(session):
    """Fails the run on any contract problem, even one a test swallowed (a request in a thread); writes the
    report (seen, unmatched, documented but never seen) to $ORBIT_CONTRACT_REPORT when set."""
    contract = session.config.stash.get(CONTRACT, None)
    if contract is None:
        return
    if os.environ.get("ORBIT_CONTRACT_REPORT"):
        with open(os.environ["ORBIT_CONTRACT_REPORT"], "w") as report:
            report.write(contract.report())
    if contract.problems and session.exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, config):
    contract = config.stash.get(CONTRACT, None)
    if contract is None:
        return
    terminalreporter.write_line(
        f"API contract: {len(contract.seen)} (method, path, status) checked, {len(contract.problems)} problems"
        + ("" if os.environ.get("ORBIT_CONTRACT_REPORT") else " (ORBIT_CONTRACT_REPORT=<file> for the full report)")
    )
    for problem in contract.problems:
        terminalreporter.write_line(f"  {problem}", red=True)


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
