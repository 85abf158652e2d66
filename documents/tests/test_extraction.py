"""Text extraction on generated files: PDF pages, scanned pages (OCR), DOCX structure, images, text encodings."""

import io
from pathlib import Path

import pytest
from PIL import Image

from documents import file_types, text_extraction
from documents.tests import samples

DOCX = file_types.DOCX


def _file(tmp_path: Path, data: bytes, name="f") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_pdf_text_is_kept_per_page_with_progress(tmp_path):
    seen = []
    pages = text_extraction.extract(
        _file(tmp_path, samples.text_pdf(5)), file_types.PDF, progress=lambda done, total: seen.append((done, total))
    )
    assert [p.number for p in pages] == [1, 2, 3, 4, 5]
    for page in pages:
        assert page.text.startswith(samples.page_text(page.number))
        assert not page.ocr
    assert seen[0] == (0, 5)
    assert seen[-1] == (5, 5)


def test_scanned_pdf_page_is_rendered_and_ocrd(tmp_path):
    data = samples.scanned_pdf([["Invoice total 4200 EUR", "Due in thirty days"]], text_first_page="Cover page text")
    pages = text_extraction.extract(_file(tmp_path, data), file_types.PDF)
    assert len(pages) == 2
    assert pages[0].text == "Cover page text"
    assert not pages[0].ocr
    scanned = pages[1]
    assert scanned.ocr is True
    words = scanned.text.lower().split()
    for word in ("invoice", "total", "4200", "eur", "due", "thirty", "days"):
        assert word in words, scanned.text
    assert scanned.confidence > 0.8
    assert scanned.text.index("Invoice") < scanned.text.index("Due")  # reading order kept


def test_encrypted_pdf_fails_readably(tmp_path):
    with pytest.raises(text_extraction.ExtractionFailed, match="password-protected"):
        text_extraction.extract(_file(tmp_path, samples.text_pdf(2, encrypt="secret")), file_types.PDF)


def test_damaged_pdf_fails_readably(tmp_path):
    with pytest.raises(text_extraction.ExtractionFailed, match="damaged or not a valid PDF"):
        text_extraction.extract(_file(tmp_path, samples.damaged_pdf()), file_types.PDF)


