"""scripts/fuzz_bodies.py against a real server: every operation of both APIs, nested and malformed bodies, no 5xx
and nothing outside JSON (issue 9: "the fuzz script also sends deeply nested and malformed bodies")."""

import pytest

from orbit.testing import serve
from scripts import fuzz_bodies

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_every_operation_survives_nested_and_malformed_bodies(workspace):
    from accounts.tokens import issue_token_pair
    from scopes.tests.factories import ScopeFactory

    scope = ScopeFactory(workspace=workspace)
    token = issue_token_pair(workspace.owner)["access_token"]
    with serve(DEBUG="true") as url:
        sent, failures = fuzz_bodies.run(url, token=token, workspace_id=str(workspace.pk), scope_id=str(scope.pk))
    assert failures == []
    assert sent > 300  # every operation of both schemas, several bodies each
