import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from orbit.models import IdempotencyKey
from scopes.tests.factories import CommentFactory, FavouriteFactory, ProjectFactory, ScopeSectionFactory
from templates.tests.factories import TemplateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize(
    "model",
    [
        "scopes.project",
        "scopes.scope",
        "scopes.scopesection",
        "scopes.comment",
        "scopes.favourite",
        "scope_templates.template",
        "orbit.idempotencykey",
    ],
)
def test_admin_changelist_search_filter_and_change_page(staff_client, workspace, model):
    section = ScopeSectionFactory(workspace=workspace, title="Findable")
    objects = {
        "scopes.project": ProjectFactory(workspace=workspace, name="Findable"),
        "scopes.scope": section.scope,
        "scopes.scopesection": section,
        "scopes.comment": CommentFactory(scope=section.scope, body="Findable"),
        "scopes.favourite": FavouriteFactory(scope=section.scope),
        "scope_templates.template": TemplateFactory(workspace=workspace, name="Findable"),
        "orbit.idempotencykey": IdempotencyKey.objects.create(
            user=workspace.owner, key="Findable", method="POST", path="/api/x/", request_hash="0" * 64
        ),
    }
    app_label, model_name = model.split(".")
    changelist = reverse(f"admin:{app_label}_{model_name}_changelist")
    assert staff_client.get(changelist).status_code == 200
    assert staff_client.get(changelist + "?q=Findable").status_code == 200
    obj = objects[model]
    change = reverse(f"admin:{app_label}_{model_name}_change", args=[obj.pk])
    assert staff_client.get(change).status_code == 200
