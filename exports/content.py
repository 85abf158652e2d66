"""What an export shows, read from the database: the options it accepts, the branding its plan allows, the
content hash that keys the cache, and the `ExportDocument` the renderers draw."""

import hashlib
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import formats, timezone

from billing.plans import plan_for
from exports.render.document import NEUTRAL_COLOR, Branding, CommentEntry, ExportDocument, Section, Source

# Bump when the renderers change what a file looks like: older cached files are then not served again.
RENDERER_VERSION = 1

OPTIONS = {
    "include_confidence": "Section confidence, and an appendix of each section's cited document pages.",
    "include_comments": "An appendix of the scope's open comments.",
    "include_resolved_comments": "With include_comments, resolved comments too.",
    "include_analysis": "The AI analysis: risks and open questions.",
}


def branding_for(workspace) -> dict:
    """The branding in force now, recorded on the export: custom logo and colour only if the plan allows it."""
    plan = plan_for(workspace)
    custom = bool(plan.get("custom_branding"))
    return {
        "plan": plan["code"],
        "custom": custom,
        "color": (workspace.primary_color or NEUTRAL_COLOR) if custom else NEUTRAL_COLOR,
        "logo_url": workspace.logo_url if custom else "",
    }


def _comments(scope, *, resolved: bool) -> list[dict]:
    from scopes.models import Comment

    comments = (
        Comment.objects.filter(scope=scope, deleted_at__isnull=True)
        .select_related("author", "section")
        .order_by("created_at")
    )
    if not resolved:
        comments = comments.filter(resolved_at__isnull=True)
    roots: dict = {}
    replies = []
    for comment in comments:
        entry = {
            "id": str(comment.id),
            "author": (comment.author.full_name or comment.author.email) if comment.author else "Former member",
            "body": comment.body,
            "created": comment.created_at,
            "section": comment.section.title if comment.section else "",
            "resolved": comment.resolved_at is not None,
            "replies": [],
        }
        if comment.parent_id:
            replies.append((comment.parent_id, entry))
        else:
            roots[comment.id] = entry
    for parent_id, entry in replies:
        if parent_id in roots:
            roots[parent_id]["replies"].append(entry)
    return list(roots.values())


def _analysis(scope) -> dict:
    analysis = scope.ai_analysis if isinstance(scope.ai_analysis, dict) else {}

    def items(name):
        value = analysis.get(name) or []
        if not isinstance(value, list):
            value = [value]
        out = []
        for item in value:
            if isinstance(item, dict):  # {"title"/"text"/"description": ...}
                item = item.get("text") or item.get("title") or item.get("description") or json.dumps(item)
            out.append(str(item))
        return out

    return {"risks": items("risks"), "open_questions": items("open_questions") or items("questions")}


def snapshot(scope, *, options: dict, branding: dict, fmt: str) -> dict:
    """Everything the file will show, as plain JSON-able data (hashed for the cache, then rendered)."""
    from documents.models import Document

    sections = list(scope.sections.order_by("position"))
    doc_ids = {str(s.get("document_id")) for sec in sections for s in (sec.sources or []) if isinstance(s, dict)}
    names = {
        str(pk): name
        for pk, name in Document.objects.filter(workspace_id=scope.workspace_id, pk__in=_uuids(doc_ids)).values_list(
            "id", "filename"
        )
    }
    data = {
        "renderer": RENDERER_VERSION,
        "format": fmt,
        "options": options,
        "branding": branding,
        "workspace": scope.workspace.name,
        "title": scope.title,
        "client": scope.client_name or (scope.project.client_name if scope.project else ""),
        "project": scope.project.name if scope.project else "",
        "status": scope.get_status_display(),
        "summary": scope.summary,
        "confidence": scope.confidence,
        "sections": [
            {
                "title": section.title,
                "content": section.content,
                "confidence": section.confidence,
                "sources": [
                    {
                        "document": names.get(str(source.get("document_id")), "Removed document"),
                        "page": source.get("page") if isinstance(source.get("page"), int) else None,
                        "quote": str(source.get("quote") or ""),
                    }
                    for source in (section.sources or [])
                    if isinstance(source, dict)
                ],
            }
            for section in sections
        ],
    }
    if options.get("include_comments"):
        data["comments"] = _comments(scope, resolved=bool(options.get("include_resolved_comments")))
    if options.get("include_analysis"):
        data["analysis"] = _analysis(scope)
    return data


def _uuids(values):
    import uuid

    out = []
    for value in values:
        try:
            out.append(uuid.UUID(value))
        except (ValueError, TypeError):
            continue
    return out


def content_hash(data: dict) -> str:
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), cls=DjangoJSONEncoder)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _date(value) -> str:
    return formats.date_format(timezone.localtime(value) if timezone.is_aware(value) else value, "j F Y")


def _comment_entry(entry: dict) -> CommentEntry:
    return CommentEntry(
        author=entry["author"],
        body=entry["body"],
        created=_date(entry["created"]),
        section=entry["section"],
        resolved=entry["resolved"],
        replies=[_comment_entry(reply) for reply in entry["replies"]],
    )


def to_document(data: dict, *, logo: bytes | None, date) -> ExportDocument:
    options, branding = data["options"], data["branding"]
    analysis = data.get("analysis")
    return ExportDocument(
        title=data["title"],
        workspace=data["workspace"],
        date=_date(date),
        status=data["status"],
        client=data["client"],
        project=data["project"],
        summary=data["summary"],
        confidence=data["confidence"],
        sections=[
            Section(s["title"], s["content"], s["confidence"], [Source(**src) for src in s["sources"]])
            for s in data["sections"]
        ],
        branding=Branding(custom=branding["custom"], color=branding["color"], logo=logo),
        include_confidence=bool(options.get("include_confidence")),
        comments=[_comment_entry(c) for c in data["comments"]] if "comments" in data else None,
        risks=analysis["risks"] if analysis else None,
        open_questions=analysis["open_questions"] if analysis else None,
    )
