"""The lean read path (scopes/api/representations.py) answers byte for byte what the declared serializers answer:
the OpenAPI schema, generated from the serializers, stays exact."""

import pytest
from django.utils import timezone
from rest_framework.renderers import JSONRenderer

from scopes import search, selectors
from scopes.api.representations import scope_detail_json, scope_json, section_json
from scopes.api.serializers import ScopeDetailSerializer, ScopeSerializer, SectionSerializer
from scopes.models import Scope

pytestmark = pytest.mark.django_db


def render(data) -> bytes:
    return JSONRenderer().render(data)


def test_list_rows_are_the_serializers_bytes(workspace, varied_scopes):
    rows = list(selectors.with_list_annotations(Scope.objects.filter(workspace=workspace), user=workspace.owner))
    assert len(rows) == len(varied_scopes)
    assert render([scope_json(row) for row in rows]) == render(ScopeSerializer(rows, many=True).data)


def test_searched_rows_with_rank_are_the_serializers_bytes(workspace, varied_scopes):
    queryset = selectors.with_list_annotations(Scope.objects.filter(workspace=workspace), user=workspace.owner)
    rows = list(search.apply(queryset, "rich"))
    assert rows
    assert all(row.rank is not None for row in rows)
    assert render([scope_json(row) for row in rows]) == render(ScopeSerializer(rows, many=True).data)


@pytest.mark.parametrize("zone", ["UTC", "Europe/Paris", "America/St_Johns"])
def test_detail_is_the_serializers_bytes_in_any_current_time_zone(workspace, varied_scopes, zone):
    with timezone.override(zone):
        for scope in selectors.with_detail(Scope.objects.filter(workspace=workspace), user=workspace.owner):
            assert render(scope_detail_json(scope)) == render(ScopeDetailSerializer(scope).data)


def test_sections_are_the_serializers_bytes(workspace, varied_scopes):
    sections = list(selectors.sections_queryset().filter(scope__workspace=workspace))
    assert len(sections) == 2
    assert render([section_json(section) for section in sections]) == render(
        SectionSerializer(sections, many=True).data
    )


def test_detail_endpoint_answers_the_serializers_bytes(member, workspace, varied_scopes):
    client = member("owner")
    rich = varied_scopes[1]
    response = client.get(f"/api/workspaces/{workspace.pk}/scopes/{rich.pk}/")
    assert response.status_code == 200
    scope = selectors.with_detail(Scope.objects.filter(pk=rich.pk), user=client.user).get()
    assert response.content == render(ScopeDetailSerializer(scope).data)
