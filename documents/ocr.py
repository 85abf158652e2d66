"""Reading text from images. One interface, two engines.

- rapidocr-onnxruntime (default): its ONNX models ship inside the pip package, so it works offline (CI, this
  machine) with no download.
- easyocr: used when DOCUMENT_OCR_ENGINE is "easyocr" (missing model files are then fetched on first use, where
  internet exists), or "auto" and DOCUMENT_EASYOCR_MODEL_DIR names a folder holding its model files (*.pth).
  easyocr pulls in PyTorch, so it lives in requirements-ocr.txt and is imported lazily.
Engines are loaded once per process (model loading costs about half a second) and reused.
"""

import importlib.util
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy
from django.conf import settings
from PIL import Image


@dataclass(frozen=True)
class OcrResult:
    text: str
    confidence: float | None  # mean over recognised lines, 0..1; None when nothing was read


@dataclass(frozen=True)
class _Box:
    top: float
    bottom: float
    left: float
    text: str
    confidence: float


def _lines(boxes: list[_Box]) -> str:
    """Boxes → reading order: a box joins the row its vertical centre falls in; rows read left to right."""
    rows: list[list[_Box]] = []
    for box in sorted(boxes, key=lambda b: (b.top + b.bottom) / 2):
        centre = (box.top + box.bottom) / 2
        if rows:
            last = rows[-1]
            top = min(b.top for b in last)
            bottom = max(b.bottom for b in last)
            if top <= centre <= bottom:
                last.append(box)
                continue
        rows.append([box])
    return "\n".join(" ".join(b.text for b in sorted(row, key=lambda b: b.left)) for row in rows)


def _result(boxes: list[_Box]) -> OcrResult:
    if not boxes:
        return OcrResult(text="", confidence=None)
    return OcrResult(text=_lines(boxes), confidence=sum(b.confidence for b in boxes) / len(boxes))


def _box(points, text: str, confidence: float) -> _Box:
    ys = [float(p[1]) for p in points]
    xs = [float(p[0]) for p in points]
    return _Box(top=min(ys), bottom=max(ys), left=min(xs), text=text.strip(), confidence=float(confidence))


class OcrEngine:
    name = "base"

    def recognize(self, image: Image.Image) -> OcrResult:
        raise NotImplementedError


class RapidOcrEngine(OcrEngine):
    name = "rapidocr"

    def __init__(self):
        from rapidocr_onnxruntime import RapidOCR

        self._engine = RapidOCR()
        # One ONNX session per engine; serialise calls from threads sharing it.
        self._lock = threading.Lock()

    def recognize(self, image: Image.Image) -> OcrResult:
        with self._lock:
            found, _elapsed = self._engine(numpy.array(image.convert("RGB")))
        return _result([_box(points, text, score) for points, text, score in (found or []) if text.strip()])


class EasyOcrEngine(OcrEngine):
    name = "easyocr"

    def __init__(self, model_dir: str, languages: list[str], *, download: bool = False):
        """`download`: fetch missing model files on first use (needs internet), as when easyocr is chosen
        explicitly; otherwise only the files already in `model_dir` are used."""
        import easyocr

        if model_dir:
            if download:
                Path(model_dir).mkdir(parents=True, exist_ok=True)
            elif not Path(model_dir).is_dir():
                raise FileNotFoundError(f"DOCUMENT_EASYOCR_MODEL_DIR {model_dir!r} is not a folder")
        self._reader = easyocr.Reader(
            languages,
            gpu=False,
            model_storage_directory=model_dir or None,
            download_enabled=download,
            verbose=False,
        )
        self._lock = threading.Lock()

    def recognize(self, image: Image.Image) -> OcrResult:
        with self._lock:
            found = self._reader.readtext(numpy.array(image.convert("RGB")))
        return _result([_box(points, text, score) for points, text, score in found if text.strip()])


def easyocr_available() -> bool:
    """Installed, judged without importing it (importing easyocr loads PyTorch: seconds and hundreds of MB)."""
    return importlib.util.find_spec("easyocr") is not None


def easyocr_models_present(model_dir: str) -> bool:
    """The folder holds easyocr model files (*.pth: the text detector and a recogniser)."""
    return bool(model_dir) and Path(model_dir).is_dir() and any(Path(model_dir).glob("*.pth"))


def engine_kind(choice: str, model_dir: str, *, easyocr_installed: bool) -> str:
    """Which engine a setting selects:
    - "easyocr": easyocr, fetching its model files on first use where they are missing (needs internet);
    - "auto": easyocr when it is installed and its model files are present in `model_dir`, else rapidocr;
    - "rapidocr": rapidocr, whose models ship in its pip package (works offline).
    """
    if choice not in ("auto", "rapidocr", "easyocr"):
        raise ValueError(f"DOCUMENT_OCR_ENGINE must be auto, rapidocr or easyocr (got {choice!r})")
    if choice == "easyocr" or (choice == "auto" and easyocr_installed and easyocr_models_present(model_dir)):
        return "easyocr"
    return "rapidocr"


@lru_cache(maxsize=4)
def _engine(kind: str, model_dir: str, languages: tuple[str, ...], download: bool) -> OcrEngine:
    if kind == "easyocr":
        return EasyOcrEngine(model_dir, list(languages), download=download)
    return RapidOcrEngine()


def get_engine() -> OcrEngine:
    choice = settings.DOCUMENT_OCR_ENGINE
    model_dir = settings.DOCUMENT_EASYOCR_MODEL_DIR
    kind = engine_kind(choice, model_dir, easyocr_installed=choice != "rapidocr" and easyocr_available())
    if kind == "easyocr":
        return _engine("easyocr", model_dir, tuple(settings.DOCUMENT_OCR_LANGUAGES), choice == "easyocr")
    return _engine("rapidocr", "", (), False)
