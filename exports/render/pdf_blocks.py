"""Markdown blocks → ReportLab flowables, with the house styles. Used by exports.render.pdf."""

from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import ListFlowable, ListItem, Paragraph, Spacer, Table, TableStyle, XPreformatted
from reportlab.platypus.flowables import HRFlowable

from exports.render import fonts
from exports.render.markdown import Block, Span, plain

INK = colors.HexColor("#1F2933")
MUTED = colors.HexColor("#5F6B7A")
HAIRLINE = colors.HexColor("#D5DAE1")
PAPER_TINT = colors.HexColor("#F4F6F8")


def tint(color: colors.Color, amount: float) -> colors.Color:
    """`color` mixed with white (amount 0 = color, 1 = white)."""
    return colors.Color(*(c + (1 - c) * amount for c in (color.red, color.green, color.blue)))


def make_styles(accent: colors.Color) -> dict[str, ParagraphStyle]:
    sans = fonts.face("Sans")
    bold = fonts.face("Sans-Bold")
    body = ParagraphStyle("body", fontName=sans, fontSize=10, leading=14.5, textColor=INK, spaceAfter=6)
    s = {
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=8.5, leading=11, textColor=MUTED, spaceAfter=2),
        "cell": ParagraphStyle("cell", parent=body, fontSize=9, leading=12, spaceAfter=0),
        "cell_head": ParagraphStyle("cell_head", parent=body, fontName=bold, fontSize=9, leading=12, spaceAfter=0),
        "code": ParagraphStyle(
            "code",
            parent=body,
            fontName=fonts.face("Mono"),
            fontSize=8.5,
            leading=11.5,
            backColor=PAPER_TINT,
            borderPadding=(5, 6, 5, 6),
            spaceBefore=6,
            spaceAfter=10,
            leftIndent=6,
            rightIndent=6,
        ),
        "section": ParagraphStyle(
            "section",
            parent=body,
            fontName=bold,
            fontSize=17,
            leading=22,
            textColor=INK,
            spaceBefore=22,
            spaceAfter=8,
            keepWithNext=1,
        ),
        "toc_title": ParagraphStyle("toc_title", parent=body, fontName=bold, fontSize=20, leading=26, spaceAfter=18),
        "eyebrow": ParagraphStyle("eyebrow", parent=body, fontName=bold, fontSize=9.5, leading=12, textColor=accent),
        "title": ParagraphStyle(
            "title", parent=body, fontName=bold, fontSize=30, leading=36, spaceBefore=6, spaceAfter=10
        ),
        "subtitle": ParagraphStyle("subtitle", parent=body, fontSize=14, leading=19, textColor=MUTED, spaceAfter=4),
        "meta_key": ParagraphStyle("meta_key", parent=body, fontSize=8.5, leading=11, textColor=MUTED, spaceAfter=0),
        "meta_value": ParagraphStyle("meta_value", parent=body, fontSize=10.5, leading=14, spaceAfter=0),
        "footer": ParagraphStyle("footer", parent=body, fontSize=8, leading=10, textColor=MUTED),
        "center": ParagraphStyle("center", parent=body, alignment=TA_CENTER),
        "right": ParagraphStyle("right", parent=body, alignment=TA_RIGHT),
    }
    for level, (size, space) in enumerate(((14, 14), (12, 12), (11, 10), (10.5, 8), (10, 8), (10, 8)), start=1):
        s[f"h{level}"] = ParagraphStyle(
            f"h{level}",
            parent=body,
            fontName=bold,
            fontSize=size,
            leading=size * 1.3,
            spaceBefore=space,
            spaceAfter=4,
            keepWithNext=1,
            textColor=accent if level <= 2 else INK,
        )
    return s


def span_markup(span: Span, *, base: str = "L") -> str:
    text = fonts.visual(span.text, base=base)
    out = fonts.markup(text, primary="Mono" if span.code else "Sans", bold=span.bold, italic=span.italic)
    if span.code:
        out = f'<span backColor="#EEF1F4">{out}</span>'
    if span.strike:
        out = f"<strike>{out}</strike>"
    if span.link:
        out = f'<a href="{escape(span.link, {chr(34): "&quot;"})}" color="#1F5FA8"><u>{out}</u></a>'
    return out


def inline_markup(spans: list[Span]) -> str:
    return "".join(span_markup(span) for span in spans)


def paragraph(spans: list[Span], style: ParagraphStyle, *, bold: bool = False):
    """A paragraph of spans; right-to-left paragraphs are wrapped and reordered by BidiParagraph."""
    text = plain(spans)
    if fonts.is_rtl(text):
        return fonts.BidiParagraph(text, style, bold=bold or all(s.bold for s in spans))
    if fonts.has_cjk(text):
        style = ParagraphStyle(f"{style.name}-cjk", parent=style, wordWrap="CJK")
    return Paragraph(inline_markup(spans) or "&nbsp;", style)


def text_paragraph(text: str, style: ParagraphStyle, *, bold: bool = False):
    return paragraph([Span(text, bold=bold)], style, bold=bold)


