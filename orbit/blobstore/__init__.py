"""Where files live, and the short-lived links that move them: one interface, an S3 and a local implementation.

The interface is `base.BlobStore`, the implementations `s3.S3BlobStore` and `local.LocalBlobStore`; everything
is importable from `orbit.blobstore` itself, the only path other code uses.

Every app stores its files through `get_blob_store()` and never asks which backend it got:

    store = get_blob_store()
    store.put("exports/<workspace_id>/<export_id>/scope.pdf", stream, content_type="application/pdf")
    link = store.signed_download_url(key, filename="Scope.pdf", content_type="application/pdf", request=request)
    return {"url": link.url, "expires_at": link.expires_at}

Keys are plain strings chosen by the owning app, prefixed by the app's concern so objects never collide and
can be listed or cleaned per app: `uploads/` and `documents/` (documents), `exports/` (exports). The store adds
its own prefix (S3 `location`) on its own.

The backend is chosen once, from `STORAGES["default"]`: an S3 backend of django-storages (a bucket is
configured) gives `S3BlobStore`, anything else `LocalBlobStore` (files under MEDIA_ROOT, `var/media/` locally).

Links are the same shape on every backend, `Link(url, method, headers, expires_at)`:
- S3: presigned URLs made by the boto3 client (PUT signs Content-Type and Content-Length, GET sets the
  response Content-Disposition/Content-Type).
- Local: an Orbit URL, `/api/blobs/?token=...`, whose token is signed with SECRET_KEY and carries the key, the
  operation, the expiry and what S3 would sign (content type and length for a PUT; filename and content type
  for a GET). `orbit.blobviews.BlobView` checks it in place of a login, the way S3 checks its signature. The
  URL's origin is `API_PUBLIC_URL` when set, else the origin of the request that asked for the link, so links
  follow whatever host and port Orbit is really served on. A local upload may also be vetted by the owning app
  before bytes are accepted: `BLOB_UPLOAD_GUARDS` maps a key prefix to a callable(key) that raises an
  OrbitError to refuse (documents refuse a PUT once the upload was confirmed).

Errors: `BlobMissing` (no object under the key), `BlobUnavailable` (storage unreachable or answering with a
server error: worth retrying). Deleting a missing key is not an error.
"""

from functools import cache

from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.dispatch import receiver

from orbit.blobstore.base import (
    CHUNK,
    SPOOL_BYTES,
    BlobMissing,
    BlobStore,
    BlobUnavailable,
    Link,
    attachment_header,
)
from orbit.blobstore.local import BadLink, ExpiredLink, LocalBlobStore, SignedRequest, public_base_url
from orbit.blobstore.s3 import S3BlobStore

__all__ = [
    "CHUNK",
    "SPOOL_BYTES",
    "BadLink",
    "BlobMissing",
    "BlobStore",
    "BlobUnavailable",
    "ExpiredLink",
    "Link",
    "LocalBlobStore",
    "S3BlobStore",
    "SignedRequest",
    "attachment_header",
    "get_blob_store",
    "public_base_url",
]


@cache
def get_blob_store() -> BlobStore:
    """The store configured by STORAGES["default"], built once (and again when tests change STORAGES)."""
    storage = storages["default"]
    try:
        from storages.backends.s3 import S3Storage
    except ImportError:  # pragma: no cover - django-storages is a runtime requirement
        S3Storage = ()
    if isinstance(storage, S3Storage):
        return S3BlobStore(storage)
    return LocalBlobStore(storage)


@receiver(setting_changed, dispatch_uid="orbit.blobstore.reset")
def _reset(*, setting, **kwargs) -> None:
    if setting in ("STORAGES", "MEDIA_ROOT"):
        get_blob_store.cache_clear()
