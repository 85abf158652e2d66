"""Recover a document's outline: which lines are headings, their number and level.

Signals, strongest first: markdown `#` headings (DOCX heading styles arrive as these), numbered headings
(`3.2`, `1.0`, `C.4`, `Section 5`, `Article 3`, `IV.`, `Annex B`), the PDF layout signal (larger or bold
text), bold-only lines, and short upper-case lines. Tables of contents are recognised and skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ai.builtin.lines import Line

MD_HEADING = re.compile(r"^(#{1,6})\s*(.*?)\s*#*\s*$")
BOLD_LINE = re.compile(r"^\*\*(.+?)\*\*\s*:?\s*$")
EMPTY_LINK = re.compile(r"\[\]\([^)]*\)|\[\](?!\()")
DOTTED = re.compile(r"^(?P<num>\d{1,2}(?:\.\d{1,2}){0,4})(?:\.|\)|(?=\s))\s*(?P<title>[^\W\d_\s].*|[\"'“(].*)$")
LETTERED = re.compile(r"^(?P<num>[A-Z]\.\d{1,2}(?:\.\d{1,2}){0,3})\.?\s+(?P<title>\S.*)$")
KEYWORD = re.compile(
    r"^(?P<kw>section|article|part|chapter|annex|appendix|attachment|exhibit)\s+"
    r"(?P<num>\d{1,2}(?:\.\d{1,2})*|[ivxlc]{1,6}|[a-z])\b\s*[.:\-–—)]?\s*(?P<title>.*)$",
    re.I,
)
ROMAN = re.compile(r"^(?P<num>[IVX]{1,5})[.)]\s+(?P<title>\S.*)$")
LETTER = re.compile(r"^(?P<num>[A-Z])[.)]\s+(?P<title>\S.*)$")
TOC_LEADER = re.compile(r"(?:\.{4,}|…{2,}|(?:\. ){4,}|_{4,})\s*\d*\s*$|\s{2,}\d{1,3}\s*$|\t\d{1,3}\s*$")
TOC_TITLE = re.compile(r"^(table of )?contents$|^toc$", re.I)
LINK_ONLY = re.compile(r"^\s*(?:[-*+]|\d+\.)\s*\[[^\]]+\]\(#[^)]*\)\s*$")
SMALL_WORDS = {
    "a",
    "an",
    "and",
    "as",
    "at",
    "by",
    "for",
    "in",
    "of",
    "on",
    "or",
    "the",
    "to",
    "with",
    "from",
    "into",
    "vs",
    "via",
    "per",
    "not",
    "is",
    "are",
    "be",
    "&",
    "-",
    "–",
    "—",
    "/",
}


@dataclass
class Heading:
    line: Line
    title: str  # as printed, number included, markdown marks removed
    number: str | None
    level: int
    strength: float  # 0..1, how sure we are this is a heading
    kind: str
    end_line: int = 0  # index (in the document's lines) of the heading's last line
    span: int = 1  # lines the heading takes (a PDF may put the number and the title on two lines)


@dataclass
class Block:
    heading: Heading | None
    lines: list[Line] = field(default_factory=list)
    parent: int | None = None  # index of the parent block
    children: list[int] = field(default_factory=list)


def strip_marks(text: str) -> str:
    text = EMPTY_LINK.sub("", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # links → their text
    text = text.replace("**", "").replace("__", "")
    text = re.sub(r"(?<!\w)[*_](\S(?:.*?\S)?)[*_](?!\w)", r"\1", text)
    return " ".join(text.split()).strip(" *_")


def looks_like_title(title: str, *, numbered: bool = False) -> bool:
    """A plausible heading text: short, starts like a title, not a sentence."""
    t = title.strip()
    if not t or len(t) > 120:
        return False
    words = t.split()
    if len(words) > (16 if numbered else 12):
        return False
    if not (t[0].isupper() or t[0].isdigit() or t[0] in "\"'“("):
        return False
    if t.endswith((",", ";")) or (t.endswith(".") and not re.search(r"\b(etc|Inc|No|Ltd)\.$", t) and len(words) > 3):
        return False
    letters = sum(ch.isalpha() for ch in t)
    if letters < max(2, 0.5 * len(t.replace(" ", ""))):
        return False
    return not re.search(r"https?://|@\w", t)


def title_case_ratio(title: str) -> float:
    words = [w for w in re.findall(r"[A-Za-z][\w'’-]*", title) if w.lower() not in SMALL_WORDS]
    if not words:
        return 0.0
    return sum(w[0].isupper() for w in words) / len(words)


def is_upper(title: str) -> bool:
    letters = [ch for ch in title if ch.isalpha()]
    return len(letters) >= 3 and all(ch.isupper() for ch in letters)


def number_level(number: str) -> int:
    parts = number.split(".")
    while len(parts) > 1 and parts[-1] == "0":
        parts.pop()
    return len(parts)


@dataclass
class _Doc:
    """What the whole document says about how its headings look."""

    markdown: bool  # it has markdown `#` headings
    layout: bool  # its pages carry a PDF font signal
    dotted: bool  # it numbers its headings 1.1 / 2.0 / C.4 (so "1." items are lists, not headings)


def _doc_features(lines: list[Line]) -> _Doc:
    texts = [line.text for line in lines if line.text and not line.noise]
    markdown = any(MD_HEADING.match(t) for t in texts)
    layout = any(line.size for line in lines)
    dotted = sum(1 for t in texts if DOTTED_START.match(t)) >= 3
    return _Doc(markdown, layout, dotted)


DOTTED_START = re.compile(r"^(?:#+\s*)?(?:\d{1,2}\.\d{1,2}|[A-Z]\.\d{1,2})(?:\.\d{1,2})*\.?\s+[A-Z(]")


def _marked(line: Line) -> bool:
    return bool(line.level or line.bold or line.size >= 1.12)


def _candidate(lines: list[Line], i: int, doc: _Doc) -> Heading | None:
    line = lines[i]
    text = line.text
    if line.noise or not text or text.startswith(("|", ">", "<", "!")):
        return None
    md = MD_HEADING.match(text)
    if md:
        title = strip_marks(md.group(2))
        if not title or not re.search(r"[A-Za-z]", title) or re.fullmatch(r"[{\[(<].*[}\])>]", title):
            return None  # empty, or a template placeholder standing as a heading
        number, rest = _split_number(title)
        return Heading(line, title, number, len(md.group(1)), 1.0, "markdown", i)
    if LINK_ONLY.match(text) or TOC_LEADER.search(text):
        return None
    bold = BOLD_LINE.match(text)
    plain = strip_marks(text)
    if not plain:
        return None
    # A number alone on its line followed by the title (PDF layout split them): join them.
    end = i
    if re.fullmatch(r"(\d{1,2}(?:\.\d{1,2}){0,4}|[A-Z]\.\d{1,2}(?:\.\d{1,2})*)\.?", plain):
        nxt = _next_text(lines, i)
        if nxt is None:
            return None
        plain = f"{plain.rstrip('.')} {strip_marks(lines[nxt].text)}"
        end = nxt
    number, rest = _split_number(plain)
    strength, kind, level = 0.0, "", 0
    words = len(rest.split())
    if number is not None and looks_like_title(rest, numbered=True):
        kind = "numbered"
        tc = title_case_ratio(rest)
        titleish = is_upper(rest) or (tc >= 0.6 and words <= 10 and not rest.endswith("."))
        if re.fullmatch(r"\d{1,2}", number):
            # "1 Introduction" / "1. Introduction": a heading when title-like; in a document numbered 1.1/2.0
            # (or one with a font signal) only when its font marks it, otherwise it is a list item.
            if doc.dotted or doc.layout:
                strength = 0.75 if _marked(line) and titleish else 0.0
            elif is_upper(rest) or (tc >= 0.75 and words <= 8) or bold:
                strength = 0.75
            elif words <= 4 and not rest.endswith("."):
                strength = 0.5
        elif re.fullmatch(r"[A-Z]|[IVX]{1,5}", number):
            if (is_upper(rest) or tc >= 0.75) and words <= 8 and (_marked(line) or not doc.layout):
                strength = 0.6
        elif number.startswith(("Section", "Article", "Part", "Chapter", "Annex", "Appendix", "Attachment", "Exhibit")):
            strength = 0.85 if titleish or rest == plain else 0.0
        elif doc.layout and not _marked(line):
            # Unmarked by the font: a numbered paragraph unless it reads like a short title.
            strength = 0.7 if (is_upper(rest) or (tc >= 0.75 and words <= 7 and not rest.endswith("."))) else 0.0
        elif rest.endswith(".") and words > 6:
            strength = 0.0
        else:
            strength = 0.9
        level = _number_depth(number)
    elif looks_like_title(plain):
        words = len(plain.split())
        if doc.layout and (line.level or line.size >= 1.12 or line.bold):
            # Unnumbered bold text inside a numbered outline is a run-in label or a table header, not a heading.
            if doc.dotted and line.size < 1.12 and _after_numbered(lines, i):
                return None
            if _bold_run(lines, i) >= 3:
                return None  # a paragraph set in bold
            kind, strength = "layout", 0.8 if (line.size >= 1.12 or line.level) else 0.65
            level = line.level or 0
            nxt = i + 1
            if (
                _bold_run(lines, i) == 2
                and nxt < len(lines)
                and not plain.endswith((".", ":", ";"))
                and len(plain) + len(lines[nxt].text) <= 160
            ):
                plain = f"{plain} {strip_marks(lines[nxt].text)}"  # a heading wrapped over two lines
                end = nxt
        elif bold and not doc.layout:
            kind, strength = "bold", 0.7
        elif is_upper(plain) and words <= 10 and not (doc.dotted and _after_numbered(lines, i)):
            kind, strength = "caps", 0.65
        elif (
            not doc.markdown
            and not doc.layout
            and _stands_alone(lines, i)
            and words <= 8
            and title_case_ratio(plain) >= 0.75
        ):
            kind, strength = "standalone", 0.5
    if strength <= 0:
        return None
    return Heading(line, plain, number, level, strength, kind, end)


def _after_numbered(lines: list[Line], i: int) -> bool:
    return any(DOTTED_START.match(line.text) for line in lines[:i] if line.text)


def _bold_run(lines: list[Line], i: int) -> int:
    """How many consecutive lines, starting at i's run, share i's font signal (size and weight)."""

    def same(j):
        return lines[j].text and (lines[j].bold, round(lines[j].size, 1)) == (lines[i].bold, round(lines[i].size, 1))

    start = i
    while start > 0 and same(start - 1) and lines[start - 1].page == lines[i].page:
        start -= 1
    end = i
    while end + 1 < len(lines) and same(end + 1) and lines[end + 1].page == lines[i].page:
        end += 1
    return end - start + 1


def _number_depth(number: str) -> int:
    if re.fullmatch(r"[A-Z]\.\d.*", number):
        return number_level(number[2:]) + 1
    if re.fullmatch(r"[A-Z]|[IVX]{1,5}", number):
        return 1
    return number_level(number)


def _split_number(title: str) -> tuple[str | None, str]:
    for pattern in (KEYWORD, LETTERED, DOTTED, ROMAN, LETTER):
        m = pattern.match(title)
        if m:
            number = m.group("num")
            rest = m.group("title").strip(" .:-–—")
            if pattern is KEYWORD:
                number = f"{m.group('kw').title()} {number}"
                if not rest:
                    rest = title
            if pattern is DOTTED and re.fullmatch(r"\d{3,}|\d{1,2}\.\d{3,}", number or ""):
                return None, title
            return number, rest
    return None, title


def _next_text(lines: list[Line], i: int) -> int | None:
    for j in range(i + 1, min(i + 4, len(lines))):
        if lines[j].text and not lines[j].noise:
            return j
    return None


def _stands_alone(lines: list[Line], i: int) -> bool:
    before = lines[i - 1].text if i > 0 and lines[i - 1].page == lines[i].page else ""
    after = lines[i + 1].text if i + 1 < len(lines) else ""
    return not before and not after


def find_headings(lines: list[Line]) -> list[Heading]:
    doc = _doc_features(lines)
    headings: list[Heading] = []
    i = 0
    while i < len(lines):
        h = _candidate(lines, i, doc)
        if h is not None:
            h.span = h.end_line - i + 1
            headings.append(h)
            i = h.end_line + 1
            continue
        i += 1
    headings = _drop_contents(lines, headings)
    _assign_levels(headings)
    return headings


def _drop_contents(lines: list[Line], headings: list[Heading]) -> list[Heading]:
    """A table of contents: a run of heading-like lines with no body text between them whose titles come
    back later in the document. Those early copies are not headings."""
    positions = {id(line): n for n, line in enumerate(lines)}
    keep = []
    seen_later: dict[str, int] = {}
    for h in headings:
        seen_later[_key(h)] = seen_later.get(_key(h), 0) + 1
    counts = dict(seen_later)
    for n, h in enumerate(headings):
        counts[_key(h)] -= 1
        repeated = counts[_key(h)] > 0
        if repeated and h.kind != "markdown":
            nxt = headings[n + 1] if n + 1 < len(headings) else None
            if nxt is not None:
                gap = [
                    line
                    for line in lines[positions[id(h.line)] + 1 : positions[id(nxt.line)]]
                    if line.text and not line.noise and positions[id(line)] > h.end_line
                ]
                if len(gap) <= 1:
                    continue
        keep.append(h)
    return keep


def _key(h: Heading) -> str:
    return re.sub(r"[^a-z0-9]+", " ", h.title.lower()).strip()


def _assign_levels(headings: list[Heading]) -> None:
    """Levels for headings that carry none: bold/caps/standalone lines sit one below the last structured
    heading; layout headings are ranked by font size."""
    sizes = sorted({round(h.line.size, 1) for h in headings if h.kind == "layout" and h.line.size}, reverse=True)
    current = 0
    for h in headings:
        if h.kind in ("markdown", "numbered") and h.level:
            current = h.level
            continue
        if h.kind == "layout" and not h.level:
            size = round(h.line.size, 1)
            rank = sizes.index(size) + 1 if size in sizes else 0
            h.level = rank if rank else current + 1
            if not h.line.size or h.line.size < 1.15:
                h.level = max(h.level, current + 1) if current else h.level
            current = h.level
            continue
        if not h.level:
            h.level = current + 1 if current else 1


def build_blocks(lines: list[Line], headings: list[Heading]) -> list[Block]:
    """Split the lines at the headings; block 0 holds any text before the first heading (heading None).
    A block's lines start with its heading line(s)."""
    starts = {id(h.line): h for h in headings}
    blocks: list[Block] = [Block(None)]
    for line in lines:
        h = starts.get(id(line))
        if h is not None:
            blocks.append(Block(h))
        blocks[-1].lines.append(line)
    stack: list[int] = []
    for i, block in enumerate(blocks):
        if block.heading is None:
            continue
        while stack and blocks[stack[-1]].heading.level >= block.heading.level:
            stack.pop()
        if stack:
            block.parent = stack[-1]
            blocks[stack[-1]].children.append(i)
        stack.append(i)
    return blocks
