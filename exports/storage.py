"""Where export files live: the platform's blob store (orbit.blobstore), keyed under `exports/`.

Every storage call of the exports app goes through these few functions.
"""

from orbit.blobstore import BlobMissing, BlobUnavailable, Link, get_blob_store

__all__ = ["BlobMissing", "BlobUnavailable", "delete", "download_link", "key_for", "put"]


def key_for(export) -> str:
    """exports/<workspace>/<export>/run-<n>.<format>: the workspace and export are in every key, so a signed
    link (which signs the key) can only ever serve that one export's file."""
    return f"exports/{export.workspace_id}/{export.id}/run-{export.run}.{export.format}"


def put(key: str, data: bytes, *, content_type: str) -> None:
    get_blob_store().put_bytes(key, data, content_type=content_type)


def delete(key: str) -> None:
    if key:
        get_blob_store().delete(key)


def download_link(export, *, request=None) -> Link:
    return get_blob_store().signed_download_url(
        export.file_key, filename=export.filename, content_type=export.content_type, request=request
    )
