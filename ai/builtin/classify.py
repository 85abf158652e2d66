"""Heading + body → Orbit section type, with a confidence.

Phrase tables score the heading's title (strong) and body (weak). A few internal classes are not scope
material at all — proposal instructions, vendor evaluation, contacts, tables of contents, document titles —
and are left out of the extracted scope; contract administration and clauses become `terms`, stakeholder
and governance material `custom`.
"""

from __future__ import annotations

import re

# class → [(regex over the normalised title, weight)]. Multi-word phrases weigh more than single words.
TITLE_RULES: dict[str, list[tuple[str, float]]] = {
    "overview": [
        (r"\bbackground\b", 3),
        (r"\bintroduction\b", 3),
        (r"\boverview\b", 3),
        (r"\bpurpose\b", 2.5),
        (r"\bexecutive summary\b", 3),
        (r"\bsummary\b", 1.5),
        (r"\bcontext\b", 2),
        (r"\bproblem\b", 2.5),
        (r"\b(business|statement of) need", 3),
        (r"\bneeds? statement\b", 3),
        (r"\babout (us|the)\b", 2),
        (r"\bcurrent (state|situation|system|environment)\b", 2.5),
        (r"\brationale\b", 2.5),
        (r"\bconsequences?\b", 1.5),
        (r"\bhistory\b", 2),
        (r"\bdescription\b", 1.5),
        (r"\bgeneral\b", 1),
        (r"\bmission\b", 1.5),
        (r"\bproject (description|summary)\b", 3),
        (r"\bagency\b", 1),
        (r"\bproposal\b", 0.5),
        (r"\bsituation\b", 2),
        (r"\bchallenges?\b", 2),
        (r"\bopportunity statement\b", 2),
    ],
    "objectives": [
        (r"\bobjectives?\b", 3),
        (r"\bgoals?\b", 3),
        (r"\bvision\b", 3),
        (r"\baims?\b", 2),
        (r"\boutcomes?\b", 2.5),
        (r"\bbenefits?\b", 2.5),
        (r"\bdesired (results?|state)\b", 3),
        (r"\bpurpose of the (project|work)\b", 2),
    ],
    "scope": [
        (r"\brequirements?\b", 2.5),
        (r"\bconstraints?\b", 3),
        (r"\bspecifications?\b", 2.5),
        (r"\b(non )?functional\b", 2),
        (r"\btechnical\b", 1.5),
        (r"\bstandards?\b", 1.5),
        (r"\bcompliance\b", 2),
        (r"\bsecurity\b", 1.5),
        (r"\baccessibility\b", 2),
        (r"\bsection 508\b", 2.5),
        (r"\bprivacy\b", 1.5),
        (r"\benvironment\b", 1.5),
        (r"\bskills?\b", 2.5),
        (r"\bpersonnel\b", 2),
        (r"\bqualifications?\b", 1.5),
        (r"\bexpectations?\b", 2),
        (r"\bmethodology\b", 2.5),
        (r"\bapproach\b", 2),
        (r"\btasks?\b", 2.5),
        (r"\bbacklog\b", 3),
        (r"\buser stories\b", 3),
        (r"\btechnolog(y|ies)\b", 2.5),
        (r"\bback ?end\b", 2),
        (r"\bfront ?end\b", 2),
        (r"\barchitecture\b", 2),
        (r"\bplatform\b", 1),
        (r"\bhosting\b", 2),
        (r"\binfrastructure\b", 2),
        (r"\bproject management\b", 2.5),
        (r"\breporting\b", 1.5),
        (r"\bconfidentiality\b", 2),
        (r"\bembargo\b", 2),
        (r"\bscope of (work|services)\b", 3),
        (r"\bstatement of work\b", 2.5),
        (r"\bwork requirements\b", 3),
        (r"\bservices\b", 1),
        (r"\bin scope\b", 3),
        (r"\bfeatures?\b", 2),
        (r"\bfunctionality\b", 2),
        (r"\bintegration\b", 1.5),
        (r"\bdata\b", 1),
        (r"\bmigration\b", 1.5),
        (r"\bsupport\b", 1),
        (r"\btraining\b", 1.5),
        (r"\bmaintenance\b", 1.5),
        (r"\bperformance work statement\b", 1),
        (r"\bdesign elements?\b", 2.5),
        (r"\boperational\b", 1.5),
        (r"\bdevelopment\b", 1),
        (r"\bprocess\b", 1.5),
        (r"^scope$", 2.5),
        (r"\bwork\b", 0.5),
    ],
    "deliverables": [
        (r"\bdeliverables?\b", 3.5),
        (r"\bwork products?\b", 3),
        (r"\boutputs?\b", 2),
        (r"\btransitions?\b", 2.5),
        (r"\bdocumentation\b", 1),
        (r"\breports? (to be )?delivered\b", 2),
        (r"\bwhat we need\b", 2),
    ],
    "timeline": [
        (r"\btimeline\b", 3.5),
        (r"\bschedule\b", 3),
        (r"\bperiod of performance\b", 3.5),
        (r"\bduration\b", 3),
        (r"\btime ?frame\b", 3),
        (r"\bkey dates\b", 3),
        (r"\bphases?\b", 2),
        (r"\bsprints?\b", 1.5),
        (r"\bcalendar\b", 2),
        (r"\bdeadlines?\b", 1.5),
        (r"^phase\b", 3),
        (r"\bterm of (the )?(contract|agreement|order)\b", 2.5),
        (r"\bdates?\b", 1),
        (r"\bstart date\b", 2.5),
        (r"\bcompletion date\b", 2.5),
        (r"\broadmap\b", 2.5),
    ],
    "milestones": [(r"\bmilestones?\b", 3.5)],
    "budget": [
        (r"\bbudgets?\b", 3.5),
        (r"\bcosts?\b", 3),
        (r"\bpric(e|es|ing)\b", 3),
        (r"\bfunding\b", 3),
        (r"\bfunds?\b", 2.5),
        (r"\bfees?\b", 3),
        (r"\bceiling\b", 2.5),
        (r"\brough order of magnitude\b", 3.5),
        (r"\bfinancial\b", 2.5),
        (r"\bcompensation\b", 2.5),
        (r"\bcaps?\b", 1.5),
        (r"\brates?\b", 1.5),
        (r"\bnot to exceed\b", 3),
        (r"\bestimated (cost|value|budget)s?\b", 3),
        (r"\bcontract value\b", 3),
    ],
    "assumptions": [
        (r"\bassumptions?\b", 4),
        (r"\bdependenc(y|ies)\b", 2.5),
        (r"\bprerequisites?\b", 2.5),
        (r"\b(government|client|customer|owner)[- ]furnished\b|\bfurnished (property|equipment|information)\b", 3),
    ],
    "exclusions": [
        (r"\bout of scope\b", 4.5),
        (r"\bexclusions?\b", 4),
        (r"\bnot in scope\b", 4.5),
        (r"\bexcluded\b", 4),
        (r"\bnot included\b", 4),
        (r"\bout of the scope\b", 4.5),
        (r"\bnon goals?\b", 3.5),
    ],
    "risks": [(r"\brisks?\b", 4), (r"\bmitigations?\b", 3), (r"\bcontingenc(y|ies)\b", 2.5), (r"\bissues log\b", 2)],
    "acceptance": [
        (r"\bacceptance\b", 4),
        (r"\bquality assurance\b", 3),
        (r"\bqasp\b", 3.5),
        (r"\binspection\b", 3),
        (r"\bdefinition of done\b", 4),
        (r"\bsuccess (criteria|metrics|measures)\b", 4),
        (r"\bmeasuring success\b", 4),
        (r"\bperformance (standards|metrics|measures|requirements summary)\b", 3),
        (r"\bkpis?\b", 3),
        (r"\bkey performance indicators?\b", 3.5),
        (r"\bquality control\b", 3),
        (r"\bsurveillance\b", 2.5),
        (r"\bservice levels?\b", 2.5),
        (r"\bsla\b", 2.5),
        (r"\bwarranty\b", 1.5),
        (r"\btesting\b", 1),
    ],
    "terms": [
        (r"\bterms and conditions\b", 4.5),
        (r"\bclauses?\b", 4),
        (r"\bprovisions\b", 3.5),
        (r"\b(type of contract|contract type)\b", 4),
        (r"\bplace of performance\b", 4),
        (r"^administration$|\badministration of\b", 3),
        (r"\bdata rights\b", 3.5),
        (r"\bownership\b", 1),
        (r"\binvoic(e|es|ing)\b", 4),
        (r"\bpayments?\b", 3),
        (r"\bclose ?out\b", 3.5),
        (r"\bwarrant(y|ies)\b", 2),
        (r"\bindemn", 4),
        (r"\bliability\b", 3.5),
        (r"\binsurance\b", 3.5),
        (r"\bintellectual property\b", 3),
        (r"\bgoverning law\b", 4),
        (r"\btermination\b", 3.5),
        (r"\bconflicts? of interest\b", 3),
        (r"\blimitation of (funds|liability|cost)\b", 5),
        (r"\bauthorit(y|ies)\b", 2),
        (r"\bdelegations?\b", 2.5),
        (r"\bgovernment personnel\b", 3),
        (r"\bcontractor performance\b", 3),
        (r"\bpost award\b", 3.5),
        (r"\borientation conference\b", 3),
        (r"\bcontract(ing)? (administration|terms|clauses)\b", 4),
        (r"\blegal\b", 3),
        (r"\bdisputes?\b", 3),
        (r"\bconfidentiality agreement\b", 3),
        (r"\bcopyright\b", 2.5),
        (r"\blicens(e|ing)\b", 2),
        (r"\bsubcontract", 1),
        (r"\bpublicity\b", 2.5),
        (r"\btravel\b", 1.5),
        (r"\bother direct costs\b", 1.5),
        (r"\bcontract\b", 1.5),
        (r"\border of precedence\b", 4),
    ],
    "custom": [
        (r"\broles?\b", 3),
        (r"\bresponsibilit(y|ies)\b", 2.5),
        (r"\bstakeholders?\b", 3.5),
        (r"\bgovernance\b", 3),
        (r"\bcommunications?\b", 3),
        (r"\bconsultations?\b", 3),
        (r"\bcollaboration\b", 2.5),
        (r"\braci\b", 3.5),
        (r"\badditional resources\b", 3.5),
        (r"\breferences\b", 3),
        (r"\bglossary\b", 4),
        (r"\bdefinitions\b", 3.5),
        (r"\bacronyms\b", 4),
        (r"\babbreviations\b", 4),
        (r"\bpolicy alignment\b", 3),
        (r"\breview\b", 1.5),
        (r"\bcontracting officer\b", 2.5),
        (r"\bproduct (owner|lead|manager)\b", 2.5),
        (r"\bscrum master\b", 3),
        (r"\bproject manager\b", 1.5),
        (r"\bappendix\b", 0.5),
        (r"\bannex(es)?\b", 0.5),
        (r"\battachments?\b", 1),
        (r"\babout this document\b", 3),
        (r"\brevision history\b", 4),
        (r"\bdocument history\b", 4),
    ],
    # Not scope material: left out of the extraction.
    "instructions": [
        (r"\binstructions\b", 3.5),
        (r"\bsubmi(t|ssion|ssions|tting)\b", 3.5),
        (r"\bhow to (apply|respond|submit)\b", 4),
        (r"\bresponse (format|instructions|requirements)\b", 4),
        (r"\bresponses?\b", 1.5),
        (r"\bproposal (format|content|contents|preparation|requirements|instructions|period|elements)\b", 4),
        (r"\belements of (the )?proposal\b", 4),
        (r"\brequest for (proposals?|quotes?|quotations?) period\b", 4),
        (r"\bquestions\b", 2.5),
        (r"\bfeedback\b", 1.5),
        (r"\bconcerns\b", 1.5),
        (r"\bposting\b", 3),
        (r"\bpricing (sheet|template|schedule instructions)\b", 4.5),
        (r"\bcover letter\b", 4),
        (r"\bquotes?\b", 2),
        (r"\bquotations?\b", 2),
        (r"\bofferors?\b", 2.5),
        (r"\bbidders?\b", 2.5),
        (r"\bdeadlines and response\b", 4.5),
        (r"\bimportant dates\b", 2.5),
        (r"\bpre ?proposal\b", 3),
        (r"\bsolicitation\b", 2),
        (r"\bintent to (bid|propose)\b", 3),
        (r"\bformat\b", 1),
    ],
    "evaluation": [
        (r"\bevaluation\b", 4),
        (r"\bselection (criteria|process|schedule)\b", 4.5),
        (r"\baward\b", 2.5),
        (r"\bbasis (of|for) award\b", 4.5),
        (r"\bscoring\b", 3.5),
        (r"\bpass ?/? ?fail\b", 3.5),
        (r"\bexperience and (competency|qualifications)\b", 3),
        (r"\bpast performance\b", 3.5),
        (r"\bvendor (selection|qualifications)\b", 4),
    ],
    "vendor": [(r"\beligib(le|ility)\b", 3.5), (r"\b(vendor|offeror|bidder) qualifications\b", 3.5)],
    "contacts": [
        (r"\bpoints? of contact\b", 4.5),
        (r"\bcontacts?\b", 3),
        (r"\bcontact information\b", 4),
    ],
    "toc": [(r"^(table of )?contents$", 6), (r"^toc$", 6)],
}
BODY_RULES: dict[str, list[tuple[str, float]]] = {
    "scope": [(r"\b(shall|must|is required to|are required to|will be required)\b", 0.6)],
    "budget": [
        (r"[$€£]\s?\d|\b\d[\d,.]*\s?(k|m|million|thousand)?\s?(usd|dollars|eur|cad)\b", 0.8),
        (r"\bbudget\b|\bcost\b|\bfunding\b", 0.5),
    ],
    "timeline": [
        (
            r"\b(19|20)\d\d[-/]\d\d|\b(january|february|march|april|may|june|july|august|september|"
            r"october|november|december)\s+\d|\bq[1-4]\s+20\d\d\b|\bweeks?\b|\bmonths?\b",
            0.4,
        )
    ],
    "deliverables": [(r"\bdeliverables?\b|\bdeliver\b|\bprovide (a|the)\b", 0.5)],
    "acceptance": [(r"\baccept(ed|ance)\b|\bcriteria\b", 0.4)],
    "risks": [(r"\brisks?\b|\bmitigat", 0.5)],
    "exclusions": [(r"\bnot (be )?responsible for\b|\bout of scope\b|\bexcluded\b|\bwill not\b", 0.6)],
    "objectives": [(r"\bgoals?\b|\bobjectives?\b|\bimprove\b|\bvision\b", 0.3)],
    "overview": [(r"\b(is|was) (established|created|founded)\b|\bcurrently\b|\bhistory\b", 0.3)],
}
NON_SCOPE = {"instructions", "evaluation", "vendor", "contacts", "toc", "title"}
STICKY = {"instructions", "evaluation", "terms", "contacts"}  # their sub-headings belong to them
OUTPUT = {
    "overview": "overview",
    "objectives": "objectives",
    "scope": "scope",
    "deliverables": "deliverables",
    "timeline": "timeline",
    "milestones": "milestones",
    "budget": "budget",
    "assumptions": "assumptions",
    "exclusions": "exclusions",
    "risks": "risks",
    "acceptance": "acceptance",
    "terms": "terms",
    "custom": "custom",
    "team": "team",
}
_COMPILED = {c: [(re.compile(p), w) for p, w in rules] for c, rules in TITLE_RULES.items()}
_BODY = {c: [(re.compile(p, re.I), w) for p, w in rules] for c, rules in BODY_RULES.items()}


