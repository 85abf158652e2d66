"""The answers asked of a model, as pydantic models: the JSON schema sent (OpenAI Structured Outputs, Anthropic
tool input_schema) and the check of what comes back. Documents and sections are named by short references
(`d1`, `s3`) in prompts; the runner maps them back to ids."""

from typing import Literal

from pydantic import BaseModel, ConfigDict

SectionType = Literal[
    "overview",
    "objectives",
    "scope",
    "deliverables",
    "timeline",
    "milestones",
    "budget",
    "team",
    "assumptions",
    "exclusions",
    "risks",
    "acceptance",
    "terms",
    "custom",
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Source(_Strict):
    document: str  # the reference given in the prompt, e.g. "d1"
    page: int
    quote: str  # copied verbatim from that page


class Section(_Strict):
    section_type: SectionType
    title: str
    content: str  # markdown
    confidence: float  # 0..1
    sources: list[Source]


class Extraction(_Strict):
    title: str
    summary: str
    sections: list[Section]


class Suggestion(_Strict):
    kind: Literal["rewrite", "add", "remove"]
    rationale: str
    proposed_content: str


class Suggestions(_Strict):
    suggestions: list[Suggestion]


class Finding(_Strict):
    severity: Literal["low", "medium", "high"]
    category: str
    description: str
    section: str | None  # a section reference ("s2") or null for the whole scope


class Requirement(_Strict):
    text: str
    document: str
    page: int
    quote: str
    covered_by: list[str]  # section references
    status: Literal["covered", "partial", "uncovered"]


class Question(_Strict):
    question: str
    sources: list[Source]


class Analysis(_Strict):
    risks: list[Finding]
    gaps: list[Finding]
    requirements: list[Requirement]
    questions: list[Question]
