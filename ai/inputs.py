"""What the AI engines read: a document's stored pages, one `SourcePage` per page, in order.

`layout` is the outline signal the documents app keeps with a page (DocumentPage.layout): a tuple of
`(line, level, size, bold)` tuples, one per line of `text` that looks like a heading —
  line   0-based index into `text.split("\\n")`;
  level  outline level 1..6 when the source says so (DOCX heading style, markdown `#`, or the PDF font-size
         rank among the document's heading sizes), 0 when only the font hints at it;
  size   the line's font size divided by the page's body font size (1.0 = body text; 0.0 unknown);
  bold   True when the whole line is set in a bold font (PDF) or strong emphasis (DOCX/markdown).
Engines treat it as a hint: older pages stored before the signal existed have `layout == ()`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class SourcePage:
    document_id: str  # str(uuid), or the file name for local files
    filename: str
    page: int  # 1-based page number as stored
    text: str  # the stored page text
    layout: tuple = ()  # see the module docstring


def layout_tuple(raw) -> tuple:
    """A stored JSON layout (list of lists) as the hashable tuple form; anything malformed is skipped."""
    out = []
    for item in raw or ():
        try:
            line, level, size, bold = item
            out.append((int(line), int(level), float(size), bool(bold)))
        except (TypeError, ValueError):
            continue
    return tuple(out)


def pages_for_documents(documents) -> list[SourcePage]:
    """The stored pages of `documents` (Document rows or ids), document by document in the order given,
    pages in page order."""
    from documents.models import Document, DocumentPage

    docs = [d if isinstance(d, Document) else Document.objects.get(pk=d) for d in documents]
    pages: list[SourcePage] = []
    for doc in docs:
        rows = DocumentPage.objects.filter(document=doc).order_by("number")
        for row in rows:
            pages.append(
                SourcePage(
                    document_id=str(doc.pk),
                    filename=doc.filename,
                    page=row.number,
                    text=row.text,
                    layout=layout_tuple(getattr(row, "layout", None)),
                )
            )
    return pages


def content_type_for_file(path: Path) -> str:
    """The type the documents app would detect for this file (the extension only picks markdown vs text)."""
    from documents import file_types

    declared = file_types.MARKDOWN if path.suffix.lower() in (".md", ".markdown") else file_types.TEXT
    with open(path, "rb") as fp:
        detection = file_types.detect(fp, declared=declared)
    if detection.content_type is None:
        from documents.text_extraction import ExtractionFailed

        raise ExtractionFailed(f"{path.name} is {detection.description}, which cannot be processed.")
    return detection.content_type


def pages_for_file(path) -> list[SourcePage]:
    """The same reading as the documents app's worker, on a local file, writing nothing anywhere."""
    from documents import text_extraction

    path = Path(path)
    extracted = text_extraction.extract(path, content_type_for_file(path))
    return [
        SourcePage(
            document_id=path.name,
            filename=path.name,
            page=p.number,
            text=p.text,
            layout=layout_tuple(getattr(p, "layout", ())),
        )
        for p in extracted
    ]
