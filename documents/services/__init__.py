"""Writes on documents, by concern:
- `uploads`: asking for an upload, renaming/linking a document, upload and download links, the local-upload guard;
- `confirmation`: checking the uploaded bytes and accepting or refusing them;
- `lifecycle`: failing a document (`mark_failed`, the one way), discarding bytes, deleting, reprocessing, sweeps.
The names below are the public API; callers use `documents.services.<name>`."""

from documents.services.confirmation import confirm_upload
from documents.services.lifecycle import (
    delete_document,
    discard,
    enqueue,
    mark_failed,
    remove_orphaned_uploads,
    reprocess_document,
    requeue_stale,
)
from documents.services.uploads import (
    ACCEPTED_LABEL,
    check_upload_target,
    clean_filename,
    create_upload,
    download_link,
    update_document,
    upload_link,
)

__all__ = [
    "ACCEPTED_LABEL",
    "check_upload_target",
    "clean_filename",
    "confirm_upload",
    "create_upload",
    "delete_document",
    "discard",
    "download_link",
    "enqueue",
    "mark_failed",
    "remove_orphaned_uploads",
    "reprocess_document",
    "requeue_stale",
    "update_document",
    "upload_link",
]
