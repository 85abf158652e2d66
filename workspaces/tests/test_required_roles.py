"""`required_roles` is checked when the view class is created: a typo fails at import, not by falling back to EDITOR."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from rest_framework import mixins
from rest_framework.decorators import action

from workspaces.api.mixins import WorkspaceScopedAPIView, WorkspaceScopedViewSet, role_keys
from workspaces.models import Membership

Role = Membership.Role


def make_viewset(roles):
    class Things(mixins.ListModelMixin, mixins.CreateModelMixin, WorkspaceScopedViewSet):
        required_roles = roles

        @action(detail=True, methods=["post"])
        def publish(self, request, workspace_id, pk):
            raise NotImplementedError

        @publish.mapping.delete
        def unpublish(self, request, workspace_id, pk):
            raise NotImplementedError

    return Things


def make_apiview(roles):
    class Thing(WorkspaceScopedAPIView):
        required_roles = roles

        def get(self, request, workspace_id):
            raise NotImplementedError

        def patch(self, request, workspace_id):
            raise NotImplementedError

    return Thing


@pytest.mark.parametrize(
    ("make", "roles", "message"),
    [
        (make_viewset, {"craete": Role.ADMIN}, "'craete' is not an action of this view"),
        (make_viewset, {"destroy": Role.ADMIN}, "'destroy' is not an action"),  # no DestroyModelMixin
        (make_viewset, {"post": Role.ADMIN}, "'post' is not an action"),  # a ViewSet names actions, not methods
        (make_viewset, {"create": 30}, "must map to a Membership.Role, not 30"),
        (make_viewset, {"publish": "admin"}, "must map to a Membership.Role"),
        (make_apiview, {"partial_update": Role.ADMIN}, "'partial_update' is not an HTTP method of this view"),
        (make_apiview, {"delete": Role.OWNER}, "'delete' is not an HTTP method"),  # the view has no delete
        (make_apiview, {"PATCH": Role.ADMIN}, "'PATCH' is not an HTTP method"),
    ],
    ids=lambda value: value.__name__ if callable(value) else None,
)
def test_a_bad_key_or_value_fails_when_the_class_is_created(make, roles, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        make(roles)


def test_valid_keys_are_the_views_actions_or_methods():
    viewset = make_viewset({"create": Role.ADMIN, "publish": Role.ADMIN, "unpublish": Role.OWNER})
    assert role_keys(viewset) == {"list", "create", "publish", "unpublish"}
    assert role_keys(make_apiview({"patch": Role.ADMIN})) == {"get", "patch"}


def test_the_message_names_the_class_and_the_known_keys():
    with pytest.raises(ImproperlyConfigured) as raised:
        make_apiview({"put": Role.ADMIN})
    assert "make_apiview.<locals>.Thing.required_roles" in str(raised.value)
    assert "known: get, patch" in str(raised.value)
