"""The lean read path of the hot scope reads: plain dicts, field for field and byte for byte what the declared
serializers in `scopes/api/serializers.py` answer (scopes/tests/test_representations.py and test_lean_reads.py
prove it on every shape: nulls, searched or not, trashed, favourites, sections, unicode, pages and cursors).

Why: DRF's nested serializers cost ~27 field objects and conversions per scope row; a 25-row page spent more CPU
in them than in its SQL. The serializers stay the contract: the OpenAPI schema comes from them, writes still
validate through them, and a field added there must be added here (the equality tests fail until it is).
Every conversion below is the one the DRF field of the serializer does (`to_representation`).

The functions take flat rows, the dicts `.values(*SCOPE_VALUES)` yields (scopes/lean.py fetches them that way);
`scope_json`/`section_json`/`scope_detail_json` take model instances (after writes) through `*_row(instance)`.
"""

from django.utils import timezone

from accounts.api.representations import USER_SUMMARY_FIELDS, user_summary_json
from orbit.representations import datetime_json
from scopes.api.serializers import ProjectSerializer, SectionSerializer

SCOPE_FIELDS = ["id", "title", "client_name", "summary", "status", "confidence", "version"]
SCOPE_DATES = ["deleted_at", "created_at", "updated_at"]
PROJECT_FIELDS = list(ProjectSerializer.Meta.fields)
SCOPE_ANNOTATIONS = ["is_favourite", "section_count", "open_comment_count"]
# What one row of the scope list holds (plus `rank` when searched), and a scope detail (plus its sections).
SCOPE_VALUES = [
    *SCOPE_FIELDS,
    *SCOPE_DATES,
    *(f"project__{name}" for name in PROJECT_FIELDS),
    *(f"created_by__{name}" for name in USER_SUMMARY_FIELDS),
    *SCOPE_ANNOTATIONS,
]
SCOPE_DETAIL_VALUES = [*SCOPE_VALUES, "ai_analysis"]
SECTION_VALUES = list(SectionSerializer.Meta.fields)  # `comment_count` is selectors.sections_queryset's


def _float(value) -> float | None:
    return None if value is None else float(value)


def _project_json(row, zone) -> dict | None:
    """ProjectSerializer."""
    if row["project__id"] is None:
        return None
    return {
        "id": str(row["project__id"]),
        "name": row["project__name"],
        "client_name": row["project__client_name"],
        "description": row["project__description"],
        "status": row["project__status"],
        "created_at": datetime_json(row["project__created_at"], zone),
        "updated_at": datetime_json(row["project__updated_at"], zone),
    }


def section_row_json(row, zone=None) -> dict:
    """SectionSerializer, for a row of SECTION_VALUES."""
    zone = zone or timezone.get_current_timezone()
    return {
        "id": str(row["id"]),
        "section_type": row["section_type"],
        "title": row["title"],
        "content": row["content"],
        "position": row["position"],
        "confidence": _float(row["confidence"]),
        "ai_generated": row["ai_generated"],
        "sources": row["sources"],
        "version": row["version"],
        "comment_count": row["comment_count"],
        "created_at": datetime_json(row["created_at"], zone),
        "updated_at": datetime_json(row["updated_at"], zone),
    }


def scope_row_json(row, zone=None) -> dict:
    """ScopeSerializer, for a row of SCOPE_VALUES (and `rank` when searched)."""
    zone = zone or timezone.get_current_timezone()
    return {
        "id": str(row["id"]),
        "title": row["title"],
        "client_name": row["client_name"],
        "summary": row["summary"],
        "status": row["status"],
        "confidence": _float(row["confidence"]),
        "version": row["version"],
        "project": _project_json(row, zone),
        "created_by": user_summary_json(row, "created_by"),
        "is_favourite": row["is_favourite"],
        "section_count": row["section_count"],
        "open_comment_count": row["open_comment_count"],
        "rank": row.get("rank"),
        "deleted_at": datetime_json(row["deleted_at"], zone),
        "created_at": datetime_json(row["created_at"], zone),
        "updated_at": datetime_json(row["updated_at"], zone),
    }


def scope_detail_row_json(row, sections) -> dict:
    """ScopeDetailSerializer, for a row of SCOPE_DETAIL_VALUES and its section rows in order."""
    zone = timezone.get_current_timezone()
    return {
        **scope_row_json(row, zone),
        "ai_analysis": row["ai_analysis"],
        "sections": [section_row_json(section, zone) for section in sections],
    }


# --- The same, from model instances (the answers of writes) ---------------------------------------------
def _related_values(row: dict, prefix: str, instance, names) -> None:
    for name in names:
        row[f"{prefix}__{name}"] = None if instance is None else getattr(instance, name)


def scope_row(scope) -> dict:
    """The SCOPE_VALUES row of a scope of selectors.with_list_annotations (and `rank` when searched)."""
    row = {name: getattr(scope, name) for name in (*SCOPE_FIELDS, *SCOPE_DATES, *SCOPE_ANNOTATIONS)}
    _related_values(row, "project", scope.project, PROJECT_FIELDS)
    _related_values(row, "created_by", scope.created_by, USER_SUMMARY_FIELDS)
    row["rank"] = getattr(scope, "rank", None)
    return row


def section_json(section) -> dict:
    """SectionSerializer, for a section annotated with `comment_count` (selectors.sections_queryset)."""
    return section_row_json({name: getattr(section, name) for name in SECTION_VALUES})


def scope_json(scope) -> dict:
    """ScopeSerializer, for a scope of selectors.with_list_annotations (and `rank` when searched)."""
    return scope_row_json(scope_row(scope))


def scope_detail_json(scope) -> dict:
    """ScopeDetailSerializer, for a scope of selectors.with_detail."""
    return {
        **scope_json(scope),
        "ai_analysis": scope.ai_analysis,
        "sections": [section_json(s) for s in scope.sections.all()],
    }
