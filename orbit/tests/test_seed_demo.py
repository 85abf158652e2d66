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
