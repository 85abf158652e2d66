"""Every page of the admin opens for staff and is refused to everyone else, every action of ours runs.

Parametrised over `admin.site._registry`, so a model registered tomorrow is covered without touching this file:
- every changelist and add page (where the admin allows adding) answers 200 to staff;
- for our apps' models, one object is built (the app's factory in `<app>/tests/factories.py`, or a builder
  below for the few audit/bookkeeping models without one), and its change page and each of its admin's actions
  answer 200 or 302 — never a 500;
- a signed-in user who is not staff is sent to the admin login for each changelist.
Third-party admins' actions (dj-stripe's sync calls Stripe) are not run; their pages are.
"""

import pytest
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from accounts.tests.factories import UserFactory
from workspaces.tests.matrix_support import _is_project_app, factories_by_model

pytestmark = pytest.mark.django_db


def _build_auth_event():
    from accounts.models import AuthEvent

    return AuthEvent.objects.create(kind=AuthEvent.Kind.LOGIN_FAILED, email="nobody@example.com", reason="password")


def _build_onboarding():
    from workspaces.models import Onboarding
    from workspaces.tests.factories import WorkspaceFactory

    workspace = WorkspaceFactory()
    return Onboarding.objects.create(user=workspace.owner, workspace=workspace)


def _build_ai_cache():
    from ai.models import AIResultCache
    from workspaces.tests.factories import WorkspaceFactory

    return AIResultCache.objects.create(
        key="k" * 64, workspace=WorkspaceFactory(), kind="extract", provider="builtin", prompt_version="1", result={}
    )


def _build_billing_state():
    from billing.models import BillingState
    from workspaces.tests.factories import WorkspaceFactory

    return BillingState.objects.create(workspace=WorkspaceFactory())


def _build_plan_override():
    from billing.models import PlanOverride

    state = _build_billing_state()  # the override admin lists only states with an override set
    PlanOverride.objects.filter(pk=state.pk).update(plan_override="team", plan_override_reason="Demo customer")
    return PlanOverride.objects.get(pk=state.pk)


def _build_idempotency_key():
    from orbit.models import IdempotencyKey

    return IdempotencyKey.objects.create(
        user=UserFactory(), key="demo-key", method="POST", path="/api/workspaces/", request_hash="0" * 64
    )


# Our models without a factory of their own (audit and bookkeeping rows nobody builds in other tests).
BUILDERS = {
    "accounts.AuthEvent": _build_auth_event,
    "workspaces.Onboarding": _build_onboarding,
    "ai.AIResultCache": _build_ai_cache,
    "billing.BillingState": _build_billing_state,
    "billing.PlanOverride": _build_plan_override,
    "orbit.IdempotencyKey": _build_idempotency_key,
}

REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)
OURS = [model for model in REGISTERED if _is_project_app(model._meta.app_config)]


def _url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def _build(model):
    builder = BUILDERS.get(model._meta.label) or factories_by_model().get(model)
    assert builder is not None, (
        f"No way to build a {model._meta.label} for the admin test: add a factory to "
        f"{model._meta.app_config.name}/tests/factories.py or a builder to BUILDERS here."
    )
    return builder()


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_staff_open_the_changelist_and_add_page(staff_client, model):
    assert staff_client.get(_url(model, "changelist")).status_code == 200
    model_admin = admin.site._registry[model]
    request = staff_client.get(_url(model, "changelist")).wsgi_request
    expected = 200 if model_admin.has_add_permission(request) else 403
    assert staff_client.get(_url(model, "add")).status_code == expected


@pytest.mark.parametrize("model", OURS, ids=lambda model: model._meta.label)
def test_staff_open_the_change_page_and_run_each_action(staff_client, model):
    obj = _build(model)
    assert staff_client.get(_url(model, "changelist")).status_code == 200  # now with a row to show
    assert staff_client.get(_url(model, "change", obj.pk)).status_code == 200
    request = staff_client.get(_url(model, "changelist")).wsgi_request
    for action in admin.site._registry[model].get_actions(request):
        response = staff_client.post(_url(model, "changelist"), {"action": action, ACTION_CHECKBOX_NAME: [str(obj.pk)]})
        assert response.status_code in (200, 302), f"{action}: {response.status_code}"


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_non_staff_are_sent_to_the_admin_login(client, model):
    client.force_login(UserFactory(is_staff=False))
    response = client.get(_url(model, "changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


NO_ADD = ["ai.AIRun", "ai.AIResultCache", "scopes.ScopeSection", "workspaces.Invitation", "workspaces.ActivityEvent"]


@pytest.mark.parametrize("label", NO_ADD)
def test_rows_only_a_service_makes_have_no_add_page(staff_client, label):
    from django.apps import apps

    model = apps.get_model(label)
    assert staff_client.get(_url(model, "add")).status_code == 403
    assert _url(model, "add") not in staff_client.get(_url(model, "changelist")).content.decode()  # no Add button
