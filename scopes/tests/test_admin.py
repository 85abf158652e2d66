import pytest
from django.urls import reverse

from orbit.models import IdempotencyKey
from scopes.tests.factories import CommentFactory, FavouriteFactory, ProjectFactory, ScopeSectionFactory
from templates.tests.factories import TemplateFactory

pytestmark = pytest.mark.django_db


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


def _form_data(response) -> dict:
    """The POST a staff user would send by saving the change page unchanged (main form and inline formsets)."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        forms += [formset.management_form, *formset.forms]
    for form in forms:
        for name, field in form.fields.items():
            value = form.initial.get(name, field.initial)
            if value is None:
                continue
            if isinstance(value, list | tuple):
                value = [str(v) for v in value]
            elif hasattr(value, "pk"):
                value = value.pk
            data[form.add_prefix(name)] = field.widget.format_value(value) if name == "ai_analysis" else value
    return {key: value for key, value in data.items() if value is not False}


def _search(workspace, text):
    from scopes import search
    from scopes.models import Scope

    return list(search.apply(Scope.objects.filter(workspace=workspace), text).values_list("pk", flat=True))


def test_editing_a_scope_in_admin_updates_search_and_version(staff_client, workspace):
    section = ScopeSectionFactory(workspace=workspace, title="Plain")
    scope = section.scope
    url = reverse("admin:scopes_scope_change", args=[scope.pk])
    data = _form_data(staff_client.get(url))
    data["title"] = "Quetzal rebuild"
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    scope.refresh_from_db()
    assert scope.version == 2
    assert _search(workspace, "quetzal") == [scope.pk]


def test_editing_a_section_in_admin_updates_search_and_version(staff_client, workspace):
    section = ScopeSectionFactory(workspace=workspace, content="Nothing special")
    url = reverse("admin:scopes_scopesection_change", args=[section.pk])
    data = _form_data(staff_client.get(url))
    data["content"] = "Armadillo integration"
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    section.refresh_from_db()
    assert section.version == 2
    assert _search(workspace, "armadillo") == [section.scope_id]


def test_deleting_sections_in_admin_closes_the_gap(staff_client, workspace):
    from scopes.models import ScopeSection

    first = ScopeSectionFactory(workspace=workspace, title="A")
    scope = first.scope
    b, c, d = (ScopeSectionFactory(scope=scope, title=t) for t in "BCD")
    response = staff_client.post(reverse("admin:scopes_scopesection_delete", args=[b.pk]), {"post": "yes"})
    assert response.status_code == 302
    changelist = reverse("admin:scopes_scopesection_changelist")
    response = staff_client.post(
        changelist, {"action": "delete_selected", "_selected_action": [str(first.pk), str(d.pk)], "post": "yes"}
    )
    assert response.status_code == 302
    rows = list(ScopeSection.objects.filter(scope=scope).order_by("position").values_list("title", "position"))
    assert rows == [("C", 0)]
    assert c.pk in ScopeSection.objects.values_list("pk", flat=True)
