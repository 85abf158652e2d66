"""Shapes of the scope's JSON columns for the schema (issue 9: typed, not `unknown`). Runtime output is the
column as stored; these only document it. `ai_analysis` is what `ai.runner._analyze` writes
(`ai.postprocess.finish_analysis` plus the run's provider, model, time, id and documents)."""

from orbit.schema import component

SEVERITY = {"type": "string", "enum": ["low", "medium", "high"]}
SOURCE = {"$ref": "#/components/schemas/Source"}

FINDING = component(
    "AnalysisFinding",
    {
        "type": "object",
        "description": "A risk or a gap. The built-in engine writes title and detail; the LLM engines write "
        "category and description.",
        "properties": {
            "severity": SEVERITY,
            "section_id": {"type": ["string", "null"], "format": "uuid", "description": "Null: the whole scope."},
            "title": {"type": "string"},
            "detail": {"type": "string"},
            "category": {"type": "string"},
            "description": {"type": "string"},
        },
        "required": ["severity", "section_id"],
    },
)

REQUIREMENT = component(
    "AnalysisRequirement",
    {
        "type": "object",
        "description": "A requirement quoted from a document page, and the sections that cover it.",
        "properties": {
            "text": {"type": "string"},
            "document_id": {"type": "string", "format": "uuid"},
            "page": {"type": "integer", "minimum": 1},
            "quote": {"type": "string"},
            "covered_by": {"type": "array", "items": {"type": "string", "format": "uuid"}},
            "status": {"type": "string", "enum": ["covered", "partial", "uncovered"]},
        },
        "required": ["text", "document_id", "page", "quote", "covered_by", "status"],
    },
)

QUESTION = component(
    "AnalysisQuestion",
    {
        "type": "object",
        "description": "A question to ask the client. The LLM engines write `question` and `sources`; the built-in "
        "engine writes `text` with the page it comes from (document_id, page, quote) and no sources.",
        "properties": {
            "question": {"type": "string"},
            "text": {"type": "string"},
            "document_id": {"type": "string", "format": "uuid"},
            "page": {"type": "integer", "minimum": 1},
            "quote": {"type": "string"},
            "sources": {"type": "array", "items": SOURCE},
        },
        "required": ["sources"],
    },
)

ANALYSIS = component(
    "ScopeAnalysis",
    {
        "type": "object",
        "description": "The AI analysis of a scope (POST .../ai/analyze/).",
        "properties": {
            "risks": {"type": "array", "items": FINDING},
            "gaps": {"type": "array", "items": FINDING},
            "coverage": {
                "type": "object",
                "properties": {
                    "requirements": {"type": "array", "items": REQUIREMENT},
                    "covered_ratio": {"type": ["number", "null"], "description": "0..1; null without requirements."},
                    "counts": {
                        "type": "object",
                        "properties": {s: {"type": "integer"} for s in ("covered", "partial", "uncovered")},
                        "required": ["covered", "partial", "uncovered"],
                    },
                },
                "required": ["requirements", "covered_ratio", "counts"],
            },
            "questions": {"type": "array", "items": QUESTION},
            "provider": {"type": "string"},
            "model": {"type": "string"},
            "generated_at": {"type": "string", "format": "date-time"},
            "run_id": {"type": "string", "format": "uuid"},
            "document_ids": {"type": "array", "items": {"type": "string", "format": "uuid"}},
        },
        "required": ["risks", "gaps", "coverage", "questions"],
    },
)

# `{}` until the scope is analysed; `maxProperties: 0` keeps the two branches apart for oneOf.
AI_ANALYSIS = {
    "oneOf": [ANALYSIS, {"type": "object", "maxProperties": 0, "description": "Not analysed yet."}],
    "description": "The latest AI analysis, or `{}` before the first one.",
}
