"""OCR engines: rapidocr (offline default) reads generated images; easyocr where it and its weights exist."""

import os
from pathlib import Path

import pytest

from documents import ocr
from documents.tests import samples


def test_default_engine_is_offline_rapidocr(settings):
    settings.DOCUMENT_OCR_ENGINE = "auto"
    settings.DOCUMENT_EASYOCR_MODEL_DIR = ""
    assert isinstance(ocr.get_engine(), ocr.RapidOcrEngine)


def test_auto_ignores_a_model_folder_that_does_not_exist(settings, tmp_path):
    settings.DOCUMENT_OCR_ENGINE = "auto"
    settings.DOCUMENT_EASYOCR_MODEL_DIR = str(tmp_path / "missing")
    assert isinstance(ocr.get_engine(), ocr.RapidOcrEngine)


def test_unknown_engine_setting_is_an_error(settings):
    settings.DOCUMENT_OCR_ENGINE = "tesseract"
    with pytest.raises(ValueError, match="DOCUMENT_OCR_ENGINE"):
        ocr.get_engine()


def test_rapidocr_reads_lines_in_order():
    image = samples.text_image(["Scope of work", "Phase one discovery", "Phase two delivery"], size=(1200, 400))
    result = ocr.RapidOcrEngine().recognize(image)
    assert result.text.splitlines() == ["Scope of work", "Phase one discovery", "Phase two delivery"]
    assert 0.8 < result.confidence <= 1


def test_blank_image_reads_nothing():
    result = ocr.get_engine().recognize(samples.text_image([]))
    assert result.text == ""
    assert result.confidence is None


def _easyocr_skip_reason() -> str | None:
    if not ocr.easyocr_available():
        return "easyocr is not installed (optional: pip install -r requirements-ocr.txt)"
    model_dir = os.environ.get("DOCUMENT_EASYOCR_MODEL_DIR", "")
    if not model_dir or not any(Path(model_dir).glob("*.pth")):
        return "easyocr weights not found: set DOCUMENT_EASYOCR_MODEL_DIR to a folder with its .pth model files"
    return None


@pytest.mark.slow
@pytest.mark.skipif(_easyocr_skip_reason() is not None, reason=_easyocr_skip_reason() or "")
def test_easyocr_engine_reads_generated_text(settings):
    settings.DOCUMENT_OCR_ENGINE = "auto"
    settings.DOCUMENT_EASYOCR_MODEL_DIR = os.environ["DOCUMENT_EASYOCR_MODEL_DIR"]
    engine = ocr.get_engine()
    assert isinstance(engine, ocr.EasyOcrEngine)
    result = engine.recognize(samples.text_image(["Quarterly budget review"]))
    assert "budget" in result.text.lower()
