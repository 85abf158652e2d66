"""Where files live, and the short-lived links that move them: one interface, an S3 and a local implementation.

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

import hashlib
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from io import BytesIO
from typing import BinaryIO
from urllib.parse import quote

from django.conf import settings
from django.core import signing
from django.core.exceptions import ImproperlyConfigured
from django.core.files import File
from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header

CHUNK = 1024 * 1024
SPOOL_BYTES = 8 * CHUNK


class BlobUnavailable(Exception):
    """Storage could not be reached or answered with a server error: worth retrying."""


class BlobMissing(Exception):
    """No object under the key."""


@dataclass(frozen=True)
class Link:
    url: str
    method: str
    headers: dict
    expires_at: datetime

    def as_dict(self) -> dict:
        return {"url": self.url, "method": self.method, "headers": self.headers, "expires_at": self.expires_at}


def attachment_header(filename: str) -> str:
    """Content-Disposition for a download, the same on every backend: Django's quoting (backslashes and quotes
    escaped, RFC 5987 `filename*` for non-ASCII names); control characters, which names should never hold, dropped."""
    printable = "".join(ch for ch in filename if ch.isprintable() or ch == " ") or "file"
    return content_disposition_header(True, printable)


class BlobStore:
    """What every backend offers. Subclasses implement the storage calls; reading helpers are shared."""

    def put(self, key: str, stream: BinaryIO, *, content_type: str = "application/octet-stream") -> None:
        """Store `stream` (from its start) under exactly `key`, replacing what was there."""
        raise NotImplementedError

    def chunks(self, key: str) -> Iterator[bytes]:
        """The object's bytes, chunk by chunk (raises BlobMissing / BlobUnavailable)."""
        raise NotImplementedError

    def open(self, key: str) -> BinaryIO:
        """A readable binary file on the object, to close after use (raises BlobMissing / BlobUnavailable)."""
        raise NotImplementedError

    def size(self, key: str) -> int:
        """The stored object's real size (raises BlobMissing)."""
        raise NotImplementedError

    def delete(self, key: str) -> None:
        """Remove the object; a missing one is not an error."""
        raise NotImplementedError

    def signed_upload_url(
        self, key: str, *, content_type: str, size: int, expires_in: int | None = None, request=None
    ) -> Link:
        """Where a client PUTs exactly `size` bytes of `content_type`, without a login, until the link expires."""
        raise NotImplementedError

    def signed_download_url(
        self, key: str, *, filename: str, content_type: str, expires_in: int | None = None, request=None
    ) -> Link:
        """A GET link answering the bytes as an attachment named `filename`, without a login, until it expires."""
        raise NotImplementedError

    # --- Shared on every backend ------------------------------------------------------------------

    def put_bytes(self, key: str, data: bytes, *, content_type: str = "application/octet-stream") -> None:
        self.put(key, BytesIO(data), content_type=content_type)

    def exists(self, key: str) -> bool:
        try:
            self.size(key)
        except BlobMissing:
            return False
        return True

    def download_into(self, key: str, target: BinaryIO, *, max_bytes: int | None = None) -> tuple[int, str]:
        """Stream the object into `target`. Returns (size, sha256 hex); `target` is left at its end.

        With `max_bytes`, stops reading once the object proves larger (the returned size is then > max_bytes).
        """
        digest = hashlib.sha256()
        total = 0
        for chunk in self.chunks(key):
            total += len(chunk)
            if max_bytes is not None and total > max_bytes:
                break
            digest.update(chunk)
            target.write(chunk)
        return total, digest.hexdigest()

    def download(self, key: str, *, max_bytes: int | None = None) -> tuple[BinaryIO, int, str]:
        """Copy the object into a temporary file (in memory up to 8 MB). Returns (file at position 0, size, sha256)."""
        spooled = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - returned open to the caller
        try:
            total, sha256 = self.download_into(key, spooled, max_bytes=max_bytes)
        except BaseException:
            spooled.close()
            raise
        spooled.seek(0)
        return spooled, total, sha256

    @staticmethod
    def _expiry(expires_in: int | None) -> tuple[int, datetime]:
        ttl = settings.SIGNED_URL_TTL if expires_in is None else int(expires_in)
        return ttl, timezone.now() + timedelta(seconds=ttl)


