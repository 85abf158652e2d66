"""Section markdown → a small block tree that both renderers (PDF, DOCX) walk, so they show the same structure.

Parsing is markdown-it-py's (CommonMark plus tables and strikethrough). Raw HTML is off: a `<b>` in the text is
text. Images are not fetched; their alt text is shown. Links keep only http(s) and mailto targets.
"""

import re
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

_parser = MarkdownIt("commonmark", {"html": False}).enable("table").enable("strikethrough")

# Characters XML 1.0 forbids (DOCX refuses them, PDF markup chokes): shown as U+FFFD instead.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
SAFE_LINK = re.compile(r"^(https?://|mailto:)", re.IGNORECASE)


def clean(text) -> str:
    return _XML_ILLEGAL.sub("\ufffd", str(text or ""))


@dataclass
class Span:
    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False
    strike: bool = False
    link: str = ""


@dataclass
class Block:
    """kind: paragraph | heading | list | table | quote | code | rule.

    paragraph/heading: `spans` (heading: `level` 1-6); list: `ordered`, `start`, `items` (each a list of blocks);
    table: `rows` (each a list of cells, each a list of spans; the first row is the header), `align`;
    quote: `children`; code: `text`.
    """

    kind: str
    spans: list = field(default_factory=list)
    level: int = 0
    ordered: bool = False
    start: int = 1
    items: list = field(default_factory=list)
    rows: list = field(default_factory=list)
    align: list = field(default_factory=list)
    children: list = field(default_factory=list)
    text: str = ""


def plain(spans: list[Span]) -> str:
    return "".join(span.text for span in spans)


def _inline(node: SyntaxTreeNode, *, bold=False, italic=False, strike=False, link="") -> list[Span]:
    spans: list[Span] = []
    for child in node.children:
        kind = child.type
        if kind == "text":
            spans.append(Span(clean(child.content), bold, italic, False, strike, link))
        elif kind == "code_inline":
            spans.append(Span(clean(child.content), bold, italic, True, strike, link))
        elif kind in ("softbreak",):
            spans.append(Span(" ", bold, italic, False, strike, link))
        elif kind == "hardbreak":
            spans.append(Span("\n", bold, italic, False, strike, link))
        elif kind == "strong":
            spans += _inline(child, bold=True, italic=italic, strike=strike, link=link)
        elif kind == "em":
            spans += _inline(child, bold=bold, italic=True, strike=strike, link=link)
        elif kind == "s":
            spans += _inline(child, bold=bold, italic=italic, strike=True, link=link)
        elif kind == "link":
            href = str(child.attrs.get("href", ""))
            spans += _inline(child, bold=bold, italic=italic, strike=strike, link=href if SAFE_LINK.match(href) else "")
        elif kind == "image":
            alt = plain(_inline(child)) or "image"
            spans.append(Span(f"[{clean(alt)}]", bold, True, False, strike, link))
        else:  # html_inline cannot occur (html off); anything unknown keeps its text
            spans.append(Span(clean(child.content), bold, italic, False, strike, link))
    return [span for span in spans if span.text]


def _inline_of(node: SyntaxTreeNode) -> list[Span]:
    return _inline(node.children[0]) if node.children else []


def _blocks(node: SyntaxTreeNode) -> list[Block]:
    blocks: list[Block] = []
    for child in node.children:
        kind = child.type
        if kind == "paragraph":
            blocks.append(Block("paragraph", spans=_inline_of(child)))
        elif kind == "heading":
            blocks.append(Block("heading", spans=_inline_of(child), level=int(child.tag[1])))
        elif kind in ("bullet_list", "ordered_list"):
            start = int(child.attrs.get("start", 1)) if kind == "ordered_list" else 1
            items = [_blocks(item) for item in child.children]
            blocks.append(Block("list", ordered=kind == "ordered_list", start=start, items=items))
        elif kind == "blockquote":
            blocks.append(Block("quote", children=_blocks(child)))
        elif kind in ("fence", "code_block"):
            blocks.append(Block("code", text=clean(child.content.rstrip("\n"))))
        elif kind == "hr":
            blocks.append(Block("rule"))
        elif kind == "table":
            rows, align = [], []
            for part in child.children:  # thead, tbody
                for row in part.children:
                    cells = []
                    for cell in row.children:
                        cells.append(_inline_of(cell))
                        if not rows:
                            style = str(cell.attrs.get("style", ""))
                            align.append(style.removeprefix("text-align:") or "left")
                    rows.append(cells)
            width = max((len(r) for r in rows), default=0)
            rows = [r + [[]] * (width - len(r)) for r in rows]
            blocks.append(Block("table", rows=rows, align=align))
        elif child.children:
            blocks += _blocks(child)
    return blocks


def parse(markdown: str) -> list[Block]:
    return _blocks(SyntaxTreeNode(_parser.parse(clean(markdown))))