def normalise_title(title: str) -> str:
    t = title.lower().replace("&", " and ")
    t = re.sub(r"[^a-z0-9$/]+", " ", t)
    return " ".join(t.split())


GENERIC_HEADS = re.compile(
    r"^(?:\d+ )?(summary|list|overview|description|statement|table|schedule|details|scope|definition|"
    r"rough order|estimate|outline|plan|review|cost|costs) of\b"
)


def title_scores(title: str) -> dict[str, float]:
    """Phrase scores of a title. In "X of Y" the title is about X ("Ownership of Deliverables" is about
    ownership), so matches inside Y count half — unless X is a container word ("Summary of Objectives")."""
    from ai.builtin.outline import _split_number

    t = normalise_title(_split_number(title)[1]) or normalise_title(title)
    of = t.find(" of ")
    tail_from = of if of > 0 and not GENERIC_HEADS.match(t) else len(t) + 1
    scores: dict[str, float] = {}
    for cls, rules in _COMPILED.items():
        total = 0.0
        for rx, w in rules:
            m = rx.search(t)
            if m:
                total += w if m.start() < tail_from else w / 2
                total += 0.01 * (1 - m.start() / max(len(t), 1))  # on a tie, the first-named subject wins
        if total:
            scores[cls] = total
    return scores


def body_scores(text: str) -> dict[str, float]:
    scores: dict[str, float] = {}
    sample = text[:4000]
    words = max(len(sample.split()), 1)
    for cls, rules in _BODY.items():
        hits = sum(w * len(rx.findall(sample)) for rx, w in rules)
        if hits:
            scores[cls] = min(2.0, hits * 60 / words)
    return scores


def best(scores: dict[str, float]) -> tuple[str | None, float, float]:
    """(class, score, margin over the runner-up)."""
    if not scores:
        return None, 0.0, 0.0
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    top, score = ranked[0]
    second = ranked[1][1] if len(ranked) > 1 else 0.0
    return top, score, score - second
