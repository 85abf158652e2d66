"""Reading exported files back, as a person would see them: PDF text per page (pdfminer.six), DOCX paragraphs
with their styles (python-docx)."""

import io

import docx
from pdfminer.high_level import extract_text
from pdfminer.pdfpage import PDFPage


def pdf_pages(data: bytes) -> list[str]:
    count = sum(1 for _ in PDFPage.get_pages(io.BytesIO(data)))
    return [extract_text(io.BytesIO(data), page_numbers=[n]) for n in range(count)]


def squash(text: str) -> str:
    return " ".join(text.split())


def docx_paragraphs(data: bytes) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in docx.Document(io.BytesIO(data)).paragraphs]
