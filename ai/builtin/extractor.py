"""The built-in extractor: pages → outline → sections typed and cited."""

from __future__ import annotations

import re

from ai.builtin import classify
from ai.builtin.lines import Line, page_lines
from ai.builtin.outline import Block, build_blocks, find_headings, strip_marks

BULLET = re.compile(r"^\s*(?:[●•▪◦○§➢✓\-*+]|o(?=\s)|\(?[a-z0-9]{1,3}[.)])\s+")
TITLE_HINT = re.compile(
    r"request for (proposals?|quotes?|quotations?|information)|statement of (work|objectives)|"
    r"\b(rfp|rfq|rfi|sow|pws|soo)\b|performance work statement|business case|terms of reference",
    re.I,
)
QUOTE_CHARS = 220


def extract(pages, *, template_sections: list[dict] | None = None) -> dict:
    lines = page_lines(pages)
    docs: dict[str, list[Line]] = {}
    for line in lines:
        docs.setdefault(line.doc, []).append(line)
    sections: list[dict] = []
    titles: list[str] = []
    intros: list[str] = []
    for doc_lines in docs.values():
        doc_sections, title, intro = _extract_document(doc_lines)
        sections.extend(doc_sections)
        titles.append(title)
        intros.append(intro)
    if template_sections:
        order = {t.get("section_type"): n for n, t in enumerate(template_sections)}
        sections.sort(key=lambda s: order.get(s["section_type"], len(order)))
    return {"title": (titles[0] if titles else "")[:200], "summary": _summary(sections, intros), "sections": sections}


def _extract_document(lines: list[Line]) -> tuple[list[dict], str, str]:
    headings = find_headings(lines)
    blocks = build_blocks(lines, headings)
    markdown = any(h.kind == "markdown" for h in headings) or any(line.text.startswith("|") for line in lines[:400])
    title = _document_title(lines, headings)
    intro = _plain(_body_lines(blocks[0]), markdown)
    if len(blocks) == 1:  # no outline at all: one section for the whole text
        body = _body_lines(blocks[0])
        text = _plain(body, markdown)
        cls, score, _ = classify.best(classify.body_scores(text))
        section = _section(title or "Document", cls or "overview", 0.4, body, markdown, [])
        return ([section] if section["content"] else []), title, ""
    classes = _classify_blocks(blocks)
    sections = []
    for i, block in enumerate(blocks):
        if block.heading is None:
            continue
        cls, confidence = classes[i]
        if cls is None or cls in classify.NON_SCOPE:
            continue
        children = [blocks[c].heading.title for c in block.children]
        sections.append(
            _section(block.heading.title, cls, confidence, _body_lines(block), markdown, children, block=block)
        )
    if not sections:
        # Only a title and a short text: the text itself is the scope's one section.
        body = [line for block in blocks for line in _body_lines(block)]
        text = _plain(body, markdown)
        if text:
            cls, _score, _ = classify.best(classify.body_scores(text))
            sections.append(_section(title or "Document", cls or "overview", 0.4, body, markdown, []))
    return sections, title, intro


GENERIC_TITLES = re.compile(
    r"^(summary|details?|description|overview|general|notes?|specific tasks|tasks|activities|other|legend|"
    r"additional information|miscellaneous|introduction|approach|content|contents of this section)$"
)


def _classify_blocks(blocks: list[Block]) -> dict[int, tuple[str | None, float]]:
    """Each heading's class and confidence: its own title first, then its parent's class, then its body."""
    out: dict[int, tuple[str | None, float]] = {}
    titles = _title_blocks(blocks)
    front = _front_matter(blocks)
    for i, block in enumerate(blocks):
        if block.heading is None:
            continue
        body = " ".join(line.text for line in _body_lines(block))
        name = classify.normalise_title(_strip_number(block.heading.title))
        own = classify.title_scores(block.heading.title)
        cls, score, margin = classify.best(own)
        parent = out.get(block.parent) if block.parent is not None else None
        pcls = parent[0] if parent and parent[0] not in ("title", "toc") else None
        if cls == "toc":
            out[i] = ("toc", 1.0)
            continue
        if i in titles and (score < 3 or (TITLE_HINT.search(block.heading.title) and len(body.split()) < 15)):
            # The document's title (and the intro under it): an overview when it has an intro, else nothing.
            out[i] = ("overview", 0.5) if len(body.split()) >= 15 else ("title", 0.5)
            continue
        if i in front and (score < 3 or len(body.split()) < 30):
            out[i] = ("title", 0.5)  # cover-page lines before a numbered outline starts
            continue
        # Under instructions, evaluation or contract terms, a sub-heading is part of them ("Cost" under
        # "Evaluation criteria" is a criterion, not the budget) unless it is clearly something else.
        if pcls in classify.STICKY and not (
            cls and score >= 3.5 and pcls == "terms" and cls not in ("budget", "timeline", "deliverables")
        ):
            out[i] = (pcls, 0.6)
            continue
        if pcls and GENERIC_TITLES.match(name):
            out[i] = (pcls, 0.55)  # "Summary", "Specific tasks" under a heading belong to it
            continue
        if cls == "scope" and name == "scope":
            # A bare "Scope" section with sub-sections or a list describes the work to deliver; in prose,
            # it is an overview of the work.
            cls = "deliverables" if (block.children or _has_list(block)) else "overview"
            out[i] = (cls, 0.6)
            continue
        if cls and score >= 1.5:
            if pcls and pcls not in ("terms", "custom") and cls == "terms" and score < 4:
                # A clause-like sub-heading of a requirements section ("Organizational Conflicts of Interest"
                # under "Security Requirements") is one of those requirements.
                out[i] = (pcls, 0.55)
                continue
            out[i] = (cls, min(0.95, 0.5 + 0.1 * score + 0.05 * min(margin, 2)))
            continue
        if pcls:
            out[i] = (pcls, 0.55)
            continue
        bcls, bscore, _ = classify.best(classify.body_scores(body))
        if cls and score >= 1:
            out[i] = (cls, 0.45)
        elif bcls and bscore >= 0.5:
            out[i] = (bcls, 0.4)
        else:
            out[i] = ("custom", 0.35)
    return out


