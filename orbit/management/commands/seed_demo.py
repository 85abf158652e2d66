"""Idempotent demo data: verified demo users (owner, editor, viewer) in a demo workspace on the Team plan,
with a client project and scopes drafted from the public templates, and a staff account for /admin/. Then the
real flow (orbit/demo/flow.py): an openly licensed RFP shipped in orbit/demo/ is uploaded, processed, read into a
scope by the built-in AI engine, analysed and exported as PDF and DOCX, all synchronously here.

Running it again changes nothing; it only fills in what is missing. It refuses to run in production: every
account it makes has a published password.
"""

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import User
from orbit.demo import flow
from scopes.models import Project, Scope
from scopes.services.comments import add_comment
from scopes.services.projects import create_project
from scopes.services.scopes import create_scope, transition_scope
from templates.models import Template
from workspaces.models import Membership, Workspace

DEMO_PASSWORD = "orbit-demo-password"
DEMO_USERS = [
    ("demo@orbit.local", "Dana Demo", Membership.Role.OWNER),
    ("editor@orbit.local", "Eli Editor", Membership.Role.EDITOR),
    ("viewer@orbit.local", "Vic Viewer", Membership.Role.VIEWER),
]
STAFF_EMAIL = "admin@orbit.local"  # Django admin only; a member of no workspace


class Command(BaseCommand):
    help = "Create demo users and a demo workspace (idempotent)."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("seed_demo makes accounts with a published password; it does not run in production.")
        workspace, owner = self.seed_accounts()
        # Outside the accounts' transaction: storage I/O and the workers' own claims and transactions, as in production.
        held = flow.seed(workspace=workspace, owner=owner)
        exports = ", ".join(f"{export.format} {export.status}" for export in held["exports"])
        self.stdout.write(
            f"Demo flow: {len(held['documents'])} document(s) processed, scope {held['scope'].title!r} "
            f"({held['scope'].id}, {held['scope'].sections.count()} sections), analysis {held['analysis'].status}, "
            f"exports: {exports}."
        )

    @transaction.atomic
    def seed_accounts(self):
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
            defaults={
                "name": "Demo Agency",
                "owner": owner,
                "industry": "Digital agency",
                "team_size": "2-10",
                "plan": "team",
            },
        )
        for email, _full_name, role in DEMO_USERS:
            Membership.objects.get_or_create(workspace=workspace, user=users[email], defaults={"role": role})
        self.seed_scopes(workspace=workspace, owner=owner, editor=users["editor@orbit.local"])
        self.seed_staff()

        self.stdout.write(
            f"Demo data ready: sign in as demo@orbit.local (owner), editor@orbit.local or viewer@orbit.local "
            f"with password {DEMO_PASSWORD!r}; workspace {workspace.name} ({workspace.id}). "
            f"Django admin (/admin/): {STAFF_EMAIL} with the same password."
        )
        return workspace, owner

    def seed_staff(self):
        staff = User.objects.filter(email=STAFF_EMAIL).first()
        if staff is None:
            staff = User.objects.create_superuser(STAFF_EMAIL, DEMO_PASSWORD, full_name="Ada Admin")
        EmailAddress.objects.get_or_create(user=staff, email=STAFF_EMAIL, defaults={"verified": True, "primary": True})

    def seed_scopes(self, *, workspace, owner, editor):
        project = Project.objects.filter(workspace=workspace, name="Northwind relaunch").first()
        if project is None:
            project = create_project(
                workspace=workspace,
                actor=owner,
                name="Northwind relaunch",
                client_name="Northwind Traders",
                description="Website redesign and a companion mobile app for a wholesale food distributor.",
            )
        for template_name, title, status in DEMO_SCOPES:
            if Scope.objects.filter(workspace=workspace, title=title).exists():
                continue
            template = Template.objects.filter(workspace__isnull=True, name__icontains=template_name).first()
            scope = create_scope(
                workspace=workspace,
                actor=owner,
                title=title,
                project=project,
                template=template,
                summary=f"{title} for Northwind Traders, drafted from the public {template_name} template.",
            )
            for step in status:
                scope = transition_scope(scope=scope, actor=owner, status=step)
            add_comment(scope=scope, author=editor, body="First pass looks right; timeline needs the client's dates.")


# (public template name contains, scope title, status transitions to apply)
DEMO_SCOPES = [
    ("website", "Northwind website redesign", ["in_review"]),
    ("mobile", "Northwind ordering app", []),
]