def test_truncated_pdf_fails_readably(tmp_path):
    data = samples.text_pdf(3)
    with pytest.raises(text_extraction.ExtractionFailed, match="damaged"):
        text_extraction.extract(_file(tmp_path, data[: len(data) // 3]), file_types.PDF)


def test_docx_keeps_headings_lists_and_tables_as_markdown(tmp_path):
    pages = text_extraction.extract(_file(tmp_path, samples.structured_docx()), DOCX)
    assert len(pages) == 1
    text = pages[0].text
    assert text.startswith("# Website Redesign Brief\n\nThe client wants a **faster** site.")
    assert "## Deliverables\n\n- Discovery workshop\n- Visual design\n\n1. Kick-off\n2. Launch" in text
    assert "| Phase | Cost |\n| --- | --- |\n| Design | 12000 |\n| Build | 30000 |" in text
    assert text.endswith("Payment terms follow the table.")


def test_long_docx_is_cut_into_stable_pages_at_paragraph_boundaries(tmp_path, settings):
    settings.DOCUMENT_TEXT_PAGE_CHARS = 2000
    path = _file(tmp_path, samples.long_docx(20))
    pages = text_extraction.extract(path, DOCX)
    assert len(pages) > 5
    assert all(len(p.text) <= 2000 for p in pages)
    joined = "\n\n".join(p.text for p in pages)
    for number in range(20):
        assert joined.count(f"## Section {number}\n\nParagraph {number}:") == 1
    assert all(p.text.startswith("## Section") for p in pages)  # a heading is never left at a page's end
    again = text_extraction.extract(path, DOCX)
    assert [p.text for p in again] == [p.text for p in pages]


def test_docx_bomb_is_refused_before_mammoth(tmp_path, settings):
    settings.DOCUMENT_DOCX_MAX_UNCOMPRESSED_BYTES = 8 * 2**20
    with pytest.raises(text_extraction.ExtractionFailed, match="unpack"):
        text_extraction.extract(_file(tmp_path, samples.docx_bomb(payload_bytes=16 * 2**20)), DOCX)


def test_png_is_ocrd(tmp_path):
    data = samples.png_of_text(["Kickoff meeting on Monday", "Budget 15000 dollars"])
    pages = text_extraction.extract(_file(tmp_path, data), file_types.PNG)
    assert len(pages) == 1
    assert pages[0].ocr
    words = pages[0].text.lower().split()
    for word in ("kickoff", "meeting", "monday", "budget", "15000", "dollars"):
        assert word in words, pages[0].text


def test_multi_page_tiff_gives_one_page_per_frame(tmp_path):
    first = samples.text_image(["Alpha section"])
    second = samples.text_image(["Omega appendix"])
    buffer = io.BytesIO()
    first.save(buffer, format="TIFF", save_all=True, append_images=[second])
    pages = text_extraction.extract(_file(tmp_path, buffer.getvalue()), file_types.TIFF)
    assert [p.number for p in pages] == [1, 2]
    assert "Alpha" in pages[0].text
    assert "Omega" in pages[1].text


def test_jpeg_is_ocrd(tmp_path):
    data = samples.image_bytes(samples.text_image(["Statement of work"]), "JPEG", quality=90)
    pages = text_extraction.extract(_file(tmp_path, data), file_types.JPEG)
    assert "Statement of work" in pages[0].text


def test_damaged_image_fails_readably(tmp_path):
    data = samples.png_of_text(["x"])[:60]
    with pytest.raises(text_extraction.ExtractionFailed, match="image is damaged"):
        text_extraction.extract(_file(tmp_path, data), file_types.PNG)


def test_image_with_too_many_pixels_fails_readably(tmp_path, monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    data = samples.png_of_text(["x"])
    with pytest.raises(text_extraction.ExtractionFailed, match="too many pixels"):
        text_extraction.extract(_file(tmp_path, data), file_types.PNG)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("Café déjà vu".encode(), "Café déjà vu"),
        ("\ufeffWith BOM".encode(), "With BOM"),
        ("Latin-1 café".encode("cp1252"), "Latin-1 café"),
        ("UTF-16 text".encode("utf-16"), "UTF-16 text"),
    ],
)
def test_text_decoding_with_fallbacks(tmp_path, data, expected):
    pages = text_extraction.extract(_file(tmp_path, data), file_types.TEXT)
    assert pages[0].text == expected


def test_markdown_is_paginated_between_blocks(tmp_path, settings):
    settings.DOCUMENT_TEXT_PAGE_CHARS = 50
    text = "# Title\n\nFirst paragraph of text.\n\nSecond paragraph is here.\n\n| a | b |\n| --- | --- |\n| 1 | 2 |"
    pages = text_extraction.extract(_file(tmp_path, text.encode()), file_types.MARKDOWN)
    assert [p.text for p in pages] == [
        "# Title\n\nFirst paragraph of text.",
        "Second paragraph is here.",
        "| a | b |\n| --- | --- |\n| 1 | 2 |",
    ]


@pytest.mark.parametrize(
    ("data", "declared", "expected"),
    [
        (samples.text_pdf(1), "application/pdf", file_types.PDF),
        (samples.structured_docx(), DOCX, DOCX),
        (samples.png_of_text(["a"]), "image/png", file_types.PNG),
        (samples.image_bytes(samples.text_image(["a"]), "JPEG"), "image/jpeg", file_types.JPEG),
        (samples.image_bytes(samples.text_image(["a"]), "TIFF"), "image/tiff", file_types.TIFF),
        (b"# Heading\n\ntext", "text/markdown", file_types.MARKDOWN),
        (b"# Heading\n\ntext", "text/plain", file_types.TEXT),
        (samples.xlsx_like_zip(), DOCX, None),
        (b"\x7fELF\x02\x01\x01" + b"\x00" * 64, "text/plain", None),
    ],
)
def test_detection_from_bytes(data, declared, expected):
    assert file_types.detect(io.BytesIO(data), declared=declared).content_type == expected


def test_render_scale_keeps_huge_pages_under_the_pixel_cap(settings):
    settings.DOCUMENT_OCR_RENDER_DPI = 200
    a4 = text_extraction.render_scale(595, 842)
    assert a4 == pytest.approx(200 / 72)
    huge = text_extraction.render_scale(14400, 14400)  # the largest page PDF allows: 200 x 200 inches
    assert (14400 * huge) ** 2 <= text_extraction.MAX_RENDER_PIXELS
    assert (14400 * huge) ** 2 > 0.99 * text_extraction.MAX_RENDER_PIXELS


def test_scanned_page_of_a_huge_size_is_ocrd_within_the_pixel_cap(tmp_path, monkeypatch):
    """A 70 x 70 inch scanned page would be 190 M pixels at 200 dpi; it is rendered at the cap instead."""
    import io as _io

    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    side = 5000  # points
    buffer = _io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=(side, side))
    pdf.drawImage(ImageReader(samples.text_image(["Huge poster page"])), 0, side - 1430, width=side, height=1430)
    pdf.showPage()
    pdf.save()
    rendered = []
    real_recognize = text_extraction.ocr.RapidOcrEngine.recognize

    def spy(self, image):
        rendered.append(image.size)
        return real_recognize(self, image)

    monkeypatch.setattr(text_extraction.ocr.RapidOcrEngine, "recognize", spy)
    pages = text_extraction.extract(_file(tmp_path, buffer.getvalue()), file_types.PDF)
    (width, height) = rendered[0]
    assert width * height <= text_extraction.MAX_RENDER_PIXELS
    assert "poster" in pages[0].text.lower()


def test_page_limit_holds_even_when_the_page_count_lies(tmp_path, settings):
    settings.DOCUMENT_MAX_PAGES = 2
    honest = samples.text_pdf(3)
    with pytest.raises(text_extraction.ExtractionFailed, match="has 3 pages"):
        text_extraction.extract(_file(tmp_path, honest, "honest.pdf"), file_types.PDF)
    assert honest.count(b"/Count 3") == 1
    lying = honest.replace(b"/Count 3", b"/Count 1")  # same length: the xref offsets stay valid
    with pytest.raises(text_extraction.ExtractionFailed, match="more than 2 pages"):
        text_extraction.extract(_file(tmp_path, lying, "lying.pdf"), file_types.PDF)


def test_scanned_page_with_a_stamped_page_number_is_still_ocrd(tmp_path):
    data = samples.scanned_pdf([["Acceptance criteria signed", "Budget approved"]], stamp="Page 1 of 1")
    pages = text_extraction.extract(_file(tmp_path, data), file_types.PDF)
    assert pages[0].ocr is True
    words = pages[0].text.lower().split()
    for word in ("acceptance", "criteria", "signed", "budget", "approved"):
        assert word in words, pages[0].text


def test_text_page_with_a_small_logo_is_not_ocrd(tmp_path):
    """A short text page whose image covers little of it stays a text page (no needless OCR)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.drawImage(ImageReader(samples.text_image(["ACME"], size=(400, 200))), 36, 700, width=200, height=100)
    pdf.drawString(72, 600, "Short cover")
    pdf.showPage()
    pdf.save()
    pages = text_extraction.extract(_file(tmp_path, buffer.getvalue()), file_types.PDF)
    assert (pages[0].text, pages[0].ocr) == ("Short cover", False)


@pytest.mark.parametrize("seed", range(5))
def test_text_files_read_block_by_block_paginate_as_the_whole_text_would(tmp_path, settings, seed):
    """extract_text streams the file; its pages equal paginate(decode_text(whole file)) on awkward inputs."""
    import random

    settings.DOCUMENT_TEXT_PAGE_CHARS = 120
    rng = random.Random(seed)
    pieces = ["word", "# Heading", "\n", "\r\n", "\n\n", "\r\n\r\n", "\n\n\n", "  ", "\r", "Café", "| a | b |", "\t"]
    text = "".join(rng.choice(pieces) + rng.choice([" ", ""]) for _ in range(600))
    for encoding, prefix in (("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("utf-16", b""), ("cp1252", b"")):
        data = prefix + text.encode(encoding)
        path = _file(tmp_path, data, f"t-{encoding}-{len(prefix)}")
        expected = text_extraction.paginate(text_extraction.decode_text(data))
        assert [p.text for p in text_extraction.extract_text(path)] == expected, encoding


def test_latin1_past_the_first_megabyte_is_still_detected(tmp_path):
    data = b"a" * (2 * 1024 * 1024) + "\n\ncafé".encode("cp1252")
    pages = text_extraction.extract_text(_file(tmp_path, data))
    assert pages[-1].text.endswith("café")
