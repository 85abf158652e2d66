"""orbit.updates.apply_changes: only what changed is saved and reported, PUT resets omitted fields to their
defaults, a relation may be given as an object or an id, and the diff is taken against the locked row."""

import pytest
from django.core.exceptions import ValidationError

from orbit.updates import apply_changes, put_values
from scopes.models import Project, Scope
from scopes.tests.factories import ProjectFactory, ScopeFactory

pytestmark = pytest.mark.django_db

FIELDS = ("name", "client_name", "description")


def test_only_changed_fields_are_saved_and_returned(workspace, django_assert_num_queries):
    project = ProjectFactory(workspace=workspace, name="A", client_name="C", description="D")
    before = Project.objects.get(pk=project.pk).updated_at
    # lock + one UPDATE
    with django_assert_num_queries(2 + 2):  # + savepoint and its release (the helper's own atomic block)
        changed = apply_changes(project, {"name": "A", "description": "New"}, fields=FIELDS)
    assert changed == ["description"]
    row = Project.objects.get(pk=project.pk)
    assert (row.name, row.description) == ("A", "New")
    assert row.updated_at > before


def test_nothing_changed_writes_nothing(workspace, django_assert_num_queries):
    project = ProjectFactory(workspace=workspace, name="A")
    updated_at = Project.objects.get(pk=project.pk).updated_at
    with django_assert_num_queries(1 + 2):  # the lock only
        assert apply_changes(project, {"name": "A"}, fields=FIELDS) == []
    assert Project.objects.get(pk=project.pk).updated_at == updated_at


def test_the_diff_is_against_the_row_not_a_stale_copy(workspace):
    """Last write wins without If-Match: a value equal to the caller's stale copy but not to the row is written."""
    project = ProjectFactory(workspace=workspace, name="A")
    stale = Project.objects.get(pk=project.pk)
    apply_changes(project, {"name": "B"}, fields=FIELDS)
    assert apply_changes(stale, {"name": "A"}, fields=FIELDS) == ["name"]
    assert Project.objects.get(pk=project.pk).name == "A"


def test_put_resets_omitted_fields_to_their_defaults(workspace):
    project = ProjectFactory(workspace=workspace, name="A", client_name="C", description="D")
    assert put_values(Project, {"name": "A"}, FIELDS) == {"client_name": "", "description": "", "name": "A"}
    assert apply_changes(project, {"name": "A"}, fields=FIELDS, replace=True) == ["client_name", "description"]
    assert (project.client_name, project.description) == ("", "")


def test_a_relation_by_object_or_by_id(workspace):
    first, second = ProjectFactory(workspace=workspace), ProjectFactory(workspace=workspace)
    scope = ScopeFactory(workspace=workspace, project=first)
    assert apply_changes(scope, {"project": second}, fields=("project",)) == ["project"]
    assert scope.project == second
    assert apply_changes(scope, {"project_id": first.pk}, fields=("project",)) == ["project"]
    assert scope.project == first  # the stale cached relation was dropped
    assert apply_changes(scope, {"project": None}, fields=("project",)) == ["project"]
    assert Scope.objects.get(pk=scope.pk).project_id is None


def test_unknown_fields_are_a_programming_error(workspace):
    project = ProjectFactory(workspace=workspace)
    with pytest.raises(ValueError, match="status"):
        apply_changes(project, {"status": "archived"}, fields=FIELDS)


def test_changed_fields_are_validated_and_nothing_is_saved_when_invalid(workspace):
    project = ProjectFactory(workspace=workspace, name="A")
    with pytest.raises(ValidationError) as raised:
        apply_changes(project, {"name": ""}, fields=FIELDS)
    assert "name" in raised.value.message_dict
    assert Project.objects.get(pk=project.pk).name == "A"


# --- Every update service over HTTP: a PATCH that changes nothing writes nothing and records nothing ----------


def _project(workspace):
    project = ProjectFactory(workspace=workspace, name="Same")
    return project, f"projects/{project.pk}/", {"name": "Same"}, {"name": "Other"}


def _scope(workspace):
    scope = ScopeFactory(workspace=workspace, title="Same")
    return scope, f"scopes/{scope.pk}/", {"title": "Same"}, {"title": "Other"}


def _section(workspace):
    from scopes.tests.factories import ScopeSectionFactory

    section = ScopeSectionFactory(scope=ScopeFactory(workspace=workspace), title="Same")
    return section, f"scopes/{section.scope_id}/sections/{section.pk}/", {"title": "Same"}, {"title": "Other"}


def _template(workspace):
    from templates.tests.factories import TemplateFactory

    template = TemplateFactory(workspace=workspace, name="Same")
    return template, f"templates/{template.pk}/", {"name": "Same"}, {"name": "Other"}


def _document(workspace):
    from documents.tests.factories import DocumentFactory

    document = DocumentFactory(workspace=workspace, filename="same.pdf")
    return document, f"documents/{document.pk}/", {"filename": "same.pdf"}, {"filename": "other.pdf"}


def _workspace(workspace):
    return workspace, "", {"name": workspace.name}, {"name": "Other name"}


@pytest.mark.parametrize(
    ("build", "verb"),
    [
        pytest.param(_project, "project.updated", id="project"),
        pytest.param(_scope, "scope.updated", id="scope"),
        pytest.param(_section, "scope.updated", id="section"),
        pytest.param(_template, "template.updated", id="template"),
        pytest.param(_document, "document.updated", id="document"),
        pytest.param(_workspace, "workspace.updated", id="workspace"),
    ],
)
def test_activity_only_for_real_changes(build, verb, member, workspace):
    from workspaces.models import ActivityEvent

    client = member("owner")
    instance, path, same, other = build(workspace)
    url = f"/api/workspaces/{workspace.pk}/{path}"
    before = type(instance).objects.get(pk=instance.pk)

    response = client.patch(url, same, format="json")
    assert response.status_code == 200, response.json()
    after = type(instance).objects.get(pk=instance.pk)
    assert after.updated_at == before.updated_at  # not even saved
    assert getattr(after, "version", None) == getattr(before, "version", None)
    assert not ActivityEvent.objects.filter(verb=verb).exists()

    response = client.patch(url, other, format="json")
    assert response.status_code == 200, response.json()
    event = ActivityEvent.objects.get(verb=verb)
    assert event.metadata["fields"] == list(other)