# --- S3 (any S3-compatible endpoint) ---------------------------------------------------------------


def _transient(exc: Exception) -> bool:
    from botocore.exceptions import (
        ClientError,
        ConnectionError,
        EndpointConnectionError,
        ReadTimeoutError,
        ResponseStreamingError,
    )

    if isinstance(exc, (ConnectionError, EndpointConnectionError, ReadTimeoutError, ResponseStreamingError, OSError)):
        return True
    if isinstance(exc, ClientError):
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0
        return status >= 500 or exc.response.get("Error", {}).get("Code") in ("SlowDown", "RequestTimeout")
    return False


def _s3_call(fn, *args, **kwargs):
    """Call boto3, translating a missing object to BlobMissing and an outage to BlobUnavailable."""
    from botocore.exceptions import ClientError

    try:
        return fn(*args, **kwargs)
    except Exception as exc:
        if isinstance(exc, ClientError) and exc.response.get("Error", {}).get("Code") in (
            "404",
            "NoSuchKey",
            "NotFound",
        ):
            raise BlobMissing(str(exc)) from exc
        if _transient(exc):
            raise BlobUnavailable(str(exc)) from exc
        raise


class S3BlobStore(BlobStore):
    """Objects in the bucket of django-storages' S3 backend, through its boto3 client (presigned PUT and GET)."""

    def __init__(self, storage):
        self.storage = storage

    @property
    def _client(self):
        return self.storage.connection.meta.client

    @property
    def _bucket(self) -> str:
        return self.storage.bucket_name

    def object_key(self, key: str) -> str:
        """The bucket key of `key`: the storage's `location` prefix joined the way django-storages joins it."""
        from storages.utils import clean_name, safe_join

        return safe_join(self.storage.location, clean_name(key)).lstrip("/")

    def put(self, key, stream, *, content_type="application/octet-stream"):
        stream.seek(0)
        _s3_call(
            self._client.upload_fileobj,
            stream,
            self._bucket,
            self.object_key(key),
            ExtraArgs={"ContentType": content_type},
        )

    def open(self, key):
        return _s3_call(self._client.get_object, Bucket=self._bucket, Key=self.object_key(key))["Body"]

    def chunks(self, key):
        body = self.open(key)
        try:
            while chunk := _s3_call(body.read, CHUNK):
                yield chunk
        finally:
            body.close()

    def size(self, key):
        head = _s3_call(self._client.head_object, Bucket=self._bucket, Key=self.object_key(key))
        return int(head["ContentLength"])

    def delete(self, key):
        try:
            _s3_call(self._client.delete_object, Bucket=self._bucket, Key=self.object_key(key))
        except BlobMissing:
            pass

    def signed_upload_url(self, key, *, content_type, size, expires_in=None, request=None):
        ttl, expires_at = self._expiry(expires_in)
        url = self._client.generate_presigned_url(
            "put_object",
            Params={
                "Bucket": self._bucket,
                "Key": self.object_key(key),
                "ContentType": content_type,
                # Signed, so S3 refuses a body of any other length than the size declared when asking.
                "ContentLength": size,
            },
            ExpiresIn=ttl,
            HttpMethod="PUT",
        )
        return Link(url=url, method="PUT", headers={"Content-Type": content_type}, expires_at=expires_at)

    def signed_download_url(self, key, *, filename, content_type, expires_in=None, request=None):
        ttl, expires_at = self._expiry(expires_in)
        url = self._client.generate_presigned_url(
            "get_object",
            Params={
                "Bucket": self._bucket,
                "Key": self.object_key(key),
                "ResponseContentDisposition": attachment_header(filename),
                "ResponseContentType": content_type or "application/octet-stream",
            },
            ExpiresIn=ttl,
            HttpMethod="GET",
        )
        return Link(url=url, method="GET", headers={}, expires_at=expires_at)


