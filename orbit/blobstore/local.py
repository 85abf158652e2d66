"""The local store: files in a Django FileSystemStorage (MEDIA_ROOT), with links to Orbit's own `/api/blobs/`
signed with SECRET_KEY and checked by `orbit.blobviews.BlobView`."""

import time
from dataclasses import dataclass
from urllib.parse import quote

from django.conf import settings
from django.core import signing
from django.core.exceptions import ImproperlyConfigured
from django.core.files import File
from django.urls import reverse

from orbit.blobstore.base import CHUNK, BlobMissing, BlobStore, BlobUnavailable, Link

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
