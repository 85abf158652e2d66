"""The hot reads run as prepared statements (DB_SERVER_SIDE_BINDING, on by default): psycopg prepares a query the
fifth time a connection runs it, so PostgreSQL stops parsing and planning the same SQL on every request."""

import pytest
from django.conf import settings
from django.db import connection

from scopes.tests.factories import ScopeFactory

pytestmark = pytest.mark.django_db


def prepared_statements(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s", [f"%{table}%"])
        return cursor.fetchone()[0]


def test_server_side_binding_and_prepared_statements_are_the_default():
    options = settings.DATABASES["default"]["OPTIONS"]
    assert (options["server_side_binding"], options["prepare_threshold"]) == (True, 5)


def test_the_scope_list_becomes_a_prepared_statement_after_a_few_requests(workspace, member):
    client = member("viewer")
    ScopeFactory.create_batch(3, workspace=workspace)
    assert prepared_statements("scopes_scope") == 0
    for _ in range(6):
        response = client.get(f"/api/workspaces/{workspace.pk}/scopes/")
        assert response.status_code == 200
        assert len(response.json()["results"]) == 3
    assert prepared_statements("scopes_scope") >= 1
