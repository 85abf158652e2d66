"""Bytes → text, page by page. Every extractor returns [ExtractedPage] numbered from 1.

Failures a retry cannot fix (encrypted, damaged, unsafe files) raise ExtractionFailed with a message fit
to show the user; anything else propagates to the task, which decides whether it is transient.
"""

import codecs
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from django.conf import settings
from PIL import Image, ImageSequence

from documents import file_types, ocr, pdf_lines
from documents.markdown import html_to_markdown, markdown_layout

Progress = Callable[[int, int | None], None]  # (pages_done, page_count)
ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)


class ExtractionFailed(Exception):
    """The file cannot be read; the message is shown to the user as the document's error."""


@dataclass(frozen=True)
class ExtractedPage:
    number: int
    text: str
    ocr: bool = False
    confidence: float | None = None
    # The outline signal kept with the page (DocumentPage.layout): (line index, level, size ÷ body size, bold)
    # for each heading-like line; see ai/inputs.py.
    layout: tuple = ()


def _no_progress(done: int, total: int | None) -> None:
    return None


def clean_text(text: str) -> str:
    """What a page may hold: no NUL (PostgreSQL text refuses it) and no form feed (it separates pages in
    Document.extracted_text, so one inside a page would shift every later page number)."""
    if "\x00" in text or "\f" in text:
        text = text.replace("\x00", "").replace("\f", "\n")
    if any(chr(code) in text for code in ZERO_WIDTH):
        text = text.translate(ZERO_WIDTH)  # invisible conversion artifacts that break words apart for a search
    return text


def extract(path: Path, content_type: str, *, progress: Progress = _no_progress) -> list[ExtractedPage]:
    if content_type == file_types.PDF:
        pages = extract_pdf(path, progress=progress)
    elif content_type == file_types.DOCX:
        pages = extract_docx(path, progress=progress)
    elif content_type in file_types.IMAGE_TYPES:
        pages = extract_image(path, progress=progress)
    elif content_type in file_types.TEXT_TYPES:
        pages = extract_text(path, progress=progress)
    else:
        raise ExtractionFailed(f"Files of type {content_type} cannot be processed.")
    return [replace(page, text=clean_text(page.text)) for page in pages]


# -- PDF -------------------------------------------------------------------------------------------


def _open_pdf(fp):
    from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFParser

    try:
        return PDFDocument(PDFParser(fp), password="")
    except PDFPasswordIncorrect as exc:
        raise ExtractionFailed("The PDF is password-protected. Upload a copy without a password.") from exc
    except PDFEncryptionError as exc:
        raise ExtractionFailed(f"The PDF is encrypted in a way that cannot be read ({exc}).") from exc
    except Exception as exc:
        raise ExtractionFailed("The PDF is damaged or not a valid PDF and cannot be read.") from exc


def _pdf_page_count(document) -> int | None:
    from pdfminer.pdftypes import resolve1

    try:
        count = resolve1(resolve1(document.catalog["Pages"])["Count"])
        return int(count)
    except Exception:
        return None


# A page is rendered at DOCUMENT_OCR_RENDER_DPI unless that would exceed this many pixels (an A4 page at 200 dpi
# is 3.9 M); PDF pages may be up to 200 inches a side, which at 200 dpi would be gigabytes of bitmap.
MAX_RENDER_PIXELS = 25_000_000


def render_scale(width_pt: float, height_pt: float) -> float:
    """Points → pixels factor for rendering one page: the configured dpi, lowered for huge pages."""
    scale = settings.DOCUMENT_OCR_RENDER_DPI / 72
    area = max(width_pt, 1.0) * max(height_pt, 1.0)
    if area * scale * scale > MAX_RENDER_PIXELS:
        scale = (MAX_RENDER_PIXELS / area) ** 0.5
    return scale


class _NotTheFile(Exception):
    """Wraps an error raised inside the PDF loop that says nothing about the file (the progress callback's
    database write, the OCR engine): it is re-raised as itself, not reported as a damaged PDF."""


def _reporting(progress: Progress) -> Progress:
    def report(done: int, total: int | None) -> None:
        try:
            progress(done, total)
        except Exception as exc:
            raise _NotTheFile() from exc

    return report


class _PageRenderer:
    """Renders PDF pages for OCR, opening the file with pdfium only if some page needs it, and only once."""

    def __init__(self, path: Path):
        self.path = path
        self._pdf = None

    def ocr(self, index: int) -> ocr.OcrResult:
        import pypdfium2

        if self._pdf is None:
            self._pdf = pypdfium2.PdfDocument(str(self.path))
        page = self._pdf[index]
        try:
            width, height = page.get_size()
            image = page.render(scale=render_scale(width, height)).to_pil()
        finally:
            page.close()
        try:
            return ocr.get_engine().recognize(image)
        except Exception as exc:
            raise _NotTheFile() from exc  # the engine failed, not the page

    def close(self):
        if self._pdf is not None:
            self._pdf.close()


