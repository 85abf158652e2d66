"""The review rules behind built-in analyze: vague wording, placeholders, missing measurable criteria, missing
standard sections, sums and dates that disagree, responsibilities nobody holds, and questions for the client.
What they look for is in `patterns`; built-in suggest's rules are in `suggestions`."""

from __future__ import annotations

import re

from ai.builtin.patterns import (
    COMMITMENT_TYPES,
    DATE,
    FIGURE_LINE,
    MEASURABLE,
    MONEY,
    PASSIVE_UNASSIGNED,
    PLACEHOLDER,
    REQUIREMENT,
    VAGUE,
    money_values,
    parse_dates,
)

LABELS = {
    "overview": "overview",
    "objectives": "objectives",
    "scope": "in-scope",
    "deliverables": "deliverables",
    "timeline": "timeline",
    "milestones": "milestones",
    "budget": "budget",
    "team": "team",
    "assumptions": "assumptions",
    "exclusions": "exclusions (out of scope)",
    "risks": "risks",
    "acceptance": "acceptance criteria",
    "terms": "terms",
    "custom": "custom",
}
STANDARD_SECTIONS = [
    ("deliverables", "high", "Nothing says what will be handed over; list each deliverable, its format and due date."),
    ("acceptance", "high", "No acceptance criteria: say how each deliverable is accepted, by whom and how fast."),
    ("timeline", "medium", "No timeline or milestones: give the period of performance and dated milestones."),
    ("budget", "medium", "No budget or pricing basis: state the ceiling, the pricing model or the payment schedule."),
    ("exclusions", "medium", "Nothing is declared out of scope; unstated exclusions are where disputes start."),
    ("assumptions", "low", "No assumptions are recorded (access, client-provided resources, environments)."),
    ("objectives", "low", "No objectives: say what outcome the work must achieve, ideally measurably."),
    ("risks", "low", "No risks are identified for the work."),
]


def section_risks(section: dict) -> list[dict]:
    sid = section.get("id")
    title = section.get("title", "")
    content = section.get("content", "") or ""
    out = []
    holes = sorted({m.group(0) for m in PLACEHOLDER.finditer(content)})
    if holes:
        out.append(
            {
                "severity": "high",
                "section_id": sid,
                "title": f"Placeholders left in “{title}”",
                "detail": "Unfilled text: " + ", ".join(holes[:6]) + ". Replace each with the real value.",
            }
        )
    vague = sorted({m.group(0).lower() for m in VAGUE.finditer(content)})
    if vague and section.get("section_type") in COMMITMENT_TYPES:
        out.append(
            {
                "severity": "medium" if len(vague) >= 3 else "low",
                "section_id": sid,
                "title": f"Vague wording in “{title}”",
                "detail": "Words that cannot be verified: " + ", ".join(vague[:8]) + ".",
            }
        )
    passive = [m.group(0) for m in PASSIVE_UNASSIGNED.finditer(content)]
    if passive:
        out.append(
            {
                "severity": "medium",
                "section_id": sid,
                "title": f"Unassigned responsibilities in “{title}”",
                "detail": "Nobody is named for: "
                + "; ".join(sorted(set(passive))[:5])
                + ". Say whether the client or the contractor does it.",
            }
        )
    return out


def section_gaps(section: dict) -> list[dict]:
    sid = section.get("id")
    kind = section.get("section_type")
    content = section.get("content", "") or ""
    title = section.get("title", "")
    out = []
    if kind == "deliverables" and not MEASURABLE.search(content):
        out.append(
            {
                "severity": "high",
                "section_id": sid,
                "title": f"“{title}” has no measurable criteria",
                "detail": "No quantities, dates or acceptance test: say how each deliverable is judged complete.",
            }
        )
    if kind in ("timeline", "milestones") and not (DATE.search(content) or re.search(r"\d", content)):
        out.append(
            {
                "severity": "medium",
                "section_id": sid,
                "title": f"“{title}” has no dates",
                "detail": "A timeline without dates or durations cannot be planned against.",
            }
        )
    if kind == "budget" and not MONEY.search(content) and not re.search(r"\d", content):
        out.append(
            {
                "severity": "medium",
                "section_id": sid,
                "title": f"“{title}” has no amounts",
                "detail": "The budget section states no figure, ceiling or rate.",
            }
        )
    if len(content.strip()) < 40 and kind not in ("terms", "custom"):
        out.append(
            {
                "severity": "low",
                "section_id": sid,
                "title": f"“{title}” is nearly empty",
                "detail": "The section has almost no content; complete it or remove it.",
            }
        )
    return out


