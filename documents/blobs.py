"""Where document bytes live, and the short-lived links that move them.

The browser flow is the same on every backend: the API hands out an upload target {url, method, headers,
expires_at}, the client sends the bytes there, then confirms. On S3 (any S3-compatible endpoint) the target is
a presigned PUT straight to the bucket; on the local filesystem it is an Orbit URL signed with Django's
TimestampSigner, which the blob endpoint checks in place of a login, the way S3 checks its signature.
"""

import hashlib
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import BinaryIO
from urllib.parse import quote

from django.conf import settings
from django.core import signing
from django.core.files import File
from django.core.files.storage import storages
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header

_SALT = "documents.blob"
CHUNK = 1024 * 1024


class BlobUnavailable(Exception):
    """Storage could not be reached or answered with a server error: worth retrying."""


class BlobMissing(Exception):
    """No object under the key."""


class BadLink(Exception):
    """A local blob link whose signature is wrong or that was made for another document or operation."""


class ExpiredLink(Exception):
    pass


def storage():
    return storages["default"]


def is_s3() -> bool:
    return hasattr(storage(), "bucket_name") and hasattr(storage(), "connection")


def _s3_key(key: str) -> str:
    from storages.utils import clean_name

    return storage()._normalize_name(clean_name(key))


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


def _s3_error(exc: Exception) -> Exception:
    from botocore.exceptions import ClientError

    if isinstance(exc, ClientError) and exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
        return BlobMissing(str(exc))
    if _transient(exc):
        return BlobUnavailable(str(exc))
    return exc


@dataclass(frozen=True)
class Link:
    url: str
    method: str
    headers: dict
    expires_at: datetime

    def as_dict(self) -> dict:
        return {"url": self.url, "method": self.method, "headers": self.headers, "expires_at": self.expires_at}


def _ttl() -> int:
    return settings.SIGNED_URL_TTL


def _link_key(document, op: str) -> str:
    return document.upload_key if op == "put" else document.storage_key


def _local_link(document, *, op: str, name: str) -> str:
    token = signing.TimestampSigner(salt=_SALT).sign_object(
        {"d": str(document.id), "k": _link_key(document, op), "op": op}
    )
    path = reverse(name, kwargs={"workspace_id": document.workspace_id, "pk": document.id})
    return f"{settings.API_PUBLIC_URL}{path}?token={quote(token)}"


def check_local_link(token: str, *, document, op: str) -> None:
    """Raise BadLink/ExpiredLink unless `token` was signed by us, for this document's key and this operation."""
    signer = signing.TimestampSigner(salt=_SALT)
    try:
        payload = signer.unsign_object(token, max_age=_ttl())
    except signing.SignatureExpired as exc:
        raise ExpiredLink(str(exc)) from exc
    except signing.BadSignature as exc:
        raise BadLink(str(exc)) from exc
    if payload != {"d": str(document.id), "k": _link_key(document, op), "op": op}:
        raise BadLink("The link was made for another document or operation.")


def upload_link(document) -> Link:
    expires_at = timezone.now() + timedelta(seconds=_ttl())
    headers = {"Content-Type": document.content_type}
    if is_s3():
        s3 = storage()
        url = s3.connection.meta.client.generate_presigned_url(
            "put_object",
            Params={
                "Bucket": s3.bucket_name,
                "Key": _s3_key(document.upload_key),
                "ContentType": document.content_type,
                # Signed, so S3 refuses a body of any other length than the size declared when asking.
                "ContentLength": document.size_bytes,
            },
            ExpiresIn=_ttl(),
            HttpMethod="PUT",
        )
    else:
        url = _local_link(document, op="put", name="documents:document-blob")
    return Link(url=url, method="PUT", headers=headers, expires_at=expires_at)


