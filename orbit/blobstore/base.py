"""The blob-store interface every backend implements, its link and error types, and the reading helpers every
backend shares (see the package docstring)."""

import hashlib
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from io import BytesIO
from typing import BinaryIO

from django.conf import settings
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
