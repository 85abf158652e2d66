"""The PDF read back with pdfminer.six: what a reader sees, in the order they see it."""

import io

import pytest
from pdfminer.high_level import extract_pages
from pdfminer.layout import LTChar
from PIL import Image

from exports.render import fonts
from exports.render.document import Branding
from exports.render.pdf import render_pdf
from exports.tests.readback import pdf_pages, squash
from exports.tests.samples import (
    MULTILINGUAL,
    full_options_document,
    large_document,
    multilingual_document,
    rich_document,
)


@pytest.fixture(scope="module")
def rich_pages():
    return [squash(page) for page in pdf_pages(render_pdf(full_options_document()))]


def _chars(data: bytes):
    def walk(node):
        if isinstance(node, LTChar):
            yield node
        elif hasattr(node, "__iter__"):
            for child in node:
                yield from walk(child)

    for page in extract_pages(io.BytesIO(data)):
        yield from walk(page)


def test_title_page_carries_title_client_project_date_status_and_workspace(rich_pages):
    title = rich_pages[0]
    for text in (
        "SCOPE OF WORK",
        "Intake modernisation <b>phase 1</b> & beyond",  # user text is text: no markup, no entity
        "Prepared for City of Springfield",
        "Digital services 2027",
        "29 November 2026",
        "In review",
        "Northwind Consulting",
        "82%",
    ):
        assert text in title
    assert "Page" not in title  # the cover has no page number


def test_contents_lists_every_section_and_appendix_with_its_page(rich_pages):
    contents = rich_pages[1]
    assert contents.startswith("Contents")
    order = ["Summary", "1 Overview", "2 Deliverables", "3 Timeline"]
    order += ["Appendix: confidence and sources", "Appendix: AI analysis", "Appendix: comments"]
    positions = [contents.index(entry) for entry in order]
    assert positions == sorted(positions)
    # Page numbers are real: the page the contents names holds the heading.
    assert "1 Overview . " in contents
    page_of_overview = int(contents.split("1 Overview")[1].replace(".", " ").split()[0])
    assert "1 Overview" in rich_pages[page_of_overview - 1]


def test_sections_in_order_with_markdown_rendered(rich_pages):
    body = " ".join(rich_pages[2:])
    assert body.index("1 Overview") < body.index("2 Deliverables") < body.index("3 Timeline")
    for text in (
        "The Agency needs a modern intake service.",
        "Goals",
        "1. Replace the legacy form",
        "keep existing URLs",
        "2. Publish an API",
        "• Accessibility (WCAG 2.2 AA)",
        "Weeks",
        "$40,000",
        "$180,000",
        "Scope changes go through the change-control board.",
        "GET /api/v1/status",
        "Confidence 90% · 1 source",
    ):
        assert text in body, text
    assert body.index("Phase") < body.index("Discovery") < body.index("Build")  # table rows in order
    assert not any(mark in body for mark in ("**", "|", "###"))


def test_inline_styles_use_bold_italic_and_mono_faces():
    data = render_pdf(rich_document())
    by_char = {}
    for char in _chars(data):
        by_char.setdefault(char.get_text(), set()).add(char.fontname.split("+")[-1])
    faces = {name for names in by_char.values() for name in names}
    assert {"NotoSans-Regular", "NotoSans-Bold", "NotoSans-Italic", "NotoMono"} <= faces
    assert not any("Helvetica" in name for name in faces)  # every glyph from an embedded font


def test_appendices_hold_sources_analysis_and_comments(rich_pages):
    appendices = " ".join(rich_pages[3:])
    assert "rfp.pdf, page 3 — “The agency seeks a vendor”" in appendices
    assert "Legacy data quality is unknown" in appendices
    assert "Who owns the hosting contract?" in appendices
    assert appendices.index("Open comments") < appendices.index("Check the <b>budget</b> & dates")
    assert (
        appendices.index("Done in v2.") < appendices.index("Resolved comments") < appendices.index("Approved wording.")
    )


def test_without_options_there_are_no_appendices():
    text = " ".join(squash(page) for page in pdf_pages(render_pdf(rich_document())))
    assert "Appendix" not in text
    assert "Confidence 90%" not in text


def test_every_content_page_has_a_running_footer_with_page_n_of_m(rich_pages):
    total = len(rich_pages)
    for number, page in enumerate(rich_pages[1:], start=2):
        assert f"Page {number} of {total}" in page
        assert "Intake modernisation <b>phase 1</b> & beyond · City of Springfield" in page


BRAND = (0.706, 0.137, 0.29)  # #B4234A


def _text_colours(data: bytes) -> set:
    return {tuple(round(c, 3) for c in char.graphicstate.ncolor) for char in _chars(data) if char.graphicstate.ncolor}


def _logo_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (240, 80), (180, 35, 74)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_free_plan_has_the_orbit_footer_and_neutral_style(rich_pages):
    assert all("Made with Orbit" in page for page in rich_pages)


def test_custom_branding_has_logo_and_colour_and_no_orbit_footer():
    data = render_pdf(full_options_document(branded=True, logo=_logo_png()))
    text = " ".join(pdf_pages(data))
    assert "Made with Orbit" not in text
    assert b"/Subtype /Image" in data  # the logo is drawn
    assert BRAND in _text_colours(data)  # section numbers and sub-headings in the workspace colour


def test_branding_flag_off_ignores_logo_and_colour():
    data = render_pdf(rich_document(branding=Branding(custom=False, color="#B4234A", logo=_logo_png())))
    assert b"/Subtype /Image" not in data
    assert BRAND not in _text_colours(data)


def test_multilingual_text_renders_with_embedded_fonts():
    data = render_pdf(multilingual_document())
    text = squash(" ".join(pdf_pages(data)))
    for language, sample in MULTILINGUAL.items():
        # Right-to-left text is drawn in visual order (shaped Arabic), as pdfminer reads it back.
        expected = fonts.visual(sample, base="R") if fonts.is_rtl(sample) else sample
        assert squash(expected) in text, language
    faces = {char.fontname.split("+")[-1] for char in _chars(data)}
    assert {"NotoSansHebrew-Regular", "NotoSansArabic-Regular", "DroidSansFallback"} <= faces
    assert data.count(b"/FontFile2") >= len(faces)  # each of them embedded


def test_characters_no_font_has_become_a_visible_replacement_glyph():
    text = squash(" ".join(pdf_pages(render_pdf(multilingual_document()))))
    assert "Rocket \ufffd and private \ufffd use; done." in text


def test_empty_scope_still_makes_a_document():
    pages = [squash(p) for p in pdf_pages(render_pdf(rich_document(sections=[], summary="")))]
    assert "Intake modernisation" in pages[0]
    assert "This scope has no sections yet." in " ".join(pages)


def test_two_hundred_sections_all_present_in_order():
    pages = pdf_pages(render_pdf(large_document(200)))
    text = squash(" ".join(pages[1:]))
    contents_end = text.index("Section 200 .")
    body = text[contents_end:]
    positions = [body.index(f"{n} Section {n} ", 1 if n == 200 else 0) for n in range(1, 201)]
    assert positions == sorted(positions)
    assert len(pages) > 100
