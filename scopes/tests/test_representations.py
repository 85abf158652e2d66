"""The lean read path (scopes/api/representations.py) answers byte for byte what the declared serializers answer:
the OpenAPI schema, generated from the serializers, stays exact."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.renderers import JSONRenderer

from accounts.tests.factories import UserFactory
from scopes import search, selectors
from scopes.api.representations import scope_detail_json, scope_json, section_json
from scopes.api.serializers import ScopeDetailSerializer, ScopeSerializer, SectionSerializer
from scopes.models import Scope
from scopes.tests.factories import (
    CommentFactory,
    FavouriteFactory,
    ProjectFactory,
    ScopeFactory,
    ScopeSectionFactory,
)

pytestmark = pytest.mark.django_db


def render(data) -> bytes:
    return JSONRenderer().render(data)


@pytest.fixture
def scopes(workspace):
    """Every shape a scope row takes: with and without project, creator, confidence; trashed; unicode that the
    renderer escapes (U+2028); favourites; comments open, resolved and deleted; sections with sources."""
    owner = workspace.owner
    plain = ScopeFactory(workspace=workspace, title="Plain", confidence=None)
    rich = ScopeFactory(
        workspace=workspace,
        title="Rich ✓ café \u2028 line",
        summary='Quotes " and \\ backslash, emoji 🚀',
        project=ProjectFactory(workspace=workspace, description="Désc"),
        confidence=0.875,
        status=Scope.Status.IN_REVIEW,
        version=7,
        ai_analysis={"risks": ["scope creep"], "score": 0.5, "nested": {"none": None}},
    )
    orphan = ScopeFactory(workspace=workspace, title="No creator", created_by=None, confidence=1.0)
    trashed = ScopeFactory(workspace=workspace, title="Trashed", deleted_at=timezone.now() - timedelta(days=1))
    section = ScopeSectionFactory(
        scope=rich,
        confidence=0.5,
        ai_generated=True,
        sources=[{"document_id": "00000000-0000-0000-0000-000000000000", "page": 2, "quote": "« cité »"}],
    )
    ScopeSectionFactory(scope=rich, confidence=None, content="")
    CommentFactory(scope=rich, section=section)
    CommentFactory(scope=rich, resolved_at=timezone.now(), resolved_by=owner)
    CommentFactory(scope=rich, deleted_at=timezone.now())
    FavouriteFactory(scope=rich, user=owner)
    UserFactory()  # a user who is nobody's creator
    search.refresh([plain.pk, rich.pk, orphan.pk, trashed.pk])
    return [plain, rich, orphan, trashed]


def test_list_rows_are_the_serializers_bytes(workspace, scopes):
    rows = list(selectors.with_list_annotations(Scope.objects.filter(workspace=workspace), user=workspace.owner))
    assert len(rows) == len(scopes)
    assert render([scope_json(row) for row in rows]) == render(ScopeSerializer(rows, many=True).data)


def test_searched_rows_with_rank_are_the_serializers_bytes(workspace, scopes):
    queryset = selectors.with_list_annotations(Scope.objects.filter(workspace=workspace), user=workspace.owner)
    rows = list(search.apply(queryset, "rich"))
    assert rows
    assert all(row.rank is not None for row in rows)
    assert render([scope_json(row) for row in rows]) == render(ScopeSerializer(rows, many=True).data)


@pytest.mark.parametrize("zone", ["UTC", "Europe/Paris", "America/St_Johns"])
def test_detail_is_the_serializers_bytes_in_any_current_time_zone(workspace, scopes, zone):
    with timezone.override(zone):
        for scope in selectors.with_detail(Scope.objects.filter(workspace=workspace), user=workspace.owner):
            assert render(scope_detail_json(scope)) == render(ScopeDetailSerializer(scope).data)


def test_sections_are_the_serializers_bytes(workspace, scopes):
    sections = list(selectors.sections_queryset().filter(scope__workspace=workspace))
    assert len(sections) == 2
    assert render([section_json(section) for section in sections]) == render(
        SectionSerializer(sections, many=True).data
    )


def test_detail_endpoint_answers_the_serializers_bytes(member, workspace, scopes):
    client = member("owner")
    rich = scopes[1]
    response = client.get(f"/api/workspaces/{workspace.pk}/scopes/{rich.pk}/")
    assert response.status_code == 200
    scope = selectors.with_detail(Scope.objects.filter(pk=rich.pk), user=client.user).get()
    assert response.content == render(ScopeDetailSerializer(scope).data)
