from django.core.management import call_command

from accounts.models import User
from workspaces.models import Membership, Workspace


def test_seed_demo_is_idempotent(db):
    call_command("seed_demo", stdout=None)
    counts = (User.objects.count(), Workspace.objects.count(), Membership.objects.count())
    call_command("seed_demo", stdout=None)
    assert (User.objects.count(), Workspace.objects.count(), Membership.objects.count()) == counts
    workspace = Workspace.objects.get(slug="demo-agency")
    assert workspace.memberships.get(user__email="demo@orbit.local").role == Membership.Role.OWNER
    assert User.objects.get(email="viewer@orbit.local").check_password("orbit-demo-password")


def test_seed_demo_drafts_scopes_from_public_templates(db):
    from scopes.models import Scope
    from templates.tests.factories import seed_public_templates

    seed_public_templates()  # a transactional test earlier in a reused database may have flushed them
    call_command("seed_demo", stdout=None)
    call_command("seed_demo", stdout=None)
    scopes = Scope.objects.filter(workspace__slug="demo-agency")
    assert scopes.count() == 2
    website = scopes.get(title="Northwind website redesign")
    assert website.status == "in_review"
    assert website.sections.count() >= 5
    assert website.comments.count() == 1


def test_seed_demo_makes_a_staff_account_that_opens_the_admin(db, client):
    from io import StringIO

    out = StringIO()
    call_command("seed_demo", stdout=out)
    call_command("seed_demo", stdout=StringIO())
    staff = User.objects.get(email="admin@orbit.local")
    assert (staff.is_staff, staff.is_superuser) == (True, True)
    assert not staff.memberships.exists()
    assert "admin@orbit.local" in out.getvalue()  # printed with the other demo accounts
    assert client.login(username="admin@orbit.local", password="orbit-demo-password")
    assert client.get("/admin/").status_code == 200


def test_seed_demo_refuses_to_run_in_production(db, settings):
    import pytest
    from django.core.management.base import CommandError

    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        call_command("seed_demo", stdout=None)
    assert not User.objects.filter(email__endswith="@orbit.local").exists()
