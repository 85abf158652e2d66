"""Provenance of a section: each entry of `sources` ({document_id, page?, quote?}) must name a document of the
scope's workspace and, when it gives a page, a page that exists in that document. A source the user cannot
follow to a real page is refused, so provenance shown in the app cannot be forged (issue 9 item 6).

Checked in two queries whatever the number of sections and sources (documents of the workspace among the ids,
then the (document, page) pairs that exist)."""

import uuid
from collections.abc import Sequence

from django.db.models import Q

from orbit.errors import ValidationFailed

NO_DOCUMENT = "No document with this id in this workspace."


def _document_id(source) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(source.get("document_id"))) if isinstance(source, dict) else None
    except ValueError:
        return None


def source_errors(*, workspace, sections: Sequence[Sequence[dict] | None]) -> dict[int, dict[str, dict]]:
    """{section index: {source index (a string, as in JSON): {field: [message]}}} for every bad source."""
    from documents.models import Document, DocumentPage

    wanted = {_document_id(source) for sources in sections for source in sources or []} - {None}
    known = set(Document.objects.filter(workspace=workspace, pk__in=wanted).values_list("pk", flat=True))
    pairs = {
        (_document_id(source), source["page"])
        for sources in sections
        for source in sources or []
        if _document_id(source) in known and isinstance(source.get("page"), int)
    }
    pages = set()
    if pairs:
        match = Q()
        for document_id, number in pairs:
            match |= Q(document_id=document_id, number=number)
        pages = set(DocumentPage.objects.filter(match).values_list("document_id", "number"))

    errors: dict[int, dict[str, dict]] = {}
    for section_index, sources in enumerate(sections):
        for source_index, source in enumerate(sources or []):
            document_id = _document_id(source)
            page = source.get("page") if isinstance(source, dict) else None
            if document_id not in known:
                problem = {"document_id": [NO_DOCUMENT]}
            elif page is not None and (document_id, page) not in pages:
                problem = {"page": [f"The document has no page {page}."]}
            else:
                continue
            errors.setdefault(section_index, {})[str(source_index)] = problem
    return errors


def check_sources(*, workspace, sections: Sequence[Sequence[dict] | None]) -> None:
    """Raise 400 validation_error naming each bad entry: `{"sources": {"2": {"document_id": [...]}}}` for one
    section, `{"sections": {"0": {"sources": {...}}}}` when several are checked at once."""
    errors = source_errors(workspace=workspace, sections=sections)
    if not errors:
        return
    if len(sections) == 1:
        details = {"sources": errors[0]}
    else:
        details = {"sections": {str(index): {"sources": bad} for index, bad in errors.items()}}
    count = sum(len(bad) for bad in errors.values())
    raise ValidationFailed(
        f"{count} source{'s' if count > 1 else ''} name{'' if count > 1 else 's'} no document page of this "
        "workspace: each source must name a document of this workspace and a page it has.",
        details=details,
    )
