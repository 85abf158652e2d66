"""Cutting long input to fit a model: whole pages while they fit, a page too long for one request is cut at its
headings (then blank lines, then lines, then characters). Every piece keeps its document and page, so a
quote from any piece is still checked against the whole page it came from."""

import re
from dataclasses import dataclass

# A conservative estimate for English prose with a BPE tokenizer (about 4 characters a token).
CHARS_PER_TOKEN = 3.5

HEADING = re.compile(
    r"^\s*(#{1,6}\s|(\d+(\.\d+)*|[A-Z](\.\d+)+|[IVXLC]+)\.?\s+[A-Z]|(section|article|part)\s+[\dIVX]+\b)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Piece:
    document_id: str
    filename: str
    page: int
    text: str


def estimate_tokens(text: str) -> int:
    return int(len(text) / CHARS_PER_TOKEN) + 1


def _split_at(text: str, boundary) -> list[str]:
    """Cut `text` before each line for which `boundary(line)` holds (the line starts the next part)."""
    parts, current = [], []
    for line in text.splitlines(keepends=True):
        if current and boundary(line):
            parts.append("".join(current))
            current = []
        current.append(line)
    if current:
        parts.append("".join(current))
    return parts


def _pack(parts: list[str], limit: int) -> list[str]:
    """Join consecutive parts while they stay under `limit` characters; a part alone over it is cut finer."""
    out, current = [], ""
    for part in parts:
        if len(part) > limit:
            if current:
                out.append(current)
                current = ""
            out.extend(_cut(part, limit))
        elif len(current) + len(part) > limit:
            out.append(current)
            current = part
        else:
            current += part
    if current:
        out.append(current)
    return out


def _cut(text: str, limit: int, level: int = 0) -> list[str]:
    splitters = (
        lambda t: _split_at(t, lambda line: bool(HEADING.match(line))),
        lambda t: re.split(r"(?<=\n)(?=\s*\n)", t),
        lambda t: t.splitlines(keepends=True),
    )
    if len(text) <= limit:
        return [text]
    if level >= len(splitters):
        return [text[i : i + limit] for i in range(0, len(text), limit)]
    parts = splitters[level](text)
    if len(parts) <= 1:
        return _cut(text, limit, level + 1)
    return [piece for part in _pack(parts, limit) for piece in _cut(part, limit, level + 1)]


def chunk_pages(pages, *, budget_tokens: int) -> list[list[Piece]]:
    """Group pages (objects with document_id, filename, page, text) into chunks each under `budget_tokens`."""
    limit = max(int(budget_tokens * CHARS_PER_TOKEN), 200)
    chunks: list[list[Piece]] = []
    current: list[Piece] = []
    size = 0
    for page in pages:
        text = page.text or ""
        for part in _cut(text, limit) if text else [""]:
            piece = Piece(str(page.document_id), page.filename, page.page, part)
            cost = len(part) + 80  # the page's delimiters
            if current and size + cost > limit:
                chunks.append(current)
                current, size = [], 0
            current.append(piece)
            size += cost
    if current:
        chunks.append(current)
    return chunks