def attachment_header(filename: str) -> str:
    """Content-Disposition for a download, the same on every backend: Django's quoting (backslashes and quotes
    escaped, RFC 5987 `filename*` for non-ASCII names); control characters, which names should never hold, dropped."""
    printable = "".join(ch for ch in filename if ch.isprintable() or ch == " ") or "file"
    return content_disposition_header(True, printable)


def download_link(document) -> Link:
    expires_at = timezone.now() + timedelta(seconds=_ttl())
    if is_s3():
        url = storage().url(
            document.storage_key,
            parameters={
                "ResponseContentDisposition": attachment_header(document.filename),
                "ResponseContentType": document.detected_type or "application/octet-stream",
            },
            expire=_ttl(),
        )
    else:
        url = _local_link(document, op="get", name="documents:document-blob")
    return Link(url=url, method="GET", headers={}, expires_at=expires_at)


def _s3_call(fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except Exception as exc:
        mapped = _s3_error(exc)
        if mapped is exc:
            raise
        raise mapped from exc


def size(key: str) -> int:
    """The stored object's real size (a HEAD request on S3)."""
    if is_s3():
        s3 = storage()
        head = _s3_call(s3.connection.meta.client.head_object, Bucket=s3.bucket_name, Key=_s3_key(key))
        return int(head["ContentLength"])
    if not storage().exists(key):
        raise BlobMissing(key)
    return storage().size(key)


def write(key: str, stream: BinaryIO, *, content_type: str = "application/octet-stream") -> None:
    """Store `stream` under exactly `key`, replacing what was there (as an S3 PUT does)."""
    stream.seek(0)
    if is_s3():
        s3 = storage()
        _s3_call(
            s3.connection.meta.client.upload_fileobj,
            stream,
            s3.bucket_name,
            _s3_key(key),
            ExtraArgs={"ContentType": content_type},
        )
        return
    local = storage()
    if local.exists(key):
        local.delete(key)
    saved = local.save(key, File(stream, name=key))
    if saved != key:  # a racing write took the name first; keep the newest bytes under the key
        local.delete(key)
        local.delete(saved)
        stream.seek(0)
        local.save(key, File(stream, name=key))


def _chunks(key: str):
    if is_s3():
        s3 = storage()
        response = _s3_call(s3.connection.meta.client.get_object, Bucket=s3.bucket_name, Key=_s3_key(key))
        body = response["Body"]
        try:
            while True:
                chunk = _s3_call(body.read, CHUNK)
                if not chunk:
                    return
                yield chunk
        finally:
            body.close()
    else:
        try:
            source = storage().open(key, "rb")
        except FileNotFoundError as exc:
            raise BlobMissing(key) from exc
        with source:
            while chunk := source.read(CHUNK):
                yield chunk


def download_into(key: str, target: BinaryIO, *, max_bytes: int | None = None) -> tuple[int, str]:
    """Stream the object into `target` chunk by chunk. Returns (size, sha256 hex); `target` is left at its end.

    With `max_bytes`, stops reading once the object proves larger (the returned size is then > max_bytes).
    """
    digest = hashlib.sha256()
    total = 0
    for chunk in _chunks(key):
        total += len(chunk)
        if max_bytes is not None and total > max_bytes:
            break
        digest.update(chunk)
        target.write(chunk)
    return total, digest.hexdigest()


def download(key: str, *, max_bytes: int | None = None) -> tuple[BinaryIO, int, str]:
    """Copy the object into a temporary file (in memory up to 8 MB). Returns (file at position 0, size, sha256)."""
    spooled = tempfile.SpooledTemporaryFile(max_size=8 * CHUNK)  # noqa: SIM115 - returned open to the caller
    try:
        total, sha256 = download_into(key, spooled, max_bytes=max_bytes)
    except BaseException:
        spooled.close()
        raise
    spooled.seek(0)
    return spooled, total, sha256


def delete(key: str) -> None:
    if is_s3():
        s3 = storage()
        _s3_call(s3.connection.meta.client.delete_object, Bucket=s3.bucket_name, Key=_s3_key(key))
    else:
        storage().delete(key)
