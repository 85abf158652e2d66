"""What happens to every engine's answer before it is stored, whatever the provider:

- every source quote must be found verbatim (after whitespace normalisation) on the page it cites, in a document
  of the run; a quote that is not is dropped and lowers its section's confidence;
- every generated string is sanitised with nh3 (no raw HTML or script survives, even entity-encoded);
- the scope's confidence is the sections' weighted by content length;
- nothing stored is longer than the API would accept back in a request body (orbit/errors.py): quotes, titles,
  section content and the summary are cut at a word boundary (a quote stays a verbatim prefix of what was
  verified), and a section keeps at most MAX_SOURCES verified sources.
"""

import html

import nh3

from orbit.errors import MAX_QUOTE, MAX_SECTION_CONTENT, MAX_SOURCES, MAX_SUMMARY, MAX_TITLE, clip
from scopes.models import ScopeSection

SECTION_TYPES = set(ScopeSection.SectionType.values)


def normalize_ws(text: str) -> str:
    return " ".join((text or "").split())


def sanitize(text) -> str:
    """Plain text/markdown without any HTML tag. Entities nh3 introduces are decoded again, and the result is
    cleaned until stable, so `&lt;script&gt;` cannot turn into a tag on the way."""
    text = str(text or "")
    for _ in range(5):
        cleaned = html.unescape(nh3.clean(text, tags=set(), clean_content_tags={"script", "style"}))
        if cleaned == text:
            break
        text = cleaned
    return text.replace("\x00", "").strip()


class PageIndex:
    """The stored text of the run's pages, whitespace-normalised, by (document id, page number)."""

    def __init__(self, pages):
        self.pages = {(str(p.document_id), int(p.page)): normalize_ws(p.text) for p in pages}

    def has(self, document_id, page) -> bool:
        try:
            return (str(document_id), int(page)) in self.pages
        except (TypeError, ValueError):
            return False

    def contains(self, document_id, page, quote) -> bool:
        needle = normalize_ws(quote)
        if not needle or not self.has(document_id, page):
            return False
        return needle in self.pages[(str(document_id), int(page))]


def verify_sources(sources, index: PageIndex) -> tuple[list[dict], int]:
    """(the sources whose quote is on their page, how many were dropped). Duplicates are dropped silently, and so
    are verified sources past the first MAX_SOURCES; quotes are cut to MAX_QUOTE."""
    kept, dropped, seen = [], 0, set()
    for source in sources or []:
        if not isinstance(source, dict):
            dropped += 1
            continue
        document_id, page, quote = str(source.get("document_id", "")), source.get("page"), source.get("quote", "")
        if not index.contains(document_id, page, quote):
            dropped += 1
            continue
        quote = clip(sanitize(normalize_ws(quote)), MAX_QUOTE)
        key = (document_id, int(page), quote)
        if key not in seen:
            seen.add(key)
            kept.append({"document_id": document_id, "page": int(page), "quote": quote})
    return kept[:MAX_SOURCES], dropped


def _confidence(value, *, kept: int, dropped: int) -> float:
    try:
        confidence = min(max(float(value), 0.0), 1.0)
    except (TypeError, ValueError):
        confidence = 0.5
    total = kept + dropped
    if dropped:
        confidence *= 0.5 + 0.5 * kept / total
    if not kept:
        confidence = min(confidence, 0.5)  # nothing in the documents backs this section
    return round(confidence, 3)


