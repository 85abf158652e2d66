"""The review rules behind built-in analyze/suggest: vague wording, placeholders, missing measurable
criteria, missing standard sections, sums and dates that disagree, responsibilities nobody holds."""

from __future__ import annotations

import re
from datetime import date

REQUIREMENT = re.compile(
    r"\b(shall|must|is required to|are required to|will be required to|is expected to|are expected to|"
    r"is responsible for|are responsible for|required to)\b",
    re.I,
)
VAGUE = re.compile(
    r"\b(as needed|as required|as necessary|as appropriate|if appropriate|where appropriate|etc\.?|and so on|"
    r"and/or|user[- ]friendly|robust|seamless(ly)?|state[- ]of[- ]the[- ]art|best[- ]in[- ]class|best effort|"
    r"reasonable|adequate|sufficient|timely|in a timely manner|as soon as possible|asap|optimal|flexible|"
    r"various|high[- ]quality|intuitive|efficient(ly)?|minimal|periodic(ally)?|regular(ly)?)\b",
    re.I,
)
# Vague wording matters where it is a commitment, not in background prose.
COMMITMENT_TYPES = {"scope", "deliverables", "acceptance", "timeline", "milestones", "budget", "objectives", "team"}
PLACEHOLDER = re.compile(
    r"\bTBD\b|\bTBC\b|\bTBA\b|\bMONTH\s+DD\b|\bXX+\b|\[(?:insert|add|enter|name|date|tbd)[^\]]*\]|"
    r"\{[^{}]{2,80}\}|<<[^<>]+>>|\?\?\?|lorem ipsum|\bto be (determined|confirmed|decided)\b",
    re.I,
)
PASSIVE_UNASSIGNED = re.compile(
    r"\b(will|shall|must|is to|are to) be (provided|performed|delivered|completed|done|prepared|maintained|"
    r"reviewed|approved|managed|supplied|conducted|handled)\b(?![^.]{0,60}\bby\b)",
    re.I,
)
MONEY = re.compile(
    r"(?:[$€£]|\b(?:USD|CAD|EUR|GBP)\s?)\s?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?\s*(k|m|million|thousand)?\b", re.I
)
MEASURABLE = re.compile(r"\d|\b(accept|criteria|approv|sign[- ]off|test|review|verif|pass)\w*", re.I)
MONTHS = {
    m: n
    for n, m in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        start=1,
    )
}
DATE = re.compile(
    r"\b(?P<y1>20\d\d)[-/](?P<m1>\d{1,2})[-/](?P<d1>\d{1,2})\b|"
    r"\b(?P<mon>january|february|march|april|may|june|july|august|september|october|november|december)\s+"
    r"(?P<d2>\d{1,2}),?\s+(?P<y2>20\d\d)\b",
    re.I,
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


def _source_line(text: str, start: int) -> str:
    a = text.rfind("\n", 0, start) + 1
    b = text.find("\n", start)
    return text[a : b if b != -1 else len(text)].strip()


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


def money_values(text: str) -> list[tuple[float, str]]:
    out = []
    for m in MONEY.finditer(text):
        value = float(m.group(1).replace(",", "") + ("." + m.group(2) if m.group(2) else ""))
        unit = (m.group(3) or "").lower()
        value *= {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6}.get(unit, 1)
        out.append((value, _source_line(text, m.start())))
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


def parse_dates(text: str) -> list[date]:
    out = []
    for m in DATE.finditer(text):
        try:
            if m.group("y1"):
                out.append(date(int(m.group("y1")), int(m.group("m1")), int(m.group("d1"))))
            else:
                out.append(date(int(m.group("y2")), MONTHS[m.group("mon").lower()], int(m.group("d2"))))
        except ValueError:
            continue
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


FIGURE_LINE = re.compile(r"\b(budget|ceiling|not to exceed|total|maximum|funding|cap)\b", re.I)


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


TYPE_ADVICE = {
    "deliverables": (
        "add",
        "Deliverables need a format, a due date and an acceptance test each.",
        "| Deliverable | Format | Due | Accepted when |\n| --- | --- | --- | --- |\n| … | … | … | … |",
    ),
    "timeline": (
        "add",
        "A timeline is planned against dates: add a start date, milestones and the end of the period.",
        "- Kick-off: <date>\n- Milestone 1: <date>\n- Final delivery: <date>",
    ),
    "milestones": (
        "add",
        "Each milestone should name what is delivered and when it is due.",
        "- Milestone 1 — <deliverable> — due <date>",
    ),
    "budget": (
        "add",
        "State the pricing model, the ceiling and the payment schedule so the figures can be checked.",
        "- Pricing model: <fixed price | time and materials>\n- Ceiling: <amount>\n- Payment schedule: <…>",
    ),
    "acceptance": (
        "add",
        "Acceptance needs who reviews, within how many days, and what happens on rejection.",
        "- Reviewer: <role>\n- Review period: <n> business days\n- On rejection: corrected within <n> days",
    ),
    "objectives": (
        "rewrite",
        "Objectives are easier to agree on when each is measurable.",
        "- <Objective> measured by <metric> reaching <target> by <date>",
    ),
    "exclusions": (
        "add",
        "List explicitly what the contractor will not do (hosting, licences, data migration…).",
        "- Not included: <item>",
    ),
    "assumptions": (
        "add",
        "Record what the plan depends on from the client (access, environments, response times).",
        "- The client provides <access/resource> by <date>",
    ),
    "scope": (
        "rewrite",
        "Requirements read best as one testable statement each.",
        "- The contractor shall <action> so that <measurable result>.",
    ),
    "risks": (
        "add",
        "Give each risk a likelihood, an impact, a mitigation and an owner.",
        "| Risk | Likelihood | Impact | Mitigation | Owner |\n| --- | --- | --- | --- | --- |",
    ),
    "overview": (
        "rewrite",
        "Open with one sentence saying who needs what and why, before the background.",
        "<Client> needs <outcome> because <reason>.",
    ),
}
GENERIC = [
    (
        "add",
        "Name the owner of this part of the scope so responsibilities are not left implicit.",
        "Owner: <client role or contractor role>",
    ),
    (
        "rewrite",
        "Short numbered statements are easier to review, price and accept than long paragraphs.",
        "1. …\n2. …\n3. …",
    ),
    (
        "add",
        "Link this section to the deliverables and acceptance criteria it drives.",
        "Related deliverables: <…>; accepted when <…>.",
    ),
]


def suggestions(section: dict, scope: dict) -> list[dict]:
    content = section.get("content", "") or ""
    kind = section.get("section_type", "custom")
    out: list[dict] = []
    holes = sorted({m.group(0) for m in PLACEHOLDER.finditer(content)})
    if holes:
        cleaned = PLACEHOLDER.sub("", content)
        out.append(
            {
                "kind": "remove",
                "rationale": "Template placeholders are not project facts: "
                + ", ".join(holes[:5])
                + ". Remove them or replace them with real values.",
                "proposed_content": re.sub(r"[ \t]{2,}", " ", cleaned).strip(),
            }
        )
    vague = sorted({m.group(0) for m in VAGUE.finditer(content)}, key=str.lower)
    if vague:
        rewritten = VAGUE.sub(lambda m: f"{m.group(0)} [specify: quantity, level or deadline]", content)
        out.append(
            {
                "kind": "rewrite",
                "rationale": "Vague words cannot be verified at acceptance: " + ", ".join(vague[:6]) + ".",
                "proposed_content": rewritten,
            }
        )
    passive = sorted({m.group(0) for m in PASSIVE_UNASSIGNED.finditer(content)})
    if passive:
        out.append(
            {
                "kind": "rewrite",
                "rationale": "Say who does it: " + "; ".join(passive[:4]) + ".",
                "proposed_content": PASSIVE_UNASSIGNED.sub(lambda m: f"{m.group(0)} by <client|contractor>", content),
            }
        )
    lines = [line.strip() for line in content.split("\n") if line.strip()]
    dupes = {line for line in lines if lines.count(line) > 1 and len(line) > 20}
    if dupes:
        seen: set[str] = set()
        kept = []
        for line in content.split("\n"):
            if line.strip() in dupes and line.strip() in seen:
                continue
            seen.add(line.strip())
            kept.append(line)
        out.append(
            {
                "kind": "remove",
                "rationale": "Repeated text: the same statement appears more than once.",
                "proposed_content": "\n".join(kept),
            }
        )
    if kind in TYPE_ADVICE:
        k, why, text = TYPE_ADVICE[kind]
        out.append({"kind": k, "rationale": why, "proposed_content": text if k == "add" else f"{text}\n\n{content}"})
    for k, why, text in GENERIC:
        if len(out) >= 3:
            break
        out.append({"kind": k, "rationale": why, "proposed_content": text})
    return out[:5]
