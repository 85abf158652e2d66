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