def finish_extraction(data: dict, pages) -> dict:
    """{title, summary, confidence, sections: [section specs for scopes.services]} from an engine's answer."""
    index = PageIndex(pages)
    sections = []
    for raw in data.get("sections") or []:
        if not isinstance(raw, dict):
            continue
        title = clip(sanitize(raw.get("title")), MAX_TITLE)
        content = clip(sanitize(raw.get("content")), MAX_SECTION_CONTENT)
        if not title and not content:
            continue
        sources, dropped = verify_sources(raw.get("sources"), index)
        section_type = raw.get("section_type") if raw.get("section_type") in SECTION_TYPES else "custom"
        sections.append(
            {
                "section_type": section_type,
                "title": title or "Untitled section",
                "content": content,
                "confidence": _confidence(raw.get("confidence", 0.5), kept=len(sources), dropped=dropped),
                "ai_generated": True,
                "sources": sources,
            }
        )
    weight = sum(len(s["content"]) for s in sections)
    if weight:
        confidence = round(sum(s["confidence"] * len(s["content"]) for s in sections) / weight, 3)
    else:
        confidence = round(sum(s["confidence"] for s in sections) / len(sections), 3) if sections else None
    summary = sanitize(data.get("summary"))
    if not summary and sections:
        summary = " ".join(normalize_ws(sections[0]["content"]).split(". ")[:2])[:1000]
    return {
        "title": clip(sanitize(data.get("title")), MAX_TITLE),
        "summary": clip(summary, MAX_SUMMARY),
        "confidence": confidence,
        "sections": sections,
    }


def finish_suggestions(data: dict) -> list[dict]:
    out = []
    for raw in (data or {}).get("suggestions") or []:
        if not isinstance(raw, dict) or raw.get("kind") not in ("rewrite", "add", "remove"):
            continue
        out.append(
            {
                "kind": raw["kind"],
                "rationale": sanitize(raw.get("rationale")),
                "proposed_content": sanitize(raw.get("proposed_content")),
            }
        )
    return out[:5]


def _clean(value):
    """Every string in a JSON-like value sanitised."""
    if isinstance(value, str):
        return sanitize(value)
    if isinstance(value, list):
        return [_clean(item) for item in value]
    if isinstance(value, dict):
        return {key: _clean(item) for key, item in value.items()}
    return value


def finish_analysis(data: dict, pages, section_ids: set[str]) -> dict:
    """Risks, gaps, coverage (only requirements whose quote is on its page) with the covered ratio, questions."""
    index = PageIndex(pages)
    data = data or {}

    def finding(raw):
        raw = dict(raw) if isinstance(raw, dict) else {"description": str(raw)}
        if str(raw.get("section_id") or "") not in section_ids:
            raw["section_id"] = None
        return _clean(raw)

    requirements = []
    for raw in (data.get("coverage") or {}).get("requirements") or []:
        if not isinstance(raw, dict) or not index.contains(raw.get("document_id"), raw.get("page"), raw.get("quote")):
            continue
        covered_by = [str(s) for s in raw.get("covered_by") or [] if str(s) in section_ids]
        status = raw.get("status") if raw.get("status") in ("covered", "partial", "uncovered") else None
        status = status or ("covered" if covered_by else "uncovered")
        if status != "uncovered" and not covered_by:
            status = "uncovered"
        requirements.append(
            {
                **_clean({k: v for k, v in raw.items() if k not in ("covered_by", "status", "page")}),
                "document_id": str(raw["document_id"]),
                "page": int(raw["page"]),
                "quote": clip(sanitize(normalize_ws(raw["quote"])), MAX_QUOTE),
                "covered_by": covered_by,
                "status": status,
            }
        )
    questions = []
    for raw in data.get("questions") or []:
        if not isinstance(raw, dict):
            continue
        sources, _dropped = verify_sources(raw.get("sources"), index)
        questions.append({**_clean({k: v for k, v in raw.items() if k != "sources"}), "sources": sources})
    total = len(requirements)
    score = sum(1 if r["status"] == "covered" else 0.5 if r["status"] == "partial" else 0 for r in requirements)
    return {
        "risks": [finding(r) for r in data.get("risks") or []],
        "gaps": [finding(g) for g in data.get("gaps") or []],
        "coverage": {
            "requirements": requirements,
            "covered_ratio": round(score / total, 3) if total else None,
            "counts": {
                status: sum(1 for r in requirements if r["status"] == status)
                for status in ("covered", "partial", "uncovered")
            },
        },
        "questions": questions,
    }