# --- Local filesystem, links signed by Orbit ------------------------------------------------------

_SALT = "orbit.blobstore"


class BadLink(Exception):
    """A local link whose signature is wrong, or made for another operation."""


class ExpiredLink(Exception):
    pass


@dataclass(frozen=True)
class SignedRequest:
    """What a verified local link allows: `op` ("put" or "get") on `key`, with the signed constraints."""

    key: str
    op: str
    content_type: str
    size: int | None = None
    filename: str = ""


def public_base_url(request=None) -> str:
    """The origin links point at: API_PUBLIC_URL when configured, else the request's own scheme://host:port."""
    if settings.API_PUBLIC_URL:
        return settings.API_PUBLIC_URL
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    raise ImproperlyConfigured(
        "A local blob link was asked for outside a request: set API_PUBLIC_URL to this API's public URL."
    )


class LocalBlobStore(BlobStore):
    """Files in a Django FileSystemStorage (MEDIA_ROOT); links are Orbit URLs signed with SECRET_KEY."""

    def __init__(self, storage):
        self.storage = storage

    def put(self, key, stream, *, content_type="application/octet-stream"):
        stream.seek(0)
        if self.storage.exists(key):
            self.storage.delete(key)
        saved = self.storage.save(key, File(stream, name=key))
        if saved != key:  # a racing write took the name first; keep the newest bytes under the key
            self.storage.delete(key)
            self.storage.delete(saved)
            stream.seek(0)
            self.storage.save(key, File(stream, name=key))

    def open(self, key):
        try:
            return self.storage.open(key, "rb")
        except FileNotFoundError as exc:
            raise BlobMissing(key) from exc
        except OSError as exc:
            raise BlobUnavailable(str(exc)) from exc

    def chunks(self, key):
        with self.open(key) as source:
            while chunk := source.read(CHUNK):
                yield chunk

    def size(self, key):
        try:
            return self.storage.size(key)
        except FileNotFoundError as exc:
            raise BlobMissing(key) from exc

    def delete(self, key):
        self.storage.delete(key)

    def _link(self, payload: dict, *, ttl: int, request) -> str:
        token = signing.dumps({**payload, "exp": int(time.time()) + ttl}, salt=_SALT, compress=True)
        return f"{public_base_url(request)}{reverse('blob')}?token={quote(token)}"

    def signed_upload_url(self, key, *, content_type, size, expires_in=None, request=None):
        ttl, expires_at = self._expiry(expires_in)
        url = self._link({"k": key, "op": "put", "ct": content_type, "n": size}, ttl=ttl, request=request)
        return Link(url=url, method="PUT", headers={"Content-Type": content_type}, expires_at=expires_at)

    def signed_download_url(self, key, *, filename, content_type, expires_in=None, request=None):
        ttl, expires_at = self._expiry(expires_in)
        payload = {"k": key, "op": "get", "ct": content_type or "application/octet-stream", "fn": filename}
        return Link(url=self._link(payload, ttl=ttl, request=request), method="GET", headers={}, expires_at=expires_at)

    @staticmethod
    def verify(token: str, *, op: str) -> SignedRequest:
        """Raise BadLink/ExpiredLink unless `token` was signed by this API for `op` and has not expired."""
        try:
            payload = signing.loads(token, salt=_SALT)
        except signing.BadSignature as exc:
            raise BadLink(str(exc)) from exc
        if not isinstance(payload, dict) or payload.get("op") != op:
            raise BadLink("The link was made for another operation.")
        if time.time() > payload["exp"]:
            raise ExpiredLink("The link has expired.")
        return SignedRequest(
            key=payload["k"], op=op, content_type=payload["ct"], size=payload.get("n"), filename=payload.get("fn", "")
        )


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
