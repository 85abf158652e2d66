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
    scopes = Scope.objects.filter(workspace__slug="demo-agency", project__name="Northwind relaunch")
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


def test_seed_demo_runs_the_real_flow_once(db):
    """Upload → process → extract (built-in engine) → analyse → PDF and DOCX, from the shipped RFP; a second run
    creates nothing new."""
    from io import StringIO

    from ai.models import AIRun
    from documents.models import Document
    from exports.models import Export
    from scopes.models import Scope, ScopeSection
    from workspaces.models import ActivityEvent

    def counts():
        return {
            model.__name__: model.objects.count()
            for model in (User, Workspace, Document, AIRun, Scope, ScopeSection, Export, ActivityEvent)
        }

    out = StringIO()
    call_command("seed_demo", stdout=out)
    first = counts()
    call_command("seed_demo", stdout=StringIO())
    assert counts() == first
    document = Document.objects.get(workspace__slug="demo-agency", filename="kubernetes-security-audit-2021-rfp.md")
    assert document.status == Document.Status.COMPLETED
    scope = Scope.objects.get(workspace__slug="demo-agency", title="Kubernetes third-party security audit")
    citing = [
        section
        for section in scope.sections.all()
        if any(source.get("document_id") == str(document.id) for source in section.sources or [])
    ]
    assert len(citing) >= 3
    assert AIRun.objects.filter(scope=scope, kind="analyze", status="succeeded").count() == 1
    exports = Export.objects.filter(scope=scope, status=Export.Status.SUCCEEDED)
    assert sorted(exports.values_list("format", flat=True)) == ["docx", "pdf"]
    assert "Demo flow: 1 document(s) processed" in out.getvalue()
    assert out.getvalue().count("admin@orbit.local") == 1  # every sign-in printed once