# A page with less text than this whose largest image covers more than half of it is a scan with a stamp, a page
# number or a scanner's header on top, not a text page.
SCAN_MAX_TEXT_CHARS = 40
SCAN_MIN_IMAGE_COVERAGE = 0.5


def _looks_scanned(layout, text: str) -> bool:
    from pdfminer.layout import LTFigure, LTImage

    if len(text) >= SCAN_MAX_TEXT_CHARS:
        return False
    page_area = layout.width * layout.height
    largest = max((item.width * item.height for item in layout if isinstance(item, (LTFigure, LTImage))), default=0)
    return page_area > 0 and largest / page_area > SCAN_MIN_IMAGE_COVERAGE


def extract_pdf(path: Path, *, progress: Progress = _no_progress) -> list[ExtractedPage]:
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage

    pages: list[ExtractedPage] = []
    text_lines: dict[int, list] = {}  # page number → its pdf_lines, for the outline signal
    report = _reporting(progress)  # inside the page loop, where other errors mean a damaged file
    with open(path, "rb") as fp:
        document = _open_pdf(fp)
        total = _pdf_page_count(document)
        if total is not None and total > settings.DOCUMENT_MAX_PAGES:
            raise ExtractionFailed(f"The PDF has {total} pages; at most {settings.DOCUMENT_MAX_PAGES} are processed.")
        progress(0, total)
        resources = PDFResourceManager(caching=True)
        # No pdfminer layout analysis: pdf_lines reads the characters in the order a person does.
        device = PDFPageAggregator(resources, laparams=None)
        interpreter = PDFPageInterpreter(resources, device)
        renderer = _PageRenderer(path)
        try:
            for index, page in enumerate(PDFPage.create_pages(document)):
                if index >= settings.DOCUMENT_MAX_PAGES:  # /Count may understate the pages the tree holds
                    raise ExtractionFailed(
                        f"The PDF has more than {settings.DOCUMENT_MAX_PAGES} pages; at most that many are processed."
                    )
                interpreter.process_page(page)
                layout = device.get_result()
                lines = pdf_lines.page_lines(layout)
                text = "\n".join(line.text for line in lines).strip()
                if text and not _looks_scanned(layout, text):
                    pages.append(ExtractedPage(number=index + 1, text=text))
                    text_lines[index + 1] = lines
                else:
                    # No text layer, or a picture of a page with only a stamp or page number as text: a scan.
                    # Render it and read it (the rendering includes any text drawn on the page).
                    result = renderer.ocr(index)
                    if result.text or not text:
                        pages.append(
                            ExtractedPage(number=index + 1, text=result.text, ocr=True, confidence=result.confidence)
                        )
                    else:
                        pages.append(ExtractedPage(number=index + 1, text=text))
                report(index + 1, total)
        except ExtractionFailed:
            raise
        except _NotTheFile as wrapper:
            raise wrapper.__cause__ from None
        except Exception as exc:
            if pages:
                raise ExtractionFailed(
                    f"The PDF is damaged: page {len(pages) + 1} could not be read ({type(exc).__name__})."
                ) from exc
            raise ExtractionFailed("The PDF is damaged or not a valid PDF and cannot be read.") from exc
        finally:
            renderer.close()
    if not pages:
        raise ExtractionFailed("The PDF has no pages.")
    hints = pdf_lines.heading_hints(list(text_lines.values()))
    by_page = dict(zip(text_lines, hints, strict=True))
    return [replace(p, layout=tuple(tuple(h) for h in by_page.get(p.number, ()))) for p in pages]


# -- DOCX, plain text and markdown: no real pages, cut at paragraph boundaries ------------------------


def paginate(text: str, *, page_chars: int | None = None) -> list[str]:
    """Cut text into pages of about `page_chars`, only between blocks (blank-line separated), so a paragraph or a
    table is never split and a heading stays with the block after it; a block longer than a page is a page alone."""
    return paginate_blocks(text.replace("\r\n", "\n").split("\n\n"), page_chars=page_chars)


