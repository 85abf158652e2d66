"""The malware-scan hook run at confirm, before any parser touches the bytes.

DOCUMENT_SCANNER names the scanner class (dotted path). Built in:
- `EicarScanner` (the default): finds the EICAR anti-virus test string, so the hook is exercised end to end
  on a machine without an anti-virus daemon. It is not protection against real malware.
- `ClamdScanner`: streams the file to clamd with the INSTREAM command over TCP or a unix socket
  (DOCUMENT_CLAMD_ADDRESS = "tcp://host:3310" or "unix:///run/clamav/clamd.ctl").
A scanner's `scan(stream)` returns a ScanResult, or raises ScannerUnavailable when it cannot decide;
the upload is then refused for now (fail closed) and may be confirmed again later.
"""

import socket
import struct
from dataclasses import dataclass
from functools import lru_cache
from typing import BinaryIO
from urllib.parse import urlparse

from django.conf import settings
from django.utils.module_loading import import_string

EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
CHUNK = 64 * 1024


class ScannerUnavailable(Exception):
    pass


@dataclass(frozen=True)
class ScanResult:
    clean: bool
    signature: str = ""


class Scanner:
    def scan(self, stream: BinaryIO) -> ScanResult:
        raise NotImplementedError


class EicarScanner(Scanner):
    """Looks for the EICAR test signature anywhere in the file, across chunk boundaries."""

    def scan(self, stream: BinaryIO) -> ScanResult:
        overlap = b""
        while chunk := stream.read(CHUNK):
            window = overlap + chunk
            if EICAR in window:
                return ScanResult(clean=False, signature="Eicar-Test-Signature")
            overlap = window[-(len(EICAR) - 1) :]
        return ScanResult(clean=True)


class ClamdScanner(Scanner):
    """clamd's INSTREAM protocol: `zINSTREAM\\0`, then chunks as <4-byte big-endian length><data>, then a
    zero-length chunk; clamd answers `stream: OK`, `stream: <name> FOUND` or `... ERROR`."""

    def __init__(self, address: str | None = None, timeout: float | None = None):
        self.address = address or settings.DOCUMENT_CLAMD_ADDRESS
        self.timeout = timeout if timeout is not None else settings.DOCUMENT_CLAMD_TIMEOUT
        if not self.address:
            raise ValueError("DOCUMENT_CLAMD_ADDRESS must name clamd's socket, e.g. tcp://127.0.0.1:3310")

    def _connect(self) -> socket.socket:
        parsed = urlparse(self.address)
        if parsed.scheme == "unix":
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            target = parsed.path
        elif parsed.scheme == "tcp":
            sock = socket.socket(socket.AF_INET6 if ":" in (parsed.hostname or "") else socket.AF_INET)
            target = (parsed.hostname, parsed.port or 3310)
        else:
            raise ValueError(f"Unsupported clamd address {self.address!r}; use tcp://host:port or unix:///path")
        sock.settimeout(self.timeout)
        sock.connect(target)
        return sock

    def scan(self, stream: BinaryIO) -> ScanResult:
        try:
            with self._connect() as sock:
                sock.sendall(b"zINSTREAM\0")
                while chunk := stream.read(CHUNK):
                    sock.sendall(struct.pack("!L", len(chunk)) + chunk)
                sock.sendall(struct.pack("!L", 0))
                reply = b""
                while not reply.endswith(b"\0"):
                    data = sock.recv(4096)
                    if not data:
                        break
                    reply += data
        except OSError as exc:
            raise ScannerUnavailable(f"clamd at {self.address} could not be reached: {exc}") from exc
        answer = reply.rstrip(b"\0").decode("utf-8", "replace").strip()
        if answer.endswith("FOUND"):
            signature = answer.split(":", 1)[-1].strip()[: -len("FOUND")].strip()
            return ScanResult(clean=False, signature=signature)
        if answer.endswith("OK"):
            return ScanResult(clean=True)
        raise ScannerUnavailable(f"clamd could not scan the file: {answer or 'no answer'}")


@lru_cache(maxsize=4)
def _scanner_class(path: str):
    return import_string(path)


def get_scanner() -> Scanner:
    return _scanner_class(settings.DOCUMENT_SCANNER)()


def scan(stream: BinaryIO) -> ScanResult:
    stream.seek(0)
    try:
        return get_scanner().scan(stream)
    finally:
        stream.seek(0)
