"""The malware-scan hook: the built-in EICAR check, and the clamd adapter against a local fake clamd that
speaks the INSTREAM protocol over TCP and over a unix socket."""

import io
import socket
import socketserver
import struct
import threading

import pytest

from documents import scanning
from documents.models import Document
from documents.tests import flow, samples


class FakeClamdHandler(socketserver.BaseRequestHandler):
    """Reads `zINSTREAM\\0` and length-prefixed chunks up to a zero-length one, like clamd; flags EICAR."""

    def handle(self):
        sock = self.request
        command = b""
        while not command.endswith(b"\0"):
            command += sock.recv(1)
        if command != b"zINSTREAM\0":
            sock.sendall(b"UNKNOWN COMMAND\0")
            return
        data = b""
        while True:
            (length,) = struct.unpack("!L", self._exactly(4))
            if length == 0:
                break
            data += self._exactly(length)
        self.server.received.append(data)
        if len(data) > self.server.size_limit:
            sock.sendall(b"INSTREAM size limit exceeded. ERROR\0")
        elif samples.EICAR in data:
            sock.sendall(b"stream: Win.Test.EICAR_HDB-1 FOUND\0")
        else:
            sock.sendall(b"stream: OK\0")

    def _exactly(self, count):
        buffer = b""
        while len(buffer) < count:
            chunk = self.request.recv(count - len(buffer))
            if not chunk:
                raise ConnectionError("client went away")
            buffer += chunk
        return buffer


class _TCPServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


class _UnixServer(socketserver.ThreadingUnixStreamServer):
    daemon_threads = True


def _serve(server):
    server.received = []
    server.size_limit = 10 * 2**20
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def clamd_tcp():
    server = _serve(_TCPServer(("127.0.0.1", 0), FakeClamdHandler))
    yield server, f"tcp://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def clamd_unix(tmp_path):
    path = str(tmp_path / "clamd.sock")
    server = _serve(_UnixServer(path, FakeClamdHandler))
    yield server, f"unix://{path}"
    server.shutdown()
    server.server_close()


def test_eicar_scanner_finds_the_signature_across_chunk_boundaries():
    padding = b"a" * (scanning.CHUNK - 20)  # the signature straddles the first and second chunk
    assert not scanning.EicarScanner().scan(io.BytesIO(padding + samples.EICAR)).clean
    assert scanning.EicarScanner().scan(io.BytesIO(padding + b"harmless")).clean


@pytest.mark.parametrize("transport", ["clamd_tcp", "clamd_unix"])
def test_clamd_adapter_speaks_instream(transport, request):
    server, address = request.getfixturevalue(transport)
    scanner = scanning.ClamdScanner(address=address, timeout=5)
    big = b"x" * (3 * scanning.CHUNK + 17)  # several INSTREAM chunks
    assert scanner.scan(io.BytesIO(big)) == scanning.ScanResult(clean=True)
    assert server.received[-1] == big
    infected = scanner.scan(io.BytesIO(b"prefix " + samples.EICAR))
    assert infected == scanning.ScanResult(clean=False, signature="Win.Test.EICAR_HDB-1")


def test_clamd_error_answer_is_unavailable_not_clean(clamd_tcp):
    server, address = clamd_tcp
    server.size_limit = 10
    with pytest.raises(scanning.ScannerUnavailable, match="size limit"):
        scanning.ClamdScanner(address=address, timeout=5).scan(io.BytesIO(b"x" * 100))


@pytest.mark.django_db
def test_upload_scanned_by_clamd_is_rejected(member, workspace, clamd_tcp, settings, local_storage):
    _server, address = clamd_tcp
    settings.DOCUMENT_SCANNER = "documents.scanning.ClamdScanner"
    settings.DOCUMENT_CLAMD_ADDRESS = address
    response = flow.upload(
        member("editor"), workspace, filename="n.txt", data=b"hi " + samples.EICAR, content_type="text/plain"
    )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "malware_detected"
    document = Document.objects.get()
    assert document.scan_status == Document.ScanStatus.INFECTED
    assert document.scan_signature == "Win.Test.EICAR_HDB-1"
    assert not local_storage.exists(document.upload_key)


@pytest.mark.django_db
def test_unreachable_scanner_keeps_the_upload_pending(member, workspace, settings, local_storage):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again: nothing listens there
    settings.DOCUMENT_SCANNER = "documents.scanning.ClamdScanner"
    settings.DOCUMENT_CLAMD_ADDRESS = f"tcp://127.0.0.1:{port}"
    response = flow.upload(member("editor"), workspace, filename="n.txt", data=b"hello", content_type="text/plain")
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "service_unavailable"
    document = Document.objects.get()
    assert document.status == Document.Status.PENDING  # fail closed, but the user can confirm again later
    assert local_storage.exists(document.upload_key)
