"""Idempotent demo data: a verified demo user who owns a demo workspace with a teammate.

Running it again changes nothing; it only fills in what is missing.
"""

from allauth.account.models import EmailAddress
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.models import User
from workspaces.models import Membership, Workspace

DEMO_PASSWORD = "orbit-demo-password"
DEMO_USERS = [
    ("demo@orbit.local", "Dana Demo", Membership.Role.OWNER),
    ("editor@orbit.local", "Eli Editor", Membership.Role.EDITOR),
    ("viewer@orbit.local", "Vic Viewer", Membership.Role.VIEWER),
]


class Command(BaseCommand):
    help = "Create demo users and a demo workspace (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options):
        users = {}
        for email, full_name, _role in DEMO_USERS:
            user, created = User.objects.get_or_create(email=email, defaults={"full_name": full_name})
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save(update_fields=["password"])
            EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
            users[email] = user

        owner = users["demo@orbit.local"]
        workspace, _ = Workspace.objects.get_or_create(
            slug="demo-agency",
            defaults={"name": "Demo Agency", "owner": owner, "industry": "Digital agency", "team_size": "2-10"},
        )
        for email, _full_name, role in DEMO_USERS:
            Membership.objects.get_or_create(workspace=workspace, user=users[email], defaults={"role": role})

        self.stdout.write(
            f"Demo data ready: sign in as demo@orbit.local (owner), editor@orbit.local or viewer@orbit.local "
            f"with password {DEMO_PASSWORD!r}; workspace {workspace.name} ({workspace.id})."
        )
