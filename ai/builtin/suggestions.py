"""The rules behind built-in suggest: 3 to 5 proposed edits of one section (placeholders removed, vague words and
unassigned responsibilities flagged, repeated lines dropped, then advice for the section's type)."""

from __future__ import annotations

import re

from ai.builtin.patterns import PASSIVE_UNASSIGNED, PLACEHOLDER, VAGUE

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
