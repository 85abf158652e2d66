"""ExportDocument → DOCX bytes (python-docx): the same structure as the PDF, with Word's own Heading styles (so the
navigation pane works), a real TOC field (Word fills in page numbers when the file is opened), numbered lists that
restart per list, hyperlinks, tables, block quotes and a footer with the page number."""

import io

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from exports.render.document import NEUTRAL_COLOR, CommentEntry, ExportDocument, cleaned, percent
from exports.render.docx_xml import AFTER_UPDATE_FIELDS, complex_field, ppr_add, rgb
from exports.render.fonts import has_rtl, is_rtl
from exports.render.markdown import Block, Span, parse

MUTED = RGBColor(0x5F, 0x6B, 0x7A)
MONO = "Consolas"


class _Writer:
    def __init__(self, doc: ExportDocument):
        self.doc = doc
        self.accent = rgb(doc.branding.color if doc.branding.custom else NEUTRAL_COLOR)
        self.word = Document()
        self._setup()

    # -- styles and page -------------------------------------------------------------------------------------
    def _setup(self) -> None:
        styles = self.word.styles
        normal = styles["Normal"]
        normal.font.name, normal.font.size = "Calibri", Pt(10.5)
        normal.paragraph_format.space_after = Pt(6)
        for name, size in (("Title", 28), ("Heading 1", 17), ("Heading 2", 13.5), ("Heading 3", 12), ("Heading 4", 11)):
            style = styles[name]
            style.font.name, style.font.size, style.font.bold = "Calibri", Pt(size), True
            style.font.color.rgb = self.accent if name != "Title" else RGBColor(0x1F, 0x29, 0x33)
        for name in ("Heading 5", "Heading 6"):
            styles[name].font.color.rgb = self.accent
        section = self.word.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(22)
        section.top_margin, section.bottom_margin = Mm(22), Mm(24)
        # Ask Word to refresh fields (the contents) when the file is opened; Word wants settings in schema order.
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        settings = self.word.settings.element
        later = [child for child in settings if child.tag in AFTER_UPDATE_FIELDS]
        if later:
            later[0].addprevious(update)
        else:
            settings.append(update)

    def _footer(self, section) -> None:
        section.footer.is_linked_to_previous = False
        paragraph = section.footer.paragraphs[0]
        left = self.doc.title if not self.doc.client else f"{self.doc.title} · {self.doc.client}"
        run = paragraph.add_run(left + "\t\tPage ")
        run.font.size, run.font.color.rgb = Pt(8), MUTED
        complex_field(paragraph, "PAGE", "1")
        tail = paragraph.add_run(" of ")
        tail.font.size, tail.font.color.rgb = Pt(8), MUTED
        complex_field(paragraph, "NUMPAGES", "1")
        if not self.doc.branding.custom:
            made = section.footer.add_paragraph("Made with Orbit")
            made.alignment = WD_ALIGN_PARAGRAPH.CENTER
            made.runs[0].font.size, made.runs[0].font.color.rgb = Pt(7), MUTED

    # -- inline ----------------------------------------------------------------------------------------------
    def _runs(self, paragraph, spans: list[Span]) -> None:
        for span in spans:
            if span.link:
                self._hyperlink(paragraph, span)
                continue
            self._run(paragraph, span)
        if spans and is_rtl("".join(s.text for s in spans)):
            ppr_add(paragraph, OxmlElement("w:bidi"))
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT

    def _run(self, paragraph, span: Span, container=None):
        run = paragraph.add_run() if container is None else None
        if run is None:
            from docx.text.run import Run

            r = OxmlElement("w:r")
            container.append(r)
            run = Run(r, paragraph)
        parts = span.text.split("\n")
        for index, part in enumerate(parts):
            if index:
                run.add_break()
            run.add_text(part)
        run.bold, run.italic = span.bold or None, span.italic or None
        run.font.strike = span.strike or None
        if span.code:
            run.font.name = MONO
            run.font.size = Pt(9.5)
        if has_rtl(span.text):
            run.font.rtl = True
        return run

    def _hyperlink(self, paragraph, span: Span) -> None:
        rel = paragraph.part.relate_to(span.link, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
        link = OxmlElement("w:hyperlink")
        link.set(qn("r:id"), rel)
        paragraph._p.append(link)
        run = self._run(paragraph, span, container=link)
        run.font.color.rgb = RGBColor(0x1F, 0x5F, 0xA8)
        run.font.underline = True

    # -- blocks ----------------------------------------------------------------------------------------------
    def blocks(self, blocks: list[Block], *, list_depth: int = 0, quote: bool = False) -> None:
        for block in blocks:
            if block.kind == "paragraph":
                paragraph = self.word.add_paragraph(style="Quote" if quote else None)
                self._runs(paragraph, block.spans)
            elif block.kind == "heading":
                # Headings inside a section sit below the section's Heading 1.
                paragraph = self.word.add_paragraph(style=f"Heading {min(block.level + 1, 6)}")
                self._runs(paragraph, block.spans)
            elif block.kind == "list":
                self.list(block, list_depth)
            elif block.kind == "quote":
                self.blocks(block.children, quote=True)
            elif block.kind == "code":
                paragraph = self.word.add_paragraph()
                self._run(paragraph, Span(block.text, code=True))
                shading = OxmlElement("w:shd")
                shading.set(qn("w:val"), "clear")
                shading.set(qn("w:fill"), "F4F6F8")
                ppr_add(paragraph, shading)
            elif block.kind == "rule":
                self.word.add_paragraph("—" * 3).alignment = WD_ALIGN_PARAGRAPH.CENTER
            elif block.kind == "table":
                self.table(block)

    def _new_numbering(self, start: int) -> int:
        """A fresh w:num over "List Number"'s abstract numbering, so each ordered list starts at `start`."""
        numbering = self.word.part.numbering_part.numbering_definitions._numbering
        style = self.word.styles["List Number"]
        num_id = style.element.pPr.numPr.numId.val
        abstract = numbering.num_having_numId(num_id).abstractNumId.val
        num = numbering.add_num(abstract)
        override = num.add_lvlOverride(ilvl=0)
        override.add_startOverride(start)
        return num.numId

    def list(self, block: Block, depth: int) -> None:
        suffix = "" if depth == 0 else f" {min(depth + 1, 3)}"
        style = ("List Number" if block.ordered else "List Bullet") + suffix
        num_id = self._new_numbering(block.start) if block.ordered else None
        for item in block.items:
            first = True
            for child in item:
                if child.kind == "paragraph" and first:
                    paragraph = self.word.add_paragraph(style=style)
                    if num_id is not None and depth == 0:
                        num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
                        num_pr.get_or_add_numId().val = num_id
                        num_pr.get_or_add_ilvl().val = 0
                    self._runs(paragraph, child.spans)
                elif child.kind == "list":
                    self.list(child, depth + 1)
                else:
                    self.blocks([child], list_depth=depth + 1)
                first = False

    def table(self, block: Block) -> None:
        if not block.rows:
            return
        table = self.word.add_table(rows=len(block.rows), cols=len(block.rows[0]))
        table.style = "Light Grid Accent 1"
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        alignments = {"right": WD_ALIGN_PARAGRAPH.RIGHT, "center": WD_ALIGN_PARAGRAPH.CENTER}
        for r, row in enumerate(block.rows):
            for c, cell in enumerate(row):
                paragraph = table.cell(r, c).paragraphs[0]
                self._runs(
                    paragraph, [Span(s.text, s.bold or r == 0, s.italic, s.code, s.strike, s.link) for s in cell]
                )
                if c < len(block.align) and block.align[c] in alignments:
                    paragraph.alignment = alignments[block.align[c]]
        self.word.add_paragraph()

    # -- document --------------------------------------------------------------------------------------------
    def title_page(self) -> None:
        d = self.doc
        section = self.word.sections[0]
        section.different_first_page_header_footer = True
        if d.branding.custom and d.branding.logo:
            try:
                self.word.add_picture(io.BytesIO(d.branding.logo), height=Mm(16))
            except Exception:
                pass
        name = self.word.add_paragraph()
        run = name.add_run(d.workspace)
        run.bold, run.font.color.rgb = True, MUTED
        for _ in range(6):
            self.word.add_paragraph()
        eyebrow = self.word.add_paragraph().add_run("SCOPE OF WORK")
        eyebrow.bold, eyebrow.font.size, eyebrow.font.color.rgb = True, Pt(9.5), self.accent
        self._runs(self.word.add_paragraph(style="Title"), [Span(d.title)])
        if d.client:
            sub = self.word.add_paragraph().add_run(f"Prepared for {d.client}")
            sub.font.size, sub.font.color.rgb = Pt(14), MUTED
        rows = d.title_facts()
        table = self.word.add_table(rows=len(rows), cols=2)
        for index, (key, value) in enumerate(rows):
            k = table.cell(index, 0).paragraphs[0].add_run(key.upper())
            k.font.size, k.font.color.rgb = Pt(8.5), MUTED
            self._runs(table.cell(index, 1).paragraphs[0], [Span(value)])
        self._footer(section)
        section.first_page_footer.is_linked_to_previous = False
        if not d.branding.custom:
            made = section.first_page_footer.paragraphs[0]
            made.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = made.add_run("Made with Orbit")
            run.font.size, run.font.color.rgb = Pt(7), MUTED

    def contents(self) -> None:
        self.word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        heading = self.word.add_paragraph(
            "Contents", style="TOC Heading" if "TOC Heading" in self.word.styles else "Title"
        )
        heading.runs[0].font.color.rgb = RGBColor(0x1F, 0x29, 0x33)
        complex_field(
            self.word.add_paragraph(),
            'TOC \\o "1-2" \\h \\z \\u',
            "Right-click and choose Update Field to show the contents.",
        )
        self.word.add_section(WD_SECTION.NEW_PAGE)

    def sections(self) -> None:
        d = self.doc
        if d.summary.strip():
            self.word.add_heading("Summary", level=1)
            self.blocks(parse(d.summary))
        if not d.sections:
            self.word.add_heading("Sections", level=1)
            self.word.add_paragraph("This scope has no sections yet.")
        for number, section in enumerate(d.sections, start=1):
            self._runs(
                self.word.add_paragraph(style="Heading 1"), [Span(f"{number}  {section.title or 'Untitled section'}")]
            )
            if d.include_confidence:
                count = len(section.sources)
                note = self.word.add_paragraph().add_run(
                    f"Confidence {percent(section.confidence)} · {count} source{'s' if count != 1 else ''}"
                )
                note.font.size, note.font.color.rgb = Pt(8.5), MUTED
            body = parse(section.markdown)
            if body:
                self.blocks(body)
            else:
                self.word.add_paragraph().add_run("No content yet.").italic = True

    def appendices(self) -> None:
        d = self.doc
        if d.include_confidence:
            self.word.add_page_break()
            self.word.add_heading("Appendix: confidence and sources", level=1)
            for number, section in enumerate(d.sections, start=1):
                self._runs(self.word.add_paragraph(style="Heading 2"), [Span(f"{number}. {section.title}")])
                self.word.add_paragraph(f"Confidence: {percent(section.confidence)}")
                if not section.sources:
                    self.word.add_paragraph("No cited sources.")
                for source in section.sources:
                    where = source.document + (f", page {source.page}" if source.page else "")
                    spans = [Span(where, bold=True)] + (
                        [Span(f" — “{source.quote}”", italic=True)] if source.quote else []
                    )
                    self._runs(self.word.add_paragraph(style="List Bullet"), spans)
        if d.has_analysis:
            self.word.add_page_break()
            self.word.add_heading("Appendix: AI analysis", level=1)
            for title, items in (("Risks", d.risks), ("Open questions", d.open_questions)):
                if items is None:
                    continue
                self.word.add_heading(title, level=2)
                for item in items or ["None identified."]:
                    self._runs(self.word.add_paragraph(style="List Bullet"), [Span(str(item))])
        if d.comments is not None:
            self.word.add_page_break()
            self.word.add_heading("Appendix: comments", level=1)
            for title, resolved in (("Open comments", False), ("Resolved comments", True)):
                self.word.add_heading(title, level=2)
                group = [c for c in d.comments if c.resolved == resolved]
                if not group:
                    self.word.add_paragraph("None.")
                for comment in group:
                    self._comment(comment)

    def _comment(self, comment: CommentEntry, depth: int = 0) -> None:
        where = f" · on “{comment.section}”" if comment.section else ""
        meta = self.word.add_paragraph()
        meta.paragraph_format.left_indent = Mm(8 * depth)
        run = meta.add_run(f"{comment.author} · {comment.created}{where}")
        run.font.size, run.font.color.rgb = Pt(8.5), MUTED
        body = self.word.add_paragraph()
        body.paragraph_format.left_indent = Mm(8 * depth)
        self._runs(body, [Span(comment.body)])
        for reply in comment.replies:
            self._comment(reply, depth + 1)

    def build(self) -> bytes:
        core = self.word.core_properties
        core.title, core.author, core.subject = self.doc.title[:255], self.doc.workspace[:255], "Scope of work"
        self.title_page()
        self.contents()
        self._footer(self.word.sections[-1])
        self.sections()
        self.appendices()
        buffer = io.BytesIO()
        self.word.save(buffer)
        return buffer.getvalue()


def render_docx(doc: ExportDocument) -> bytes:
    return _Writer(cleaned(doc)).build()
