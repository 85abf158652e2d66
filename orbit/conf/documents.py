"""Documents: uploads, the malware scan, text extraction and OCR, and the processing job."""

from orbit.conf.base import env
from orbit.conf.queue import Q_CLUSTER

# Scanner run at confirm: the built-in EICAR check, or "documents.scanning.ClamdScanner" with an address.
DOCUMENT_SCANNER = env.str("DOCUMENT_SCANNER", default="documents.scanning.EicarScanner")
DOCUMENT_CLAMD_ADDRESS = env.str("DOCUMENT_CLAMD_ADDRESS", default="")  # tcp://host:3310 or unix:///path
DOCUMENT_CLAMD_TIMEOUT = env.int("DOCUMENT_CLAMD_TIMEOUT", default=60)
# OCR: "auto" uses easyocr when its model folder exists (requirements-ocr.txt), else rapidocr (offline).
DOCUMENT_OCR_ENGINE = env.str("DOCUMENT_OCR_ENGINE", default="auto")
DOCUMENT_EASYOCR_MODEL_DIR = env.str("DOCUMENT_EASYOCR_MODEL_DIR", default="")
DOCUMENT_OCR_LANGUAGES = env.list("DOCUMENT_OCR_LANGUAGES", default=["en"])
DOCUMENT_OCR_RENDER_DPI = env.int("DOCUMENT_OCR_RENDER_DPI", default=200)
DOCUMENT_MAX_PAGES = env.int("DOCUMENT_MAX_PAGES", default=2000)
# DOCX, text and markdown have no pages; their text is cut into pages of about this many characters.
DOCUMENT_TEXT_PAGE_CHARS = env.int("DOCUMENT_TEXT_PAGE_CHARS", default=3000)
# Decompression-bomb guard for DOCX (zip) files, checked before anything unpacks them.
DOCUMENT_DOCX_MAX_UNCOMPRESSED_BYTES = env.int("DOCUMENT_DOCX_MAX_UNCOMPRESSED_BYTES", default=256 * 1024 * 1024)
DOCUMENT_DOCX_MAX_RATIO = env.int("DOCUMENT_DOCX_MAX_RATIO", default=100)
DOCUMENT_DOCX_MAX_ENTRIES = env.int("DOCUMENT_DOCX_MAX_ENTRIES", default=5000)
# A `processing` claim older than this is considered dead and picked up again; keep it above Q_CLUSTER timeout.
DOCUMENT_PROCESSING_LEASE = env.int("DOCUMENT_PROCESSING_LEASE", default=Q_CLUSTER["timeout"] + 120)
DOCUMENT_PROCESSING_MAX_ATTEMPTS = env.int("DOCUMENT_PROCESSING_MAX_ATTEMPTS", default=5)
DOCUMENT_RETRY_BACKOFF = env.int("DOCUMENT_RETRY_BACKOFF", default=30)  # seconds, doubled per attempt
# Pending uploads never confirmed are removed (row and any bytes) after this many hours.
DOCUMENT_PENDING_TTL_HOURS = env.int("DOCUMENT_PENDING_TTL_HOURS", default=24)
