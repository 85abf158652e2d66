"""The WordprocessingML python-docx has no API for, used by exports.render.docx: where settings and paragraph
properties go in the schema's order (Word refuses them elsewhere), colours, and complex fields (TOC, PAGE)."""

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import RGBColor

from exports.render.document import NEUTRAL_COLOR

# w:settings children that the schema puts after w:updateFields.
AFTER_UPDATE_FIELDS = {
    qn(f"w:{name}")
    for name in (
        "hdrShapeDefaults",
        "footnotePr",
        "endnotePr",
        "compat",
        "docVars",
        "rsids",
        "attachedSchema",
        "themeFontLang",
        "clrSchemeMapping",
        "doNotIncludeSubdocsInStats",
        "doNotAutoCompressPictures",
        "forceUpgrade",
        "captions",
        "readModeInkLockDown",
        "smartTagType",
        "shapeDefaults",
        "doNotEmbedSmartTags",
        "decimalSymbol",
        "listSeparator",
    )
} | {"{http://schemas.openxmlformats.org/officeDocument/2006/math}mathPr"}
# w:pPr children in schema order (python-docx's CT_PPr sequence), to insert the ones it has no API for.
_PPR_ORDER = [
    "pStyle",
    "keepNext",
    "keepLines",
    "pageBreakBefore",
    "framePr",
    "widowControl",
    "numPr",
    "suppressLineNumbers",
    "pBdr",
    "shd",
    "tabs",
    "suppressAutoHyphens",
    "kinsoku",
    "wordWrap",
    "overflowPunct",
    "topLinePunct",
    "autoSpaceDE",
    "autoSpaceDN",
    "bidi",
    "adjustRightInd",
    "snapToGrid",
    "spacing",
    "ind",
    "contextualSpacing",
    "mirrorIndents",
    "suppressOverlap",
    "jc",
    "textDirection",
    "textAlignment",
    "textboxTightWrap",
    "outlineLvl",
    "divId",
    "cnfStyle",
    "rPr",
    "sectPr",
    "pPrChange",
]


def rgb(hex_color: str) -> RGBColor:
    try:
        return RGBColor.from_string(hex_color.lstrip("#").upper())
    except ValueError:
        return RGBColor.from_string(NEUTRAL_COLOR.lstrip("#"))


def ppr_add(paragraph, element) -> None:
    """Add `element` to the paragraph's properties at its place in the schema's order (Word insists)."""
    ppr = paragraph._p.get_or_add_pPr()
    tag = element.tag.split("}")[1]
    successors = [f"w:{name}" for name in _PPR_ORDER[_PPR_ORDER.index(tag) + 1 :]]
    ppr.insert_element_before(element, *successors)


def complex_field(paragraph, instruction: str, placeholder: str = "") -> None:
    """A complex field (begin, instruction, separate, cached result, end) that Word recalculates."""
    run = paragraph.add_run()
    for kind, text in (
        ("begin", None),
        ("instr", instruction),
        ("separate", None),
        ("text", placeholder),
        ("end", None),
    ):
        if kind == "instr":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        elif kind == "text":
            element = OxmlElement("w:t")
            element.text = text
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
            if kind == "begin":
                element.set(qn("w:dirty"), "true")
        run._r.append(element)