def _title_blocks(blocks: list[Block]) -> set[int]:
    """The document's title headings among its first three: the first heading when it is a top-level one,
    the heading right after a bodiless title (a subtitle), and any naming the document type (RFP, PWS)."""
    out: set[int] = set()
    heads = [i for i, b in enumerate(blocks) if b.heading is not None][:3]
    for n, i in enumerate(heads):
        block = blocks[i]
        named = bool(TITLE_HINT.search(block.heading.title))
        top = n == 0 and (block.heading.level <= 1 or block.heading.kind == "markdown")
        subtitle = n > 0 and heads[n - 1] in out and not _body_lines(blocks[heads[n - 1]])
        if top or named or subtitle:
            out.add(i)
    return out


def _front_matter(blocks: list[Block]) -> set[int]:
    """Headings before a numbered outline starts (a cover page's agency names and logistics tables)."""
    numbered = [i for i, b in enumerate(blocks) if b.heading is not None and b.heading.kind == "numbered"]
    if len(numbered) < 3:
        return set()
    return {i for i in range(1, numbered[0]) if blocks[i].heading is not None}


def _strip_number(title: str) -> str:
    from ai.builtin.outline import _split_number

    return _split_number(title)[1]


def _has_list(block: Block) -> bool:
    return sum(1 for line in _body_lines(block) if BULLET.match(line.text)) >= 3


def _body_lines(block: Block) -> list[Line]:
    lines = block.lines[block.heading.span :] if block.heading is not None else block.lines
    return [line for line in lines if not line.noise]


def _plain(lines: list[Line], markdown: bool) -> str:
    """Body lines as markdown: markdown sources keep their lines; PDF lines are re-flowed into paragraphs."""
    if markdown:
        text = "\n".join(re_link(line.raw.rstrip()) for line in lines)
        return re.sub(r"\n{3,}", "\n\n", text).strip()
    paras: list[str] = []
    current = ""
    for line in lines:
        t = line.text
        if not t:
            if current:
                paras.append(current)
                current = ""
            continue
        if BULLET.match(t):
            if current:
                paras.append(current)
            current = "- " + BULLET.sub("", t, count=1)
            continue
        current = f"{current} {t}".strip() if current else t
    if current:
        paras.append(current)
    out = []
    for p in paras:
        if out and p.startswith("- ") and out[-1].startswith("- "):
            out[-1] += "\n" + p
        else:
            out.append(p)
    return "\n\n".join(out).strip()


def re_link(text: str) -> str:
    return re.sub(r"\[\](?:\([^)]*\))?", "", text)


def _section(title, cls, confidence, body, markdown, children, block=None) -> dict:
    content = _plain(body, markdown)
    if not content and children:
        content = "\n".join(f"- {c}" for c in children)
    sources = _sources(block, body)
    return {
        "section_type": classify.OUTPUT.get(cls, "custom"),
        "title": title[:300],
        "content": content,
        "confidence": round(confidence, 2),
        "sources": sources,
    }


def _quote(text: str) -> str:
    text = text.strip()
    if len(text) <= QUOTE_CHARS:
        return text
    cut = text[:QUOTE_CHARS]
    return cut[: cut.rfind(" ")].rstrip() if " " in cut else cut


def _sources(block: Block | None, body: list[Line]) -> list[dict]:
    """One source per page the section spans, quoting the first sentence-like line of its text on that page
    (the evidence), or the heading line when the page holds nothing else of the section."""
    heading = [block.lines[0]] if block is not None else []
    pages: dict[tuple[str, int], Line] = {}
    for line in body:
        key = (line.doc, line.page)
        if key not in pages and len(strip_marks(line.text).split()) >= 5:
            pages[key] = line
    for line in heading + body:
        key = (line.doc, line.page)
        if key not in pages and len(re.sub(r"\W", "", line.raw)) >= 3:
            pages[key] = line
    order = list(dict.fromkeys((line.doc, line.page) for line in heading + body))  # pages in reading order
    return [{"document_id": d, "page": p, "quote": _quote(pages[(d, p)].raw)} for d, p in order if (d, p) in pages]


def _document_title(lines: list[Line], headings) -> str:
    for h in headings[:3]:
        if h.kind == "markdown" and h.level == 1:
            return h.title
    head = [strip_marks(line.text) for line in lines[:60] if line.text and not line.noise]
    for text in head:
        if TITLE_HINT.search(text) and len(text.split()) <= 14:
            return text
    if headings:
        return headings[0].title
    return head[0][:200] if head else ""


def _summary(sections: list[dict], intros: list[str]) -> str:
    source = next((s["content"] for s in sections if s["section_type"] == "overview" and len(s["content"]) > 80), "")
    source = source or next((i for i in intros if len(i) > 80), "")
    source = re.sub(r"[#*_`>|]+", " ", source)
    source = " ".join(source.split())
    sentences = re.split(r"(?<=[.!?])\s+", source)
    out = ""
    for sentence in sentences:
        if len(out) + len(sentence) > 400:
            break
        out = f"{out} {sentence}".strip()
    return out or source[:400]
