"""mammoth's HTML → markdown, keeping the structure later steps rely on: headings, lists (nested), tables.

mammoth's own markdown writer is deprecated, escapes punctuation and flattens tables into loose paragraphs;
its HTML output is semantic and small, so converting that is simpler and keeps tables as markdown tables.
"""

import re
from html.parser import HTMLParser

HEADING_LINE = re.compile(r"^(#{1,6})\s+\S")
BOLD_LINE = re.compile(r"^\*\*[^*]+\*\*\s*:?\s*$")


class _Converter(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []  # finished markdown blocks, joined by blank lines
        self.inline: list[str] = []  # text of the block being read
        self.lists: list[dict] = []  # open <ul>/<ol>: {"ordered": bool, "n": int}
        self.list_lines: list[str] = []
        self.table: list[list[str]] | None = None
        self.row: list[str] | None = None
        self.cell: list[str] | None = None
        self.heading = 0
        self.links: list[tuple[str | None, int]] = []  # open <a>: (href, length of the text before it)

    # -- helpers -------------------------------------------------------------------------------
    def _take_inline(self) -> str:
        text = " ".join("".join(self.inline).split())
        self.inline = []
        # Empty emphasis left by formatting-only runs (<strong></strong>) is noise, not text.
        return text.replace("****", "").replace("** **", " ").strip()

    def _flush_paragraph(self):
        text = self._take_inline()
        if text:
            self.blocks.append(text)

    # -- parser callbacks ------------------------------------------------------------------------
    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("ul", "ol"):
            if self.lists and self.inline:
                self._emit_list_item()
            self.lists.append({"ordered": tag == "ol", "n": 0})
        elif tag == "li":
            if self.lists:
                self.lists[-1]["n"] += 1
            self.inline = []
        elif tag == "table":
            self._flush_paragraph()
            self.table = []
        elif tag == "tr" and self.table is not None:
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = []
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._flush_paragraph()
            self.heading = int(tag[1])
        elif tag in ("strong", "b"):
            self._text("**")
        elif tag in ("em", "i"):
            self._text("*")
        elif tag == "a":
            # A bookmark (<a id=…> with no href, which mammoth emits for Word bookmarks) is no link: no brackets.
            href = attrs.get("href")
            self.links.append((href, len(self._buffer())))
            if href:
                self._text("[")
        elif tag == "br":
            self._text(" ")

    def handle_endtag(self, tag):
        if tag in ("ul", "ol"):
            if self.inline:
                self._emit_list_item()
            self.lists.pop()
            if not self.lists and self.list_lines:
                self.blocks.append("\n".join(self.list_lines))
                self.list_lines = []
        elif tag == "li":
            if self.inline:
                self._emit_list_item()
        elif tag in ("td", "th") and self.cell is not None and self.row is not None:
            self.row.append(" ".join("".join(self.cell).split()).replace("|", "\\|"))
            self.cell = None
        elif tag == "tr" and self.row is not None and self.table is not None:
            self.table.append(self.row)
            self.row = None
        elif tag == "table" and self.table is not None:
            self._emit_table()
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            # A heading is emphasis enough: a heading wholly in bold (a Word heading also set bold) loses the bold.
            text = self._take_inline()
            if text.startswith("**") and text.endswith("**") and text.count("**") == 2:
                text = text[2:-2].strip()
            if text:
                self.blocks.append(f"{'#' * self.heading} {text}")
            self.heading = 0
        elif tag in ("strong", "b"):
            self._text("**")
        elif tag in ("em", "i"):
            self._text("*")
        elif tag == "a" and self.links:
            href, start = self.links.pop()
            buffer = self._buffer()
            if href and not "".join(buffer[start + 1 :]).strip():
                del buffer[start:]  # a link around nothing leaves nothing
            elif href:
                self._text(f"]({href})")
        elif tag == "p" and not self.lists and self.cell is None:
            self._flush_paragraph()
        elif tag == "p" and self.cell is not None:
            self.cell.append(" ")

    def handle_data(self, data):
        self._text(data)

    def _buffer(self) -> list[str]:
        return self.cell if self.cell is not None else self.inline

    def _text(self, data: str):
        if self.cell is not None:
            self.cell.append(data)
        else:
            self.inline.append(data)

    def _emit_list_item(self):
        current = self.lists[-1]
        marker = f"{current['n']}." if current["ordered"] else "-"
        # A nested list is indented to the text of its parent item ("- " is 2 wide, "10. " is 4).
        indent = sum(outer.get("width", 2) for outer in self.lists[:-1])
        current["width"] = len(marker) + 1
        text = self._take_inline()
        if text:
            self.list_lines.append(f"{' ' * indent}{marker} {text}")

    def _emit_table(self):
        rows = [row for row in self.table if any(cell for cell in row)]
        self.table = None
        if not rows:
            return
        width = max(len(row) for row in rows)
        rows = [row + [""] * (width - len(row)) for row in rows]
        lines = ["| " + " | ".join(rows[0]) + " |", "|" + " --- |" * width]
        lines += ["| " + " | ".join(row) + " |" for row in rows[1:]]
        self.blocks.append("\n".join(lines))

    def close(self):
        super().close()
        if self.list_lines:
            self.blocks.append("\n".join(self.list_lines))
        self._flush_paragraph()


def html_to_markdown(html: str) -> str:
    converter = _Converter()
    converter.feed(html)
    converter.close()
    return "\n\n".join(block for block in converter.blocks if block.strip())


def markdown_layout(text: str) -> tuple:
    """The outline signal of a markdown page (see ai/inputs.py): `#` headings with their level, and
    paragraphs that are wholly bold (Word's "bold Normal" pseudo-headings) with level 0."""
    hints = []
    for index, line in enumerate(text.split("\n")):
        heading = HEADING_LINE.match(line)
        if heading:
            hints.append((index, len(heading.group(1)), 0.0, False))
        elif BOLD_LINE.match(line.strip()) and len(line.split()) <= 16:
            hints.append((index, 0, 0.0, True))
    return tuple(hints)
