"""The lean read path of the hot scope reads: plain dicts, field for field and byte for byte what the declared
serializers in `scopes/api/serializers.py` answer (scopes/tests/test_representations.py and test_lean_reads.py
prove it on every shape: nulls, searched or not, trashed, favourites, sections, unicode, pages and cursors).

The functions are compiled from those serializers (orbit.representations.lean), so the serializers stay the one
declaration: the OpenAPI schema, writes' validation and these reads all follow them. The `*_row_json` functions take
flat rows, the dicts `.values(*SCOPE_VALUES)` yields (scopes/lean.py fetches them that way); `scope_json`,
`section_json` and `scope_detail_json` take model instances (the answers of writes).
"""

from django.utils import timezone

from orbit.representations import instance_row, lean
from scopes.api.serializers import ScopeSerializer, SectionSerializer

section_row_json = lean(SectionSerializer)
scope_row_json = lean(ScopeSerializer, computed={"rank": 'row.get("rank")'})  # rank: only in a searched row

# What one row of the scope list holds (plus `rank` when searched), a scope detail (plus its sections), a section.
SCOPE_VALUES = scope_row_json.values
SCOPE_DETAIL_VALUES = [*SCOPE_VALUES, "ai_analysis"]
SECTION_VALUES = section_row_json.values  # `comment_count` is selectors.sections_queryset's


def scope_detail_row_json(row, sections) -> dict:
    """ScopeDetailSerializer, for a row of SCOPE_DETAIL_VALUES and its section rows in order."""
    zone = timezone.get_current_timezone()
    return {
        **scope_row_json(row, zone),
        "ai_analysis": row["ai_analysis"],
        "sections": [section_row_json(section, zone) for section in sections],
    }


# --- The same, from model instances -----------------------------------------------------------------------------
def section_json(section) -> dict:
    """SectionSerializer, for a section annotated with `comment_count` (selectors.sections_queryset)."""
    return section_row_json(instance_row(section, SECTION_VALUES))


def scope_json(scope) -> dict:
    """ScopeSerializer, for a scope of selectors.with_list_annotations (and `rank` when searched)."""
    return scope_row_json({**instance_row(scope, SCOPE_VALUES), "rank": getattr(scope, "rank", None)})


def scope_detail_json(scope) -> dict:
    """ScopeDetailSerializer, for a scope of selectors.with_detail."""
    return {
        **scope_json(scope),
        "ai_analysis": scope.ai_analysis,
        "sections": [section_json(s) for s in scope.sections.all()],
    }
