"""Fonts for the PDF: every script gets a glyph from a font the project ships (exports/fonts/), embedded as a subset.

Text is cut into runs by the first font of the fallback chain that has each character: Noto Sans (Latin, Greek,
Cyrillic) → Noto Sans Hebrew → Noto Sans Arabic → Droid Sans Fallback (CJK, kana, Hangul). A character no font
has becomes U+FFFD (a visible replacement glyph), never an error or a silent gap.

ReportLab draws glyphs in the order given, so right-to-left text is shaped (arabic-reshaper) and reordered
(python-bidi) here, line by line after wrapping, in `BidiParagraph`.
"""

import unicodedata
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

import arabic_reshaper
from bidi import get_display
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable, Paragraph

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
REPLACEMENT = "\ufffd"

# (name, file) per face; the body family's four faces come first.
_FACES = {
    "Sans": "NotoSans-Regular.ttf",
    "Sans-Bold": "NotoSans-Bold.ttf",
    "Sans-Italic": "NotoSans-Italic.ttf",
    "Sans-BoldItalic": "NotoSans-BoldItalic.ttf",
    "Hebrew": "NotoSansHebrew-Regular.ttf",
    "Hebrew-Bold": "NotoSansHebrew-Bold.ttf",
    "Arabic": "NotoSansArabic-Regular.ttf",
    "Arabic-Bold": "NotoSansArabic-Bold.ttf",
    "CJK": "DroidSansFallback.ttf",
    "Mono": "NotoMono-Regular.ttf",
}
_FALLBACKS = ("Hebrew", "Arabic", "CJK")
_PREFIX = "Orbit"


def face(name: str) -> str:
    return f"{_PREFIX}{name}"


@lru_cache(maxsize=1)
def register() -> None:
    """Register the shipped fonts with ReportLab once per process."""
    for name, filename in _FACES.items():
        pdfmetrics.registerFont(TTFont(face(name), str(FONT_DIR / filename)))
    pdfmetrics.registerFontFamily(
        face("Sans"),
        normal=face("Sans"),
        bold=face("Sans-Bold"),
        italic=face("Sans-Italic"),
        boldItalic=face("Sans-BoldItalic"),
    )
    for name in ("Hebrew", "Arabic"):
        pdfmetrics.registerFontFamily(
            face(name), normal=face(name), bold=face(f"{name}-Bold"), italic=face(name), boldItalic=face(f"{name}-Bold")
        )
    for name in ("CJK", "Mono"):
        pdfmetrics.registerFontFamily(
            face(name), normal=face(name), bold=face(name), italic=face(name), boldItalic=face(name)
        )


@lru_cache(maxsize=16)
def _cmap(name: str) -> frozenset:
    register()
    return frozenset(pdfmetrics.getFont(face(name)).face.charToGlyph)


def font_for(char: str, primary: str = "Sans") -> str | None:
    """The face (short name) that draws `char`: the primary first, then the fallbacks; None if none has it."""
    code = ord(char)
    if code in _cmap(primary) or char in " \n":
        return primary
    for name in _FALLBACKS:
        if code in _cmap(name):
            return name
    return None


def _variant(name: str, *, bold: bool, italic: bool) -> str:
    if name == "Sans":
        return {(False, False): "Sans", (True, False): "Sans-Bold", (False, True): "Sans-Italic"}.get(
            (bold, italic), "Sans-BoldItalic"
        )
    if name in ("Hebrew", "Arabic") and bold:
        return f"{name}-Bold"
    return name


def runs(text: str, primary: str = "Sans") -> list[tuple[str, str]]:
    """[(face short name, text)] with every character in a font that has it (U+FFFD where none does)."""
    out: list[tuple[str, str]] = []
    for char in text:
        name = font_for(char, primary)
        if name is None:
            if unicodedata.category(char) in ("Mn", "Me", "Cf"):  # combining/format marks with no glyph: drop
                continue
            name, char = "Sans", REPLACEMENT
        if out and out[-1][0] == name:
            out[-1] = (name, out[-1][1] + char)
        else:
            out.append((name, char))
    return out


def markup(text: str, *, primary: str = "Sans", bold: bool = False, italic: bool = False) -> str:
    """Paragraph markup for plain `text`: escaped, each run in the font that has its glyphs."""
    parts = []
    for name, chunk in runs(text, primary):
        escaped = escape(chunk).replace("\n", "<br/>")
        parts.append(f'<font name="{face(_variant(name, bold=bold, italic=italic))}">{escaped}</font>')
    return "".join(parts)


def width(text: str, size: float, *, bold: bool = False) -> float:
    return sum(
        pdfmetrics.stringWidth(chunk, face(_variant(name, bold=bold, italic=False)), size) for name, chunk in runs(text)
    )


# -- right-to-left -------------------------------------------------------------------------------------------


def is_rtl(text: str) -> bool:
    """True when the first strongly directional character is right-to-left (the paragraph's base direction)."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


def has_rtl(text: str) -> bool:
    return any(unicodedata.bidirectional(char) in ("R", "AL") for char in text)


def visual(text: str, *, base: str = "L") -> str:
    """Logical → visual order for drawing, Arabic letters joined first."""
    if not has_rtl(text):
        return text
    return get_display(arabic_reshaper.reshape(text), base_dir=base)


def has_cjk(text: str) -> bool:
    return any(
        0x2E80 <= ord(char) <= 0x9FFF
        or 0xAC00 <= ord(char) <= 0xD7AF
        or 0xF900 <= ord(char) <= 0xFAFF
        or 0xFF00 <= ord(char) <= 0xFFEF
        for char in text
    )


class BidiParagraph(Flowable):
    """A right-to-left paragraph: wrapped in logical order at the width it is given, each line then reordered."""

    def __init__(self, text: str, style: ParagraphStyle, *, bold: bool = False):
        super().__init__()
        self.text, self.bold = text, bold
        self.style = ParagraphStyle(f"{style.name}-rtl", parent=style, alignment=TA_RIGHT)
        self._inner: Paragraph | None = None

    def _lines(self, available: float) -> list[str]:
        lines: list[str] = []
        for logical in self.text.split("\n"):
            line = ""
            for word in logical.split(" "):
                candidate = f"{line} {word}" if line else word
                if line and width(candidate, self.style.fontSize, bold=self.bold) > available:
                    lines.append(line)
                    line = word
                else:
                    line = candidate
            lines.append(line)
        return lines

    def _build(self, available: float) -> Paragraph:
        lines = self._lines(available - 1)
        body = "<br/>".join(markup(visual(line, base="R"), bold=self.bold) for line in lines)
        return Paragraph(body, self.style)

    def wrap(self, available_width, available_height):
        self._inner = self._build(available_width)
        return self._inner.wrap(available_width, available_height)

    def split(self, available_width, available_height):
        return self._build(available_width).split(available_width, available_height)

    def draw(self):
        self._inner.drawOn(self.canv, 0, 0)

    def getSpaceBefore(self):
        return self.style.spaceBefore

    def getSpaceAfter(self):
        return self.style.spaceAfter
