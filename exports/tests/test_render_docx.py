"""The DOCX read back with python-docx: Word's own heading styles (navigation pane), a TOC field, lists that
restart, tables, quotes, links, footer with page fields, and branding."""

import io

import docx
import pytest
from docx.oxml.ns import qn
from PIL import Image

from exports.render.docx import render_docx
from exports.tests.readback import docx_paragraphs
from exports.tests.samples import (
    MULTILINGUAL,
    full_options_document,
    large_document,
    multilingual_document,
    rich_document,
)


def _open(document) -> docx.document.Document:
    return docx.Document(io.BytesIO(render_docx(document)))


@pytest.fixture(scope="module")
def rich():
    return _open(full_options_document())


def test_title_page_then_contents_field(rich):
    texts = [p.text for p in rich.paragraphs]
    title = next(p for p in rich.paragraphs if p.style.name == "Title")
    assert title.text == "Intake modernisation <b>phase 1</b> & beyond"  # escaped as text, not markup
    assert "SCOPE OF WORK" in texts
    assert "Prepared for City of Springfield" in texts
    cover = [cell.text for row in rich.tables[0].rows for cell in row.cells]
    for value in (
        "City of Springfield",
        "Digital services 2027",
        "29 November 2026",
        "In review",
        "Northwind Consulting",
    ):
        assert value in cover
    instructions = [node.text for node in rich.element.body.iter(qn("w:instrText"))]
    assert any(text.strip().startswith("TOC \\o") for text in instructions)
    assert rich.settings.element.find(qn("w:updateFields")).get(qn("w:val")) == "true"


def test_sections_are_heading_1_in_order_with_inner_headings_below(rich):
    headings = [
        (style, text)
        for style, text in docx_paragraphs(render_docx(full_options_document()))
        if style.startswith("Heading")
    ]
    assert headings[:5] == [
        ("Heading 1", "Summary"),
        ("Heading 1", "1  Overview"),
        ("Heading 4", "Goals"),
        ("Heading 1", "2  Deliverables"),
        ("Heading 1", "3  Timeline"),
    ]
    assert ("Heading 1", "Appendix: comments") in headings


def test_lists_nest_and_numbered_lists_restart(rich):
    paragraphs = docx_paragraphs(render_docx(rich_document()))
    assert ("List Number", "Replace the legacy form") in paragraphs
    assert ("List Bullet 2", "keep existing URLs") in paragraphs
    assert ("List Bullet", "Accessibility (WCAG 2.2 AA)") in paragraphs
    two = _open(rich_document(sections=[rich_document().sections[0]] * 2))
    numbered = [p for p in two.paragraphs if p.style.name == "List Number"]
    num_ids = {p._p.pPr.numPr.numId.val for p in numbered}
    assert len(num_ids) == 2  # each list its own numbering, starting at 1


def test_table_quote_code_and_link(rich):
    table = rich.tables[1]
    assert [[cell.text for cell in row.cells] for row in table.rows] == [
        ["Phase", "Weeks", "Cost"],
        ["Discovery", "4", "$40,000"],
        ["Build", "12", "$180,000"],
    ]
    assert ("Quote", "Scope changes go through the change-control board.") in docx_paragraphs(
        render_docx(rich_document())
    )
    body = rich.element.body
    assert body.find(".//" + qn("w:hyperlink")) is not None
    assert any(
        rel.reltype.endswith("/hyperlink") and rel.target_ref == "https://example.com/brief"
        for rel in rich.part.rels.values()
    )
    code = next(run for p in rich.paragraphs for run in p.runs if run.text == "GET /api/v1/status")
    assert code.font.name == "Consolas"


def test_footer_has_page_fields_and_orbit_mark_on_free(rich):
    footer = rich.sections[-1].footer
    instructions = [node.text for node in footer._element.iter(qn("w:instrText"))]
    assert instructions == ["PAGE", "NUMPAGES"]
    assert any(p.text == "Made with Orbit" for p in footer.paragraphs)


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (200, 60), (180, 35, 74)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_custom_branding_logo_colour_and_no_orbit_mark():
    branded = _open(full_options_document(branded=True, logo=_png()))
    assert len(branded.inline_shapes) == 1
    assert str(branded.styles["Heading 1"].font.color.rgb) == "B4234A"
    footers = [p.text for s in branded.sections for p in (*s.footer.paragraphs, *s.first_page_footer.paragraphs)]
    assert "Made with Orbit" not in footers


def test_multilingual_text_is_kept_and_rtl_paragraphs_are_marked():
    document = _open(multilingual_document())
    texts = [p.text for p in document.paragraphs]
    for sample in MULTILINGUAL.values():
        assert sample in texts
    hebrew = next(p for p in document.paragraphs if p.text == MULTILINGUAL["עברית"])
    assert hebrew._p.pPr.find(qn("w:bidi")) is not None


def test_control_characters_do_not_break_the_file():
    document = _open(rich_document(title="Bad\x00title\x0b", sections=[]))
    assert next(p for p in document.paragraphs if p.style.name == "Title").text == "Bad\ufffdtitle\ufffd"


def test_empty_and_two_hundred_section_scopes():
    empty = docx_paragraphs(render_docx(rich_document(sections=[], summary="")))
    assert ("Normal", "This scope has no sections yet.") in empty
    big = [text for style, text in docx_paragraphs(render_docx(large_document(200))) if style == "Heading 1"]
    assert big == [f"{n}  Section {n}" for n in range(1, 201)] or big[1:] == [
        f"{n}  Section {n}" for n in range(1, 201)
    ]