def paginate_blocks(blocks: Iterable[str], *, page_chars: int | None = None) -> list[str]:
    """`paginate` over blocks given one at a time (a text file is read block by block, never whole)."""
    page_chars = page_chars or settings.DOCUMENT_TEXT_PAGE_CHARS
    pages: list[str] = []
    current: list[str] = []
    size = 0
    for block in blocks:
        block = block.strip("\n")
        if not block.strip():
            continue
        if current and size + len(block) + 2 > page_chars:
            # A heading belongs with what follows it: carry a trailing heading over to the next page.
            carried = [current.pop()] if len(current) > 1 and current[-1].startswith("#") else []
            pages.append("\n\n".join(current))
            current, size = carried, sum(len(b) + 2 for b in carried)
        current.append(block)
        size += len(block) + 2
    if current:
        pages.append("\n\n".join(current))
    return pages or [""]


# Word's Title and Subtitle styles are the document's headings too (mammoth maps Heading 1–6 by itself).
DOCX_STYLE_MAP = """
p[style-name='Title'] => h1:fresh
p[style-name='Subtitle'] => h2:fresh
"""


def extract_docx(path: Path, *, progress: Progress = _no_progress) -> list[ExtractedPage]:
    import mammoth

    try:
        with zipfile.ZipFile(path) as archive:
            file_types.check_docx_archive(archive)
    except file_types.ArchiveTooLarge as exc:
        raise ExtractionFailed(str(exc)) from exc
    except zipfile.BadZipFile as exc:
        raise ExtractionFailed("The DOCX is damaged and cannot be opened.") from exc
    progress(0, None)
    try:
        with open(path, "rb") as fp:
            html = mammoth.convert_to_html(fp, style_map=DOCX_STYLE_MAP).value
    except Exception as exc:
        raise ExtractionFailed("The DOCX is damaged or not a valid Word document.") from exc
    texts = paginate(html_to_markdown(html))
    progress(len(texts), len(texts))
    return [ExtractedPage(number=n, text=text, layout=markdown_layout(text)) for n, text in enumerate(texts, start=1)]


def decode_text(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", "replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", "replace")


def text_encoding(path: Path) -> str:
    """decode_text's choice for a file, reading it a chunk at a time: BOM, else UTF-8 if it all decodes, else cp1252."""
    with open(path, "rb") as fp:
        head = fp.read(3)
        if head.startswith(b"\xef\xbb\xbf"):
            return "utf-8-sig"
        if head.startswith((b"\xff\xfe", b"\xfe\xff")):
            return "utf-16"
        fp.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            while chunk := fp.read(1024 * 1024):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp1252"
    return "utf-8"


def text_blocks(path: Path) -> Iterator[str]:
    """The blank-line separated blocks of a text file, decoded as decode_text would, read line by line."""
    # newline="\n": lines end only at \n and keep their \r, so "\r\n" is replaced within a block exactly as
    # paginate replaces it in the whole text.
    with open(path, encoding=text_encoding(path), errors="replace", newline="\n") as fp:
        lines: list[str] = []
        for line in fp:
            if line in ("\n", "\r\n"):
                if lines:
                    yield "".join(lines).replace("\r\n", "\n")
                    lines = []
            else:
                lines.append(line)
        if lines:
            yield "".join(lines).replace("\r\n", "\n")


def extract_text(path: Path, *, progress: Progress = _no_progress) -> list[ExtractedPage]:
    """Plain text and markdown, read block by block: only the pages are held, never the whole file's text as well."""
    texts = paginate_blocks(text_blocks(path))
    progress(len(texts), len(texts))
    return [ExtractedPage(number=n, text=text, layout=markdown_layout(text)) for n, text in enumerate(texts, start=1)]


# -- Images ------------------------------------------------------------------------------------------


def extract_image(path: Path, *, progress: Progress = _no_progress) -> list[ExtractedPage]:
    """PNG and JPEG are one page; a multi-page TIFF gives one page per frame."""
    engine = ocr.get_engine()
    pages: list[ExtractedPage] = []
    try:
        with Image.open(path) as image:
            total = getattr(image, "n_frames", 1)
            if total > settings.DOCUMENT_MAX_PAGES:
                raise ExtractionFailed(
                    f"The image has {total} pages; at most {settings.DOCUMENT_MAX_PAGES} are processed."
                )
            progress(0, total)
            for index, frame in enumerate(ImageSequence.Iterator(image)):
                result = engine.recognize(frame.convert("RGB"))
                pages.append(ExtractedPage(number=index + 1, text=result.text, ocr=True, confidence=result.confidence))
                progress(index + 1, total)
    except Image.DecompressionBombError as exc:
        raise ExtractionFailed("The image is too large to process (too many pixels).") from exc
    except (Image.UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise ExtractionFailed("The image is damaged and cannot be read.") from exc
    return pages