class BlockRenderer:
    def __init__(self, styles: dict, accent: colors.Color, width: float):
        self.s, self.accent, self.width = styles, accent, width

    def render(self, blocks: list[Block], *, width: float | None = None) -> list:
        width = width or self.width
        out: list = []
        for block in blocks:
            out += self.block(block, width)
        return out

    def block(self, block: Block, width: float) -> list:
        s = self.s
        if block.kind == "paragraph":
            return [paragraph(block.spans, s["body"])]
        if block.kind == "heading":
            spans = [Span(x.text, True, x.italic, x.code, x.strike, x.link) for x in block.spans]
            return [paragraph(spans, s[f"h{min(block.level, 6)}"], bold=True)]
        if block.kind == "list":
            return [self.list(block, width)]
        if block.kind == "quote":
            return [self.quote(block, width)]
        if block.kind == "code":
            return [XPreformatted(fonts.markup(block.text, primary="Mono") or " ", s["code"])]
        if block.kind == "rule":
            return [HRFlowable(width="100%", thickness=0.6, color=HAIRLINE, spaceBefore=6, spaceAfter=10)]
        if block.kind == "table":
            return [self.table(block, width)]
        return []

    def list(self, block: Block, width: float, depth: int = 0) -> ListFlowable:
        indent = 16
        items = []
        for item_blocks in block.items:
            flowables = []
            for child in item_blocks:
                if child.kind == "list":
                    flowables.append(self.list(child, width - indent, depth + 1))
                elif child.kind == "paragraph":
                    flowables.append(paragraph(child.spans, ParagraphStyle("li", parent=self.s["body"], spaceAfter=2)))
                else:
                    flowables += self.block(child, width - indent)
            items.append(ListItem(flowables or [Spacer(1, 0)]))
        kind = "1" if block.ordered else "bullet"
        options = {"start": block.start} if block.ordered else {"start": ("•", "–", "·")[depth % 3]}
        return ListFlowable(
            items,
            bulletType=kind,
            leftIndent=indent,
            bulletFontName=fonts.face("Sans"),
            bulletFontSize=9.5 if block.ordered else 10,
            bulletColor=self.accent,
            bulletFormat="%s." if block.ordered else None,
            spaceAfter=6 if depth == 0 else 0,
            **options,
        )

    def quote(self, block: Block, width: float) -> Table:
        style = ParagraphStyle("quote", parent=self.s["body"], textColor=colors.HexColor("#3B4754"), spaceAfter=3)
        rows = []
        for child in block.children:
            if child.kind == "paragraph":
                rows.append(
                    [paragraph([Span(s.text, s.bold, True, s.code, s.strike, s.link) for s in child.spans], style)]
                )
            else:
                rows.append([self.block(child, width - 24)])
        table = Table(rows or [[""]], colWidths=[width], hAlign="LEFT")
        table.setStyle(
            TableStyle(
                [
                    ("LINEBEFORE", (0, 0), (0, -1), 2.5, self.accent),
                    ("BACKGROUND", (0, 0), (-1, -1), PAPER_TINT),
                    ("LEFTPADDING", (0, 0), (-1, -1), 12),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 10),
                    ("TOPPADDING", (0, 0), (-1, -1), 3),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                    ("TOPPADDING", (0, 0), (-1, 0), 8),
                    ("BOTTOMPADDING", (0, -1), (-1, -1), 6),
                ]
            )
        )
        table.spaceBefore, table.spaceAfter = 4, 10
        return table

    def table(self, block: Block, width: float) -> Table:
        columns = max(len(block.rows[0]), 1) if block.rows else 1
        data = []
        for index, row in enumerate(block.rows):
            cells = []
            for col, cell in enumerate(row):
                style = self.s["cell_head"] if index == 0 else self.s["cell"]
                align = block.align[col] if col < len(block.align) else "left"
                if align in ("right", "center"):
                    style = ParagraphStyle(
                        f"{style.name}-{align}", parent=style, alignment=TA_RIGHT if align == "right" else TA_CENTER
                    )
                cells.append(paragraph(cell, style, bold=index == 0))
            data.append(cells)
        table = Table(data, colWidths=[width / columns] * columns, repeatRows=1, hAlign="LEFT")
        table.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, 0), tint(self.accent, 0.88)),
                    ("LINEBELOW", (0, 0), (-1, 0), 1, self.accent),
                    ("LINEBELOW", (0, 1), (-1, -1), 0.4, HAIRLINE),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("TOPPADDING", (0, 0), (-1, -1), 4),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
                    ("LEFTPADDING", (0, 0), (-1, -1), 6),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 6),
                ]
            )
        )
        table.spaceBefore, table.spaceAfter = 4, 12
        return table


def meta_table(rows: list[tuple[str, str]], styles: dict, width: float, accent) -> Table:
    data = [
        [text_paragraph(key.upper(), styles["meta_key"]), text_paragraph(value, styles["meta_value"])]
        for key, value in rows
    ]
    table = Table(data, colWidths=[32 * mm, width - 32 * mm], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, HAIRLINE),
                ("LINEABOVE", (0, 0), (-1, 0), 1.2, accent),
                ("TOPPADDING", (0, 0), (-1, -1), 6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table
