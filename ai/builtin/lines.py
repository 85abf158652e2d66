"""Pages → the lines a reader sees: running headers/footers and page numbers dropped, markdown noise marked.

Every line keeps where it came from (document, page, line index) so sections can cite the page and quote it
verbatim.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

PAGE_NUMBER = re.compile(
    r"^\s*(?:page\s+)?[-–—(]?\s*(?:\d{1,4}|[ivxlc]{1,6})\s*[-–—)]?(?:\s*(?:of|/)\s*\d{1,4})?\s*$", re.I
)
ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)


@dataclass
class Line:
    doc: str  # document_id
    filename: str
    page: int
    index: int  # line index within the page text
    raw: str  # the line exactly as stored
    text: str  # stripped, zero-width characters removed
    level: int = 0  # outline level from the page's layout signal (0: none)
    size: float = 0.0  # font size relative to body text (0: unknown)
    bold: bool = False
    noise: bool = False  # running header/footer, page number, empty artifact


def _shape(text: str) -> str:
    """A line with its digits blurred, so 'Page 3 of 9' and 'Page 4 of 9' repeat as one running line."""
    return re.sub(r"\d+", "#", text.lower()).strip()


def page_lines(pages) -> list[Line]:
    """All lines of `pages` (SourcePage, in order) with noise marked."""
    lines: list[Line] = []
    by_doc: dict[str, list[list[Line]]] = {}
    for page in pages:
        hints = {item[0]: item for item in page.layout or ()}
        current: list[Line] = []
        for index, raw in enumerate(page.text.split("\n")):
            text = raw.translate(ZERO_WIDTH).replace("\u00a0", " ").strip()
            hint = hints.get(index)
            line = Line(page.document_id, page.filename, page.page, index, raw, text)
            if hint:
                line.level, line.size, line.bold = hint[1], hint[2], hint[3]
            if not text or PAGE_NUMBER.match(text):
                line.noise = bool(text)
            current.append(line)
        lines.extend(current)
        by_doc.setdefault(page.document_id, []).append(current)
    for doc_pages in by_doc.values():
        _mark_running_lines(doc_pages)
    return lines


def _mark_running_lines(doc_pages: list[list[Line]]) -> None:
    """Lines repeated at the top or bottom of many pages (running headers and footers), and in text files
    (where the stored pages are not the printed ones) short lines repeated three times or more."""
    repeats = Counter(
        _shape(line.text)
        for page in doc_pages
        for line in page
        if line.text and not line.noise and not line.text.startswith(("|", "-", "*", "#")) and len(line.text) < 90
    )
    for page in doc_pages:
        for line in page:
            if line.text and repeats.get(_shape(line.text), 0) >= 3 and not any(ch in line.text for ch in ".:;"):
                line.noise = True
    if len(doc_pages) < 3:
        return
    counts: Counter = Counter()
    edges: list[list[Line]] = []
    for page in doc_pages:
        content = [line for line in page if line.text and not line.noise]
        edge = content[:3] + content[-3:]
        edges.append(edge)
        counts.update({_shape(line.text) for line in edge})
    threshold = max(3, int(len(doc_pages) * 0.4))
    running = {shape for shape, n in counts.items() if n >= threshold and len(shape) < 120}
    for edge in edges:
        for line in edge:
            if _shape(line.text) in running:
                line.noise = True
