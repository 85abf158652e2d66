"""Where export files live: the platform's blob store (orbit.blobstore), keyed under `exports/`.

Every storage call of the exports app goes through these few functions.
"""

try:
    from orbit.blobstore import BlobMissing, BlobUnavailable, get_blob_store
except ImportError:  # TEMPORARY until orbit.blobstore lands on main: documents' storage functions
    from documents import blobs as _blobs
    from documents.blobs import BlobMissing, BlobUnavailable

    get_blob_store = None

__all__ = ["BlobMissing", "BlobUnavailable", "delete", "download_link", "key_for", "put"]


def key_for(export) -> str:
    return f"exports/{export.workspace_id}/{export.id}/run-{export.run}.{export.format}"


def put(key: str, data: bytes, *, content_type: str) -> None:
    if get_blob_store is None:
        import io

        _blobs.write(key, io.BytesIO(data), content_type=content_type)
        return
    get_blob_store().put_bytes(key, data, content_type=content_type)


def delete(key: str) -> None:
    if not key:
        return
    if get_blob_store is None:
        _blobs.delete(key)
        return
    get_blob_store().delete(key)


def download_link(export, *, request=None):
    return get_blob_store().signed_download_url(
        export.file_key, filename=export.filename, content_type=export.content_type, request=request
    )
