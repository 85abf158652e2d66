"""The lean read path of the hot scope reads: plain dicts, field for field and byte for byte what the declared
serializers in `scopes/api/serializers.py` answer (scopes/tests/test_representations.py proves it on every shape:
nulls, searched or not, sections, unicode).

Why: DRF's nested serializers cost ~27 field objects and conversions per scope row; a 25-row page spent more CPU
in them than in its SQL. The serializers stay the contract: the OpenAPI schema comes from them, writes still
validate through them, and a field added there must be added here (the equality test fails until it is).
Every conversion below is the one the DRF field of the serializer does (`to_representation`).
"""

from django.utils import timezone


def datetime_json(value) -> str | None:
    """DRF DateTimeField: in the current time zone, ISO 8601, UTC written "Z"."""
    if not value:
        return None
    text = value.astimezone(timezone.get_current_timezone()).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _float(value) -> float | None:
    return None if value is None else float(value)


def user_json(user) -> dict | None:
    """accounts.api.serializers.UserSummarySerializer."""
    if user is None:
        return None
    return {"id": str(user.pk), "email": user.email, "full_name": user.full_name, "avatar_url": user.avatar_url}


def project_json(project) -> dict | None:
    """ProjectSerializer."""
    if project is None:
        return None
    return {
        "id": str(project.pk),
        "name": project.name,
        "client_name": project.client_name,
        "description": project.description,
        "status": project.status,
        "created_at": datetime_json(project.created_at),
        "updated_at": datetime_json(project.updated_at),
    }


def section_json(section) -> dict:
    """SectionSerializer, for a section annotated with `comment_count` (selectors.sections_queryset)."""
    return {
        "id": str(section.pk),
        "section_type": section.section_type,
        "title": section.title,
        "content": section.content,
        "position": section.position,
        "confidence": _float(section.confidence),
        "ai_generated": section.ai_generated,
        "sources": section.sources,
        "version": section.version,
        "comment_count": section.comment_count,
        "created_at": datetime_json(section.created_at),
        "updated_at": datetime_json(section.updated_at),
    }


def scope_json(scope) -> dict:
    """ScopeSerializer, for a scope of selectors.with_list_annotations (and `rank` when searched)."""
    return {
        "id": str(scope.pk),
        "title": scope.title,
        "client_name": scope.client_name,
        "summary": scope.summary,
        "status": scope.status,
        "confidence": _float(scope.confidence),
        "version": scope.version,
        "project": project_json(scope.project),
        "created_by": user_json(scope.created_by),
        "is_favourite": scope.is_favourite,
        "section_count": scope.section_count,
        "open_comment_count": scope.open_comment_count,
        "rank": getattr(scope, "rank", None),
        "deleted_at": datetime_json(scope.deleted_at),
        "created_at": datetime_json(scope.created_at),
        "updated_at": datetime_json(scope.updated_at),
    }


def scope_detail_json(scope) -> dict:
    """ScopeDetailSerializer, for a scope of selectors.with_detail."""
    return {
        **scope_json(scope),
        "ai_analysis": scope.ai_analysis,
        "sections": [section_json(section) for section in scope.sections.all()],
    }
