"""ExportDocument → PDF bytes (ReportLab platypus): title page, contents with page numbers, numbered sections,
optional appendices, running footer with "Page n of m", and PDF bookmarks mirroring the contents."""

import io
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as pdfcanvas
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    Image,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
)
from reportlab.platypus.tableofcontents import TableOfContents

from exports.render import fonts
from exports.render.document import NEUTRAL_COLOR, CommentEntry, ExportDocument, cleaned, percent
from exports.render.markdown import Span, parse
from exports.render.pdf_blocks import HAIRLINE, MUTED, BlockRenderer, make_styles, meta_table, paragraph, text_paragraph

PAGE_W, PAGE_H = A4
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 22 * mm, 22 * mm, 24 * mm
CONTENT_W = PAGE_W - 2 * MARGIN_X
# Where text starts and ends: frames pad their content by 6 pt on each side, the footer lines up with it.
TEXT_LEFT, TEXT_RIGHT = MARGIN_X + 6, PAGE_W - MARGIN_X - 6


def _accent(doc: ExportDocument) -> colors.Color:
    try:
        return colors.HexColor(doc.branding.color if doc.branding.custom else NEUTRAL_COLOR)
    except (ValueError, TypeError):
        return colors.HexColor(NEUTRAL_COLOR)


class _Heading(Paragraph):
    """A paragraph that becomes a contents entry and a PDF bookmark once placed."""

    def __init__(self, text, style, *, toc_level: int, plain_text: str, key: str):
        super().__init__(text, style)
        self.toc_level, self.plain_text, self.key = toc_level, plain_text, key


class _Template(BaseDocTemplate):
    def afterFlowable(self, flowable):
        if isinstance(flowable, _Heading):
            self.canv.bookmarkPage(flowable.key)
            self.canv.addOutlineEntry(flowable.plain_text, flowable.key, level=flowable.toc_level, closed=True)
            self.notify("TOCEntry", (flowable.toc_level, flowable.text, self.page, flowable.key))


