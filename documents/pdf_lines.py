"""PDF page → text in reading order, plus the outline signal (font size and weight per heading-like line).

pdfminer's layout analysis groups characters into boxes and orders the boxes; on real documents it breaks
lines whose words were drawn as separate runs (text with zero-width characters, justified runs) into
several boxes and then reads the boxes column by column — "1.4" and "Vision" end up on separate lines and
a paragraph's lines come out shuffled. This module reads the page as pdftotext does instead: characters are
grouped into lines by their baseline, lines are read top to bottom and characters left to right, with a
space where the gap between two characters is wider than a fraction of the font size. A page laid out in
two columns (a clear vertical gutter crossing most of the text) is read column by column.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass

SPACE_GAP = 0.15  # × font size: a gap wider than this between two characters is a space
WIDE_GAP = 1.5  # × font size: a gap wider than this separates cells of a table row (two spaces)
ZERO_WIDTH = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"}
BOLD_FONT = re.compile(r"bold|black|heavy|semibold|demi|,b\b|-b$", re.I)
HEADING_MAX_WORDS = 16
NUMBER_SO_FAR = re.compile(r"\s*(?:[A-Z]\.)?\d{1,2}(?:\.\d{1,2})*\.?|\s*[A-Z]\.|\s*[IVX]{1,5}\.")


@dataclass
class _Char:
    text: str
    x0: float
    x1: float
    y0: float
    y1: float
    size: float
    bold: bool


@dataclass
class PdfLine:
    text: str
    size: float  # median font size of its characters
    bold: bool  # every visible character is in a bold font
    x0: float
    top: float


def _chars(layout) -> list[_Char]:
    from pdfminer.layout import LTChar, LTContainer

    out: list[_Char] = []
    stack = [layout]
    while stack:
        item = stack.pop()
        for child in item:
            if isinstance(child, LTChar):
                text = child.get_text()
                if text and text not in ZERO_WIDTH and child.width >= 0:
                    out.append(
                        _Char(
                            text,
                            child.x0,
                            child.x1,
                            child.y0,
                            child.y1,
                            child.size or child.height,
                            bool(BOLD_FONT.search(child.fontname or "")),
                        )
                    )
            elif isinstance(child, LTContainer):
                stack.append(child)
    return out


def _group_lines(chars: list[_Char]) -> list[list[_Char]]:
    """Characters sharing a baseline band, top to bottom."""
    chars = sorted(chars, key=lambda c: (-(c.y0 + c.y1) / 2, c.x0))
    lines: list[list[_Char]] = []
    bands: list[tuple[float, float]] = []
    for c in chars:
        mid = (c.y0 + c.y1) / 2
        height = max(c.y1 - c.y0, 1.0)
        if lines:
            lo, hi = bands[-1]
            if lo - height * 0.25 <= mid <= hi + height * 0.25:
                lines[-1].append(c)
                bands[-1] = (min(lo, c.y0 + height * 0.3), max(hi, c.y1 - height * 0.3))
                continue
        lines.append([c])
        bands.append((c.y0 + height * 0.3, c.y1 - height * 0.3))
    return lines


def _line_text(chars: list[_Char]) -> str:
    chars = sorted(chars, key=lambda c: c.x0)
    parts: list[str] = []
    prev: _Char | None = None
    for c in chars:
        if prev is not None:
            gap = c.x0 - prev.x1
            size = max(prev.size, c.size, 1.0)
            if gap > WIDE_GAP * size:
                # Cells of a table row stay apart; a heading number and its title do not ("1.4  Vision").
                parts.append(" " if NUMBER_SO_FAR.fullmatch("".join(parts)) else "  ")
            elif gap > SPACE_GAP * size and not (parts and parts[-1].endswith(" ")) and not c.text.isspace():
                parts.append(" ")
        if c.text.isspace():
            if parts and not parts[-1].endswith(" "):
                parts.append(" ")
        else:
            parts.append(c.text)
        prev = c
    return re.sub(r"(?<=\S) {3,}", "  ", "".join(parts)).strip()


def _gutter(chars: list[_Char], width: float) -> float | None:
    """The x of a vertical gutter splitting the page into two columns, if there is one."""
    if width <= 0 or len(chars) < 200:
        return None
    bins = 100
    hist = [0] * bins
    for c in chars:
        a = max(0, min(bins - 1, int(c.x0 / width * bins)))
        b = max(0, min(bins - 1, int(c.x1 / width * bins)))
        for i in range(a, b + 1):
            hist[i] += 1
    best = None
    for i in range(30, 70):
        if hist[i] == 0 and hist[i + 1] == 0:
            left, right = sum(hist[:i]), sum(hist[i + 2 :])
            if left > 0.25 * len(chars) and right > 0.25 * len(chars):
                best = (i + 1) / bins * width
                break
    return best


def page_lines(layout) -> list[PdfLine]:
    chars = _chars(layout)
    if not chars:
        return []
    gutter = _gutter(chars, layout.width)
    groups = (
        [chars]
        if gutter is None
        else [
            [c for c in chars if c.x1 <= gutter],
            [c for c in chars if c.x1 > gutter],
        ]
    )
    out: list[PdfLine] = []
    for group in groups:
        for line in _group_lines(group):
            text = _line_text(line)
            if not text:
                continue
            visible = [c for c in line if not c.text.isspace()]
            size = statistics.median(c.size for c in visible) if visible else 0.0
            out.append(
                PdfLine(
                    text,
                    round(size, 2),
                    bool(visible) and all(c.bold for c in visible),
                    min(c.x0 for c in line),
                    max(c.y1 for c in line),
                )
            )
    return out


def body_size(pages: list[list[PdfLine]]) -> float:
    """The font size most of the document's text is set in."""
    counts: Counter = Counter()
    for lines in pages:
        for line in lines:
            counts[round(line.size, 1)] += len(line.text)
    return counts.most_common(1)[0][0] if counts else 0.0


def heading_hints(pages: list[list[PdfLine]]) -> list[list[list]]:
    """Per page, the layout signal: [line index, level, size ÷ body size, bold] for lines set larger than
    the body text or wholly in bold, short enough to be a heading. Levels rank the larger sizes (1 = the
    largest); bold lines at body size get level 0 (the font alone does not say how deep they are)."""
    body = body_size(pages)
    if not body:
        return [[] for _ in pages]
    big = sorted(
        {round(line.size, 1) for lines in pages for line in lines if line.size >= body * 1.12 and _short(line.text)},
        reverse=True,
    )
    out = []
    for lines in pages:
        hints = []
        for index, line in enumerate(lines):
            if not _short(line.text):
                continue
            ratio = round(line.size / body, 2)
            if ratio >= 1.12:
                hints.append(
                    [index, big.index(round(line.size, 1)) + 1 if round(line.size, 1) in big else 0, ratio, line.bold]
                )
            elif line.bold and ratio >= 0.95:
                hints.append([index, 0, ratio, True])
        out.append(hints)
    return out


def _short(text: str) -> bool:
    words = text.split()
    return 0 < len(words) <= HEADING_MAX_WORDS and any(ch.isalpha() for ch in text)
