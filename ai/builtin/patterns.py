"""What the review rules look for: requirement, vague, placeholder and unassigned wording, amounts and dates,
and the helpers that read amounts and dates out of text (used by `rules` and `suggestions`)."""

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
FIGURE_LINE = re.compile(r"\b(budget|ceiling|not to exceed|total|maximum|funding|cap)\b", re.I)


def _source_line(text: str, start: int) -> str:
    a = text.rfind("\n", 0, start) + 1
    b = text.find("\n", start)
    return text[a : b if b != -1 else len(text)].strip()


def money_values(text: str) -> list[tuple[float, str]]:
    out = []
    for m in MONEY.finditer(text):
        value = float(m.group(1).replace(",", "") + ("." + m.group(2) if m.group(2) else ""))
        unit = (m.group(3) or "").lower()
        value *= {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6}.get(unit, 1)
        out.append((value, _source_line(text, m.start())))
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
