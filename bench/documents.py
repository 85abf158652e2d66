"""Document processing speed: text PDF pages/s (100 pages), DOCX pages/s, seconds per OCR'd page, and
poppler's `pdftotext` on the same PDF where it is installed; peak memory for the PDF and a large text file.

    .venv/bin/python bench/documents.py [--pdf-pages 100] [--ocr-pages 3] [--repeat 3] [--text-mb 50]

Files are generated in memory with reportlab / python-docx / Pillow, like the tests. Best of --repeat runs.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "orbit.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django

django.setup()

import harness  # noqa: E402

from documents import file_types, ocr, text_extraction  # noqa: E402
from documents.tests import samples  # noqa: E402


def dense_pdf(pages: int, lines: int = 45) -> bytes:
    """Pages filled like a real statement of work: `lines` lines of body text each."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    for number in range(1, pages + 1):
        pdf.setFont("Helvetica", 10)
        for line in range(lines):
            pdf.drawString(
                56, 800 - line * 16, f"Page {number} line {line}: the agency delivers discovery, design and build."
            )
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def best_of(repeat: int, fn) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - started)
    return best, result


def _status_kb(field: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise KeyError(field)


def _mb(value: float | None) -> str:
    return "n/a (no /proc)" if value is None else f"{value:.0f} MB"


def peak_growth_mb(fn) -> float | None:
    """Peak resident memory added while running `fn` (Linux: the high-water mark is reset first, then read)."""
    try:
        with open("/proc/self/clear_refs", "w") as clear:
            clear.write("5")  # reset VmHWM to the current RSS
        before = _status_kb("VmRSS")
    except OSError:
        return None
    fn()
    return (_status_kb("VmHWM") - before) / 1024


def main() -> None:
    args = harness.count_options(
        __doc__.split("\n\n")[0], pdf_pages=100, docx_sections=300, ocr_pages=3, text_mb=50, repeat=3
    )

    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        pdf = folder / "text.pdf"
        pdf.write_bytes(dense_pdf(args.pdf_pages))
        docx = folder / "long.docx"
        docx.write_bytes(samples.long_docx(args.docx_sections))
        scanned = folder / "scanned.pdf"
        scanned.write_bytes(
            samples.scanned_pdf(
                [[f"Scanned page {n} of the brief", "Budget and timeline"] for n in range(args.ocr_pages)]
            )
        )

        seconds, pages = best_of(args.repeat, lambda: text_extraction.extract(pdf, file_types.PDF))
        assert len(pages) == args.pdf_pages
        print(
            f"text PDF ({args.pdf_pages} pages x 45 lines, pdfminer.six): {seconds:.3f} s, "
            f"{args.pdf_pages / seconds:.1f} pages/s"
        )

        growth = peak_growth_mb(lambda: text_extraction.extract(pdf, file_types.PDF))
        print(f"  peak memory added extracting it again: {_mb(growth)} (file {pdf.stat().st_size // 1024} kB)")
        text = folder / "big.txt"
        paragraph = ("Scope paragraph with deliverables, budget and timeline lines. " * 20 + "\n\n").encode()
        with open(text, "wb") as out:
            for _ in range(args.text_mb * 2**20 // len(paragraph)):
                out.write(paragraph)
        text_seconds, text_pages = best_of(1, lambda: text_extraction.extract(text, file_types.TEXT))
        growth = peak_growth_mb(lambda: text_extraction.extract(text, file_types.TEXT))
        print(
            f"plain text ({args.text_mb} MB -> {len(text_pages)} pages): {text_seconds:.2f} s, "
            f"peak memory added {_mb(growth)}"
        )

        pdftotext = shutil.which("pdftotext")
        if pdftotext:
            poppler, _ = best_of(
                args.repeat,
                lambda: subprocess.run([pdftotext, "-layout", str(pdf), "-"], capture_output=True, check=True),
            )
            print(
                f"pdftotext (poppler) on the same PDF: {poppler:.3f} s, {args.pdf_pages / poppler:.1f} pages/s; "
                f"ours takes {seconds / poppler:.1f}x as long"
            )
        else:
            print("pdftotext: not installed (Debian package poppler-utils); no comparison")

        seconds, pages = best_of(args.repeat, lambda: text_extraction.extract(docx, file_types.DOCX))
        chars = sum(len(p.text) for p in pages)
        print(
            f"DOCX ({args.docx_sections} sections, {chars} chars -> {len(pages)} pages of "
            f"~{text_extraction.settings.DOCUMENT_TEXT_PAGE_CHARS} chars, mammoth): {seconds:.3f} s, "
            f"{len(pages) / seconds:.1f} pages/s"
        )

        started = time.perf_counter()
        engine = ocr.get_engine()
        engine.recognize(samples.text_image(["warm up"]))
        print(f"OCR engine: {engine.name} (load + first call {time.perf_counter() - started:.2f} s)")
        seconds, pages = best_of(1, lambda: text_extraction.extract(scanned, file_types.PDF))
        assert all(p.ocr for p in pages)
        print(
            f"scanned PDF ({args.ocr_pages} pages, rendered at {text_extraction.settings.DOCUMENT_OCR_RENDER_DPI} dpi "
            f"+ OCR): {seconds:.2f} s, {seconds / args.ocr_pages:.2f} s per OCR'd page"
        )
        image = samples.text_image(["Kickoff meeting on Monday", "Budget 15000 dollars"])
        seconds, _ = best_of(args.repeat, lambda: engine.recognize(image))
        print(f"PNG 1400x400 with two lines of text: {seconds:.2f} s per image")


if __name__ == "__main__":
    main()