def sum_risks(sections: list[dict]) -> list[dict]:
    """A stated total that is not the sum of the amounts listed with it."""
    out = []
    for s in sections:
        if s.get("section_type") != "budget":
            continue
        values = money_values(s.get("content", "") or "")
        totals = [(v, line) for v, line in values if re.search(r"\btotal\b", line, re.I)]
        items = [v for v, line in values if not re.search(r"\btotal\b|\bcap\b|\bceiling\b|\bup to\b", line, re.I)]
        for total, line in totals[:1]:
            if len(items) >= 2 and abs(sum(items) - total) > max(1.0, 0.01 * total):
                out.append(
                    {
                        "severity": "high",
                        "section_id": s.get("id"),
                        "title": "Budget figures do not add up",
                        "detail": f"The items listed sum to {sum(items):,.0f} but the total says {total:,.0f} "
                        f"(“{line[:120]}”).",
                    }
                )
    return out


def date_risks(sections: list[dict]) -> list[dict]:
    """Timeline lists whose dates go backwards (a milestone before the one it follows)."""
    out = []
    for s in sections:
        if s.get("section_type") not in ("timeline", "milestones"):
            continue
        dates = parse_dates(s.get("content", "") or "")
        backwards = [(a, b) for a, b in zip(dates, dates[1:], strict=False) if b < a]
        if backwards:
            a, b = backwards[0]
            out.append(
                {
                    "severity": "medium",
                    "section_id": s.get("id"),
                    "title": "Dates out of order",
                    "detail": f"{b.isoformat()} comes after {a.isoformat()} in the list; check the schedule.",
                }
            )
    return out


def _contradictions(pages) -> list[dict]:
    """The same kind of figure (budget, ceiling, total) stated differently in two documents of the scope."""
    seen: dict[float, tuple] = {}
    for page in pages:
        for raw in page.text.split("\n"):
            line = " ".join(raw.split())
            if not FIGURE_LINE.search(line):
                continue
            for value, _ in money_values(line):
                seen.setdefault(value, (page, line))
    by_doc: dict[str, tuple] = {}
    for value, (page, line) in seen.items():
        by_doc.setdefault(page.document_id, (value, page, line))
    if len(by_doc) < 2:
        return []
    (v1, p1, l1), (v2, p2, l2) = list(by_doc.values())[:2]
    if v1 == v2:
        return []
    return [
        {
            "text": f"{p1.filename} states {v1:,.0f} but {p2.filename} states {v2:,.0f} (page {p2.page}): which figure "
            f"applies?",
            "document_id": p1.document_id,
            "page": p1.page,
            "quote": l1[:300],
        },
    ]


def questions(pages) -> list[dict]:
    """Clarifications to ask the client, each citing the page it comes from."""
    out: list[dict] = _contradictions(pages)
    seen: set[str] = set()
    for page in pages:
        for raw in page.text.split("\n"):
            line = " ".join(raw.split())
            if not line or len(out) >= 40:
                continue
            m = PLACEHOLDER.search(line)
            if m and m.group(0).lower() not in seen:
                seen.add(m.group(0).lower())
                out.append(
                    {
                        "text": f"The document leaves “{m.group(0)}” open here: what is the actual value?",
                        "document_id": page.document_id,
                        "page": page.page,
                        "quote": line[:300],
                    }
                )
                continue
            if REQUIREMENT.search(line):
                vague = VAGUE.search(line)
                if vague and vague.group(0).lower() not in seen and len(line.split()) >= 6:
                    seen.add(vague.group(0).lower())
                    out.append(
                        {
                            "text": f"“{vague.group(0)}” in this requirement is not measurable: what exactly is "
                            f"expected (quantity, level, deadline)?",
                            "document_id": page.document_id,
                            "page": page.page,
                            "quote": line[:300],
                        }
                    )
    return out
