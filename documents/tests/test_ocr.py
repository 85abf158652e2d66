"""OCR engines: rapidocr (offline default) reads generated images; easyocr where it and its weights exist."""

import os

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


def test_auto_needs_model_files_not_just_a_folder(tmp_path):
    """An empty (or wrong) folder must not select easyocr with downloads off: every OCR would then fail."""
    assert ocr.engine_kind("auto", str(tmp_path), easyocr_installed=True) == "rapidocr"
    (tmp_path / "notes.txt").write_text("no weights here")
    assert ocr.engine_kind("auto", str(tmp_path), easyocr_installed=True) == "rapidocr"
    (tmp_path / "craft_mlt_25k.pth").write_bytes(b"weights")
    assert ocr.engine_kind("auto", str(tmp_path), easyocr_installed=True) == "easyocr"
    assert ocr.engine_kind("auto", str(tmp_path), easyocr_installed=False) == "rapidocr"
    assert ocr.engine_kind("auto", "", easyocr_installed=True) == "rapidocr"


def test_explicit_choices(tmp_path):
    # Chosen explicitly, easyocr is used even without files: it fetches them on first use where internet exists.
    assert ocr.engine_kind("easyocr", str(tmp_path / "new"), easyocr_installed=True) == "easyocr"
    assert ocr.engine_kind("rapidocr", str(tmp_path), easyocr_installed=True) == "rapidocr"


def test_auto_with_an_empty_model_folder_uses_rapidocr(settings, tmp_path):
    settings.DOCUMENT_OCR_ENGINE = "auto"
    settings.DOCUMENT_EASYOCR_MODEL_DIR = str(tmp_path)
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
    if not ocr.easyocr_models_present(model_dir):
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


def test_choosing_an_engine_never_imports_easyocr(settings, tmp_path):
    import sys

    settings.DOCUMENT_OCR_ENGINE = "auto"
    settings.DOCUMENT_EASYOCR_MODEL_DIR = str(tmp_path)
    ocr.get_engine()
    assert "easyocr" not in sys.modules
    assert "torch" not in sys.modules
