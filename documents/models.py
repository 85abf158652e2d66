"""Uploaded client documents and the text extracted from them, page by page."""

from django.conf import settings
from django.db import models

from orbit.models import TimestampedModel


class DocumentQuerySet(models.QuerySet):
    def for_workspace(self, workspace):
        return self.filter(workspace=workspace)

    def with_stored_blob(self):
        """Documents whose file is in storage and counts against the workspace's storage quota."""
        return self.filter(blob_stored=True)


class Document(TimestampedModel):
    """One uploaded file. Its lifecycle: pending → uploaded → processing → completed | failed.

    `pending`: the row exists and an upload URL was handed out, but no file is confirmed yet.
    `uploaded`: the bytes were checked (size, type from the bytes, malware scan) and processing is queued.
    `processing`: a worker claimed it at `claimed_at`; a claim older than DOCUMENT_PROCESSING_LEASE is stale
    and is picked up again. Text lives in `pages` (DocumentPage) with page boundaries kept; `extracted_text`
    is the same text joined with form feeds (\\f), the way pdftotext separates pages.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending upload"
        UPLOADED = "uploaded", "Uploaded"
        PROCESSING = "processing", "Processing"
        COMPLETED = "completed", "Completed"
        FAILED = "failed", "Failed"

    class ScanStatus(models.TextChoices):
        NOT_SCANNED = "not_scanned", "Not scanned"
        CLEAN = "clean", "Clean"
        INFECTED = "infected", "Infected"

    workspace = models.ForeignKey("workspaces.Workspace", on_delete=models.CASCADE, related_name="documents")
    # Optional links to what the document is for; a project or scope from the same workspace only.
    project = models.ForeignKey(
        "scopes.Project", on_delete=models.SET_NULL, null=True, blank=True, related_name="documents"
    )
    scope = models.ForeignKey(
        "scopes.Scope", on_delete=models.SET_NULL, null=True, blank=True, related_name="documents"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="documents"
    )
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=127, help_text="The type the client declared.")
    detected_type = models.CharField(max_length=127, blank=True, help_text="The type decided from the bytes.")
    size_bytes = models.BigIntegerField(help_text="Declared size until confirmed, then the stored object's size.")
    sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    # The client uploads to `upload_key`; confirm stores the exact bytes it checked under `storage_key`, so a
    # presigned PUT repeated after confirm (it stays valid until it expires) cannot swap the checked file.
    upload_key = models.CharField(max_length=512, unique=True)
    storage_key = models.CharField(max_length=512, unique=True)
    # True while the object exists in storage and counts against the plan's storage_bytes.
    blob_stored = models.BooleanField(default=False)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True)
    error = models.TextField(blank=True)
    scan_status = models.CharField(max_length=16, choices=ScanStatus.choices, default=ScanStatus.NOT_SCANNED)
    scan_signature = models.CharField(max_length=255, blank=True)
    extracted_text = models.TextField(blank=True)
    page_count = models.PositiveIntegerField(null=True, blank=True)
    # Progress hint while processing: pages_done out of page_count.
    pages_done = models.PositiveIntegerField(default=0)
    # Worker bookkeeping: a claim is (processing_run, claimed_at); attempts counts tries within the run.
    processing_run = models.PositiveIntegerField(default=0)
    processing_attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["workspace", "-created_at"]),
            models.Index(fields=["workspace", "status"]),
            models.Index(fields=["status", "claimed_at"]),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(size_bytes__gte=0), name="documents_document_size_non_negative"),
        ]

    def __str__(self):
        return self.filename


class DocumentPage(TimestampedModel):
    """The text of one page, numbered from 1: what "document X, page 4" cites.

    PDFs and TIFFs have real pages. DOCX, plain text and markdown have none, so their text is cut into
    pages of about DOCUMENT_TEXT_PAGE_CHARS characters at paragraph boundaries (a table or paragraph is never
    split); the cut is deterministic, so page numbers stay stable across re-processing.
    """

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="pages")
    number = models.PositiveIntegerField()
    text = models.TextField(blank=True)
    ocr = models.BooleanField(default=False, help_text="The text was read from an image of the page.")
    confidence = models.FloatField(null=True, blank=True, help_text="Mean OCR confidence, 0..1.")
    # The outline signal read with the text, for the AI engines: [line index, level, size ÷ body size, bold] for
    # each heading-like line (DOCX/markdown heading levels, PDF font size and weight). See ai/inputs.py.
    layout = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["document", "number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="documents_page_unique_number"),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="documents_page_number_positive"),
        ]

    def __str__(self):
        return f"{self.document} p.{self.number}"