def _numbered_canvas(draw_footer):
    class NumberedCanvas(pdfcanvas.Canvas):
        """Holds pages until the end so each footer can say "Page n of m"."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages = []

        def showPage(self):
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                draw_footer(self, total)
                super().showPage()
            super().save()

    return NumberedCanvas


class _Builder:
    def __init__(self, doc: ExportDocument):
        fonts.register()
        self.doc = doc
        self.accent = _accent(doc)
        self.s = make_styles(self.accent)
        self.blocks = BlockRenderer(self.s, self.accent, TEXT_RIGHT - TEXT_LEFT)
        self._keys = 0

    # -- page furniture --------------------------------------------------------------------------------------
    def _footer(self, canv, total: int) -> None:
        page = canv.getPageNumber()
        canv.saveState()
        if page == 1:
            canv.setFillColor(self.accent)
            canv.rect(0, PAGE_H - 9 * mm, PAGE_W, 9 * mm, stroke=0, fill=1)
        else:
            y = MARGIN_BOTTOM - 10 * mm
            canv.setStrokeColor(HAIRLINE)
            canv.setLineWidth(0.5)
            canv.line(TEXT_LEFT, y + 4.5 * mm, TEXT_RIGHT, y + 4.5 * mm)
            left = self.doc.title if not self.doc.client else f"{self.doc.title} · {self.doc.client}"
            label = Paragraph(fonts.markup(fonts.visual(_shorten(left, 90))), self.s["footer"])
            label.wrapOn(canv, CONTENT_W * 0.62, 20)
            label.drawOn(canv, TEXT_LEFT, y)
            canv.setFont(fonts.face("Sans"), 8)
            canv.setFillColor(MUTED)
            canv.drawRightString(TEXT_RIGHT, y + 1.5, f"Page {page} of {total}")
        if not self.doc.branding.custom:
            canv.setFont(fonts.face("Sans"), 7)
            canv.setFillColor(MUTED)
            canv.drawCentredString(PAGE_W / 2, 9 * mm, "Made with Orbit")
        canv.restoreState()

    # -- story -----------------------------------------------------------------------------------------------
    def _heading(self, text: str, style: ParagraphStyle, *, level: int, number: str = "") -> _Heading:
        self._keys += 1
        body = fonts.markup(fonts.visual(text), bold=True)
        if number:
            body = f'<font color="#{self.accent.hexval()[2:]}">{escape(number)}</font>&nbsp;&nbsp;&nbsp;{body}'
        plain_text = f"{number}  {text}" if number else text
        return _Heading(body, style, toc_level=level, plain_text=plain_text, key=f"h{self._keys}")

    def title_page(self) -> list:
        d, s = self.doc, self.s
        story: list = [Spacer(1, 14 * mm)]
        logo = _logo(d.branding.logo) if d.branding.custom else None
        story.append(logo if logo is not None else text_paragraph(d.workspace, s["subtitle"], bold=True))
        story.append(Spacer(1, 52 * mm if logo is None else 44 * mm))
        story.append(Paragraph("SCOPE OF WORK", s["eyebrow"]))
        story.append(text_paragraph(d.title, s["title"], bold=True))
        if d.client:
            story.append(text_paragraph(f"Prepared for {d.client}", s["subtitle"]))
        story.append(Spacer(1, 16 * mm))
        rows = d.title_facts()
        story.append(meta_table(rows, s, CONTENT_W * 0.72, self.accent))
        return story

    def contents(self) -> list:
        toc = TableOfContents(dotsMinLevel=0)
        sans, bold = fonts.face("Sans"), fonts.face("Sans-Bold")
        toc.levelStyles = [
            ParagraphStyle(
                "toc0", fontName=bold, fontSize=10.5, leading=15, leftIndent=0, firstLineIndent=0, spaceBefore=5
            ),
            ParagraphStyle(
                "toc1", fontName=sans, fontSize=9.5, leading=13, leftIndent=14, firstLineIndent=0, textColor=MUTED
            ),
        ]
        return [Paragraph("Contents", self.s["toc_title"]), toc]

    def sections(self) -> list:
        d, s = self.doc, self.s
        story: list = []
        if d.summary.strip():
            story.append(self._heading("Summary", s["section"], level=0))
            story += self.blocks.render(parse(d.summary))
        if not d.sections:
            story.append(self._heading("Sections", s["section"], level=0))
            story.append(Paragraph("This scope has no sections yet.", s["small"]))
        for number, section in enumerate(d.sections, start=1):
            heading = self._heading(section.title or "Untitled section", s["section"], level=0, number=str(number))
            intro = [heading]
            if d.include_confidence:
                sources = len(section.sources)
                note = f"Confidence {percent(section.confidence)} · {sources} source{'s' if sources != 1 else ''}"
                intro.append(Paragraph(note, s["small"]))
            body = self.blocks.render(parse(section.markdown))
            if not body:
                body = [Paragraph("<i>No content yet.</i>", s["small"])]
            story.append(KeepTogether(intro + body[:1]))
            story += body[1:]
        return story

    def appendices(self) -> list:
        d, s = self.doc, self.s
        story: list = []
        if d.include_confidence:
            story += [PageBreak(), self._heading("Appendix: confidence and sources", s["section"], level=0)]
            for number, section in enumerate(d.sections, start=1):
                story.append(self._heading(f"{number}. {section.title}", s["h3"], level=1))
                story.append(Paragraph(f"Confidence: {percent(section.confidence)}", s["small"]))
                if not section.sources:
                    story.append(Paragraph("No cited sources.", s["small"]))
                for source in section.sources:
                    where = source.document + (f", page {source.page}" if source.page else "")
                    spans = [Span(where, bold=True)] + (
                        [Span(f" — “{source.quote}”", italic=True)] if source.quote else []
                    )
                    story.append(paragraph(spans, s["body"]))
        if d.has_analysis:
            story += [PageBreak(), self._heading("Appendix: AI analysis", s["section"], level=0)]
            for title, items in (("Risks", d.risks), ("Open questions", d.open_questions)):
                if items is None:
                    continue
                story.append(self._heading(title, s["h2"], level=1))
                story += self._bullets(items) if items else [Paragraph("None identified.", s["small"])]
        if d.comments is not None:
            story += [PageBreak(), self._heading("Appendix: comments", s["section"], level=0)]
            open_ = [c for c in d.comments if not c.resolved]
            resolved = [c for c in d.comments if c.resolved]
            for title, group in (("Open comments", open_), ("Resolved comments", resolved)):
                story.append(self._heading(title, s["h2"], level=1))
                if not group:
                    story.append(Paragraph("None.", s["small"]))
                for comment in group:
                    story += self._comment(comment)
        return story

    def _bullets(self, items: list[str]) -> list:
        from exports.render.markdown import Block

        return self.blocks.render([Block("list", items=[[Block("paragraph", spans=[Span(str(i))])] for i in items])])

    def _comment(self, comment: CommentEntry, *, reply: bool = False) -> list:
        s = self.s
        where = f" · on “{comment.section}”" if comment.section else ""
        meta = f"{comment.author} · {comment.created}{where}"
        indent = 18 if reply else 0
        meta_style = ParagraphStyle("cmeta", parent=s["small"], leftIndent=indent, spaceBefore=6 if not reply else 2)
        body_style = ParagraphStyle("cbody", parent=s["body"], leftIndent=indent, spaceAfter=2)
        out = [text_paragraph(meta, meta_style), text_paragraph(comment.body, body_style)]
        for child in comment.replies:
            out += self._comment(child, reply=True)
        return out

    def build(self) -> bytes:
        buffer = io.BytesIO()
        frame = Frame(MARGIN_X, MARGIN_BOTTOM, CONTENT_W, PAGE_H - MARGIN_TOP - MARGIN_BOTTOM, id="body")
        template = _Template(
            buffer,
            pagesize=A4,
            title=self.doc.title,
            author=self.doc.workspace,
            subject=f"Scope of work{' for ' + self.doc.client if self.doc.client else ''}",
            creator="Orbit",
            leftMargin=MARGIN_X,
            rightMargin=MARGIN_X,
            topMargin=MARGIN_TOP,
            bottomMargin=MARGIN_BOTTOM,
        )
        template.addPageTemplates([PageTemplate(id="title", frames=[frame]), PageTemplate(id="body", frames=[frame])])
        story = self.title_page() + [NextPageTemplate("body"), PageBreak()]
        story += self.contents() + [PageBreak()] + self.sections() + self.appendices()
        template.multiBuild(story, canvasmaker=_numbered_canvas(self._footer))
        return buffer.getvalue()


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _logo(data: bytes | None):
    if not data:
        return None
    try:
        image = Image(io.BytesIO(data))
    except Exception:
        return None
    ratio = image.imageWidth / max(image.imageHeight, 1)
    height = 16 * mm
    width = height * ratio
    if width > 60 * mm:
        width, height = 60 * mm, 60 * mm / ratio
    image.drawWidth, image.drawHeight = width, height
    image.hAlign = "LEFT"
    return image


def render_pdf(doc: ExportDocument) -> bytes:
    return _Builder(cleaned(doc)).build()
