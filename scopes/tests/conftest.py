"""Fixtures of the scopes tests."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.tests.factories import UserFactory
from scopes import search
from scopes.models import Scope
from scopes.tests.factories import (
    CommentFactory,
    FavouriteFactory,
    ProjectFactory,
    ScopeFactory,
    ScopeSectionFactory,
)


@pytest.fixture
def varied_scopes(workspace):
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
        # The shape ai.runner writes (the schema's ScopeAnalysis), with a null, a float and unicode in it.
        ai_analysis={
            "risks": [{"severity": "high", "section_id": None, "title": "Scope creep", "detail": "« sans fin » 🚀"}],
            "gaps": [],
            "coverage": {
                "requirements": [],
                "covered_ratio": None,
                "counts": {"covered": 0, "partial": 0, "uncovered": 0},
            },
            "questions": [],
            "score": 0.5,
        },
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
