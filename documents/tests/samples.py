"""Test files generated on the fly, with known text: PDFs (text, scanned, encrypted, damaged), DOCX, images."""

import io
import zipfile
from pathlib import Path

import docx
import reportlab
from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas


def _font_path() -> str:
    """DejaVu Sans where Debian's fonts-dejavu is installed, else Bitstream Vera, which ships inside reportlab."""
    dejavu = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    if dejavu.exists():
        return str(dejavu)
    return str(Path(reportlab.__file__).parent / "fonts" / "Vera.ttf")


FONT = _font_path()
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


def page_text(number: int) -> str:
    return f"Statement of work page {number} deliverable alpha{number}"


def text_pdf(pages: int = 3, *, encrypt: str | None = None) -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, encrypt=encrypt)
    for number in range(1, pages + 1):
        pdf.setFont("Helvetica", 14)
        pdf.drawString(72, 760, page_text(number))
        pdf.drawString(72, 730, "Budget and timeline are described below.")
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def text_image(lines: list[str], *, size=(1400, 400), font_size=48) -> Image.Image:
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, font_size)
    for index, line in enumerate(lines):
        draw.text((40, 40 + index * int(font_size * 1.8)), line, fill="black", font=font)
    return image


def png_of_text(lines: list[str]) -> bytes:
    buffer = io.BytesIO()
    text_image(lines).save(buffer, format="PNG")
    return buffer.getvalue()


def image_bytes(image: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def scanned_pdf(
    lines_per_page: list[list[str]], *, text_first_page: str | None = None, stamp: str | None = None
) -> bytes:
    """Pages that are only pictures of text (no text layer), optionally after one normal text page; `stamp` adds a
    little real text at the foot of each scanned page, as scanners add a page number or a header."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    if text_first_page:
        pdf.setFont("Helvetica", 14)
        pdf.drawString(72, 760, text_first_page)
        pdf.showPage()
    for lines in lines_per_page:
        if stamp:  # a whole-page scan (a white A4 sheet with the text at the top), with a stamp drawn over it
            image = text_image(lines, size=(1400, 1980))
            pdf.drawImage(ImageReader(image), 0, 0, width=A4[0], height=A4[1])
            pdf.setFont("Helvetica", 9)
            pdf.drawString(36, 20, stamp)
        else:
            image = text_image(lines)
            width = A4[0] - 72
            height = width * image.height / image.width
            pdf.drawImage(ImageReader(image), 36, A4[1] - 72 - height, width=width, height=height)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def structured_docx() -> bytes:
    document = docx.Document()
    document.add_heading("Website Redesign Brief", level=1)
    paragraph = document.add_paragraph("The client wants a ")
    paragraph.add_run("faster").bold = True
    paragraph.add_run(" site.")
    document.add_heading("Deliverables", level=2)
    document.add_paragraph("Discovery workshop", style="List Bullet")
    document.add_paragraph("Visual design", style="List Bullet")
    document.add_paragraph("Kick-off", style="List Number")
    document.add_paragraph("Launch", style="List Number")
    table = document.add_table(rows=3, cols=2)
    for row, (phase, cost) in enumerate([("Phase", "Cost"), ("Design", "12000"), ("Build", "30000")]):
        table.cell(row, 0).text = phase
        table.cell(row, 1).text = cost
    document.add_paragraph("Payment terms follow the table.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def long_docx(paragraphs: int) -> bytes:
    document = docx.Document()
    for number in range(paragraphs):
        document.add_heading(f"Section {number}", level=2)
        document.add_paragraph(f"Paragraph {number}: " + "scope text " * 60)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def docx_bomb(*, payload_bytes: int) -> bytes:
    """A valid-looking DOCX with one entry of zeros that compresses about 1000:1."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(structured_docx())) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        with target.open("word/media/padding.bin", "w") as entry:
            block = b"\0" * (1024 * 1024)
            for _ in range(payload_bytes // len(block)):
                entry.write(block)
    return buffer.getvalue()


def xlsx_like_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return buffer.getvalue()


def damaged_pdf() -> bytes:
    return b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nthis is not a pdf body at all\n" + b"\x00\xff" * 200
