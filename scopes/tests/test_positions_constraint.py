"""Section positions are 0..n-1 per scope by database constraint, whoever writes them (scopes.migrations.0002)."""

import psycopg
import pytest
from django.db import IntegrityError, transaction

from orbit.testing import raw_connection
from scopes.models import ScopeSection
from scopes.services.sections import delete_section, reorder_sections
from scopes.tests.factories import ScopeFactory, ScopeSectionFactory

pytestmark = pytest.mark.django_db(transaction=True)


def positions(scope):
    return list(ScopeSection.objects.filter(scope=scope).order_by("position").values_list("position", flat=True))


@pytest.fixture
def scope(workspace):
    scope = ScopeFactory(workspace=workspace)
    ScopeSectionFactory.create_batch(3, scope=scope)
    return scope


def test_a_gap_left_by_a_raw_delete_is_refused_at_commit(scope):
    with pytest.raises(IntegrityError, match="section positions"), transaction.atomic():
        ScopeSection.objects.filter(scope=scope, position=1).delete()
    assert positions(scope) == [0, 1, 2]


def test_a_section_appended_past_the_end_is_refused(scope):
    with pytest.raises(IntegrityError, match="section positions"):
        ScopeSectionFactory(scope=scope, position=4)
    assert positions(scope) == [0, 1, 2]


def test_moving_positions_inside_a_transaction_is_fine(scope, member):
    first = ScopeSection.objects.get(scope=scope, position=0)
    actor = member("editor").user
    delete_section(section=first, actor=actor)
    order = list(ScopeSection.objects.filter(scope=scope).order_by("-position").values_list("pk", flat=True))
    reorder_sections(scope=scope, actor=actor, order=order)
    assert positions(scope) == [0, 1]
    scope.delete()  # its sections go with it; an empty scope is dense
    assert not ScopeSection.objects.exists()


def test_two_writers_that_skip_the_scope_lock_cannot_commit_a_gap_together(scope):
    """Each transaction alone leaves 0..n-1; both together would leave a gap. The second commit is refused."""
    with raw_connection() as appender, raw_connection() as deleter:
        appender.execute(
            "INSERT INTO scopes_scopesection (id, created_at, updated_at, scope_id, section_type, title, content,"
            " position, ai_generated, sources, version)"
            " VALUES (gen_random_uuid(), now(), now(), %s, 'custom', 'Appended', '', 3, false, '[]', 1)",
            [scope.pk],
        )
        deleter.execute("DELETE FROM scopes_scopesection WHERE scope_id = %s AND position = 0", [scope.pk])
        deleter.execute(
            "UPDATE scopes_scopesection SET position = position - 1 WHERE scope_id = %s AND position > 0", [scope.pk]
        )
        appender.commit()
        with pytest.raises(psycopg.errors.CheckViolation):
            deleter.commit()
    assert positions(scope) == [0, 1, 2, 3]
