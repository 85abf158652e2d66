"""Built-in `analyze` and `suggest`: rules a reviewer applies to a scope, no model involved.

Requirement statements ("shall", "must", "is required to", items of numbered requirement lists) are read
from the source pages with their page and a verbatim quote, and matched to the scope's sections by text
similarity (rapidfuzz).
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz, process

from ai.builtin import classify, patterns, rules, suggestions

COVERED = 80
PARTIAL = 60
QUOTE_CHARS = 300


def _norm(text: str) -> str:
    return " ".join(text.split())


def _cut(text: str, n: int = QUOTE_CHARS) -> str:
    if len(text) <= n:
        return text
    cut = text[:n]
    return cut[: cut.rfind(" ")] if " " in cut else cut


def sentences(text: str) -> list[str]:
    """Whitespace-normalised sentences and list items of a page. Lines are joined into a sentence only when the
    first does not end one and the next is not a bullet, a numbered heading or the line after a short line
    (a heading or a table cell), so a requirement never runs into the heading that follows it."""
    units: list[str] = []
    current = ""
    prev = ""
    for raw in text.split("\n"):
        line = " ".join(raw.split())
        if not line:
            if current:
                units.append(current)
            current, prev = "", ""
            continue
        starts_new = (
            bool(LIST_OR_HEADING.match(line))
            or prev.endswith((".", "!", "?", ":", ";"))
            or len(prev) < 40
            or bool(NUMBERED_HEADING.match(prev))
        )
        if current and starts_new:
            units.append(current)
            current = ""
        current = f"{current} {line}".strip() if current else line
        prev = line
    if current:
        units.append(current)
    out = []
    for unit in units:
        unit = LIST_OR_HEADING.sub("", unit, count=1) if unit[:1] in "-*+●•▪" else unit
        for part in re.split(r"(?<=[.!?;])\s+(?=[A-Z(\"“])", unit):
            part = part.strip(" |#*")
            if len(part) >= 12:
                out.append(part)
    return out


NUMBERED_HEADING = re.compile(r"^(?:#{1,6}\s|(?:[A-Z]\.)?\d{1,2}(?:\.\d{1,2})+\.?\s+[A-Z][^.]*$)")
LIST_OR_HEADING = re.compile(r"^(?:[-*+●•▪◦]\s+|\d{1,2}(?:\.\d{1,2})*[.)]?\s+[A-Z]|[A-Z]\.\d|#{1,6}\s)")


def _quote_on_page(sentence: str, page_text: str) -> str:
    """A verbatim (after whitespace normalisation) quote of `sentence` from the page: the longest prefix
    of the sentence's words found in the normalised page text."""
    flat = _norm(page_text)
    quote = _cut(sentence)
    while quote and quote not in flat:
        words = quote.split()
        if len(words) <= 3:
            return ""
        quote = " ".join(words[:-1])
    return quote


def find_requirements(pages) -> list[dict]:
    found: list[dict] = []
    seen: set[str] = set()
    for page in pages:
        for sentence in sentences(page.text):
            if not patterns.REQUIREMENT.search(sentence) or len(sentence.split()) < 5:
                continue
            key = sentence.lower()
            if key in seen:
                continue
            seen.add(key)
            quote = _quote_on_page(sentence, page.text)
            if not quote:
                continue
            found.append(
                {"text": _cut(sentence, 500), "document_id": page.document_id, "page": page.page, "quote": quote}
            )
    return found


def _section_chunks(sections: list[dict]) -> list[tuple[object, str]]:
    chunks = []
    for s in sections:
        sid = s.get("id")
        text = f"{s.get('title', '')}. {s.get('content', '')}"
        for sentence in dict.fromkeys(sentences(text) or [text]):  # each distinct sentence once
            if len(sentence.split()) >= 4:  # token-set similarity calls any subset a match: no tiny chunks
                chunks.append((sid, sentence))
    return chunks


def coverage(requirements: list[dict], sections: list[dict]) -> dict:
    """Each requirement against every sentence of every section (rapidfuzz token-set similarity, computed as
    one matrix): its best section score decides covered (>= COVERED), partial (>= PARTIAL) or uncovered."""
    chunks = _section_chunks(sections)
    out = []
    covered = 0.0
    if requirements and chunks:
        matrix = process.cdist(
            [r["text"] for r in requirements],
            [chunk for _sid, chunk in chunks],
            scorer=fuzz.token_set_ratio,
            processor=str.lower,
            score_cutoff=PARTIAL,
        )
    for row, req in enumerate(requirements):
        scores: dict[object, float] = {}
        if chunks:
            values = matrix[row]
            for col in values.nonzero()[0].tolist():  # only the chunks at or above the cutoff
                sid, value = chunks[col][0], float(values[col])
                if value > scores.get(sid, 0):
                    scores[sid] = value
        best = max(scores.values(), default=0)
        if best >= COVERED:
            status = "covered"
            covered += 1
        elif best >= PARTIAL:
            status = "partial"
            covered += 0.5
        else:
            status = "uncovered"
        by = [sid for sid, sc in sorted(scores.items(), key=lambda kv: -kv[1]) if sc >= PARTIAL and sid is not None]
        out.append({**req, "covered_by": by[:3], "status": status})
    ratio = round(covered / len(out), 3) if out else 1.0
    return {"requirements": out, "covered_ratio": ratio}


def analyze(scope: dict, sections: list[dict], pages) -> dict:
    risks: list[dict] = []
    gaps: list[dict] = []
    present = {s.get("section_type") for s in sections}
    titled = set()
    for s in sections:  # "Period of Performance, Budget and Ceiling Price" answers timeline and budget
        titled |= {c for c, v in classify.title_scores(s.get("title", "")).items() if v >= 2}
    for section_type, severity, detail in rules.STANDARD_SECTIONS:
        answered = present | titled
        if section_type not in answered and not (section_type == "timeline" and "milestones" in answered):
            gaps.append(
                {
                    "severity": severity,
                    "section_id": None,
                    "title": f"No {rules.LABELS[section_type]} section",
                    "detail": detail,
                }
            )
    for s in sections:
        risks.extend(rules.section_risks(s))
        gaps.extend(rules.section_gaps(s))
    risks.extend(rules.sum_risks(sections))
    risks.extend(rules.date_risks(sections))
    requirements = find_requirements(pages)
    return {
        "risks": risks,
        "gaps": gaps,
        "coverage": coverage(requirements, sections),
        "questions": rules.questions(pages),
    }


def suggest(section: dict, scope: dict) -> list[dict]:
    return suggestions.suggestions(section, scope)
