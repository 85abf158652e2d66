"""The plain data an export is rendered from. Renderers are pure: `ExportDocument` in, bytes out.

`exports.content.build_document` fills it from a scope; tests and the benchmark build it directly.
"""

from dataclasses import dataclass, field

NEUTRAL_COLOR = "#2B3A4F"  # Orbit's slate: headings and rules when the plan has no custom branding


@dataclass
class Source:
    document: str  # filename (or id when the document is gone)
    page: int | None = None
    quote: str = ""


@dataclass
class Section:
    title: str
    markdown: str = ""
    confidence: float | None = None
    sources: list[Source] = field(default_factory=list)


@dataclass
class CommentEntry:
    author: str
    body: str
    created: str  # already formatted date
    section: str = ""  # section title, blank for the scope as a whole
    resolved: bool = False
    replies: list["CommentEntry"] = field(default_factory=list)


@dataclass
class Branding:
    custom: bool = False  # the plan allows custom branding: logo and colour; else Orbit's footer
    color: str = NEUTRAL_COLOR
    logo: bytes | None = None  # PNG/JPEG bytes, already checked by Pillow


@dataclass
class ExportDocument:
    title: str
    workspace: str
    date: str
    status: str = ""
    client: str = ""
    project: str = ""
    summary: str = ""
    confidence: float | None = None
    sections: list[Section] = field(default_factory=list)
    branding: Branding = field(default_factory=Branding)
    # Optional contents, present only when asked for
    include_confidence: bool = False
    comments: list[CommentEntry] | None = None
    risks: list[str] | None = None
    open_questions: list[str] | None = None

    @property
    def has_analysis(self) -> bool:
        return self.risks is not None or self.open_questions is not None

    def title_facts(self) -> list[tuple[str, str]]:
        """The (label, value) rows under the title, the same in every format."""
        rows = [
            ("Client", self.client or "—"),
            ("Project", self.project or "—"),
            ("Date", self.date),
            ("Status", self.status or "—"),
            ("Prepared by", self.workspace),
        ]
        if self.include_confidence and self.confidence is not None:
            rows.append(("Confidence", percent(self.confidence)))
        return rows


def percent(value: float | None) -> str:
    return "—" if value is None else f"{round(value * 100)}%"


def cleaned(value):
    """A copy of `value` (an ExportDocument or any part of it) with characters XML cannot hold made U+FFFD:
    both file formats are XML inside, and user text may carry anything."""
    import dataclasses

    from exports.render.markdown import clean

    if isinstance(value, str):
        return clean(value)
    if isinstance(value, list):
        return [cleaned(item) for item in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(
            value, **{f.name: cleaned(getattr(value, f.name)) for f in dataclasses.fields(value) if f.name != "logo"}
        )
    return value
