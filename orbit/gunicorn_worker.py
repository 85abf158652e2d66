"""gunicorn's sync worker, answering the errors gunicorn itself raises in JSON instead of its HTML page.

gunicorn refuses a request before Django sees it when the request line or headers pass the limits in
gunicorn.conf.py (or are malformed): 400/431 with an HTML body. Its `Worker.handle_error` writes that page to the
socket; this worker lets it decide status and logging as usual, captures the bytes it writes and sends the
error envelope with the same status instead. Imported by gunicorn before Django is set up, so it imports nothing
of Orbit's. Relies on gunicorn 23's `handle_error(req, client, addr, exc)` writing one response through
`sendall` (pinned with the other library internals in orbit/internals.PINNED and orbit/tests/test_internals.py).
"""

import json

from gunicorn import util
from gunicorn.workers.sync import SyncWorker

CODES = {400: "bad_request", 403: "permission_denied", 431: "bad_request", 500: "server_error", 501: "bad_request"}


class _Capture:
    """Stands in for the client socket while gunicorn writes its error page."""

    def __init__(self):
        self.data = b""

    def gettimeout(self):
        return 0.0  # util.write_nonblock: no blocking switch on a socket that is not one

    def sendall(self, data):
        self.data += data


def json_error(page: bytes) -> bytes:
    """gunicorn's HTML error response rewritten as an HTTP response with the JSON error envelope."""
    status_line = page.split(b"\r\n", 1)[0].decode("latin1")  # "HTTP/1.1 400 Bad Request"
    _, status, reason = (status_line.split(" ", 2) + ["", ""])[:3]
    status_int = int(status) if status.isdigit() else 400
    message = reason or "Bad Request"
    if status_int == 400:
        message = "The request line or headers are malformed or too large (see the server's documented limits)."
    elif status_int == 431:
        message = "The request headers are too many or too large (see the server's documented limits)."
    body = json.dumps(
        {"error": {"code": CODES.get(status_int, "bad_request"), "message": message, "details": {}}}
    ).encode()
    head = (
        f"HTTP/1.1 {status_int} {reason}\r\nConnection: close\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode("latin1") + body


class JsonErrorsSyncWorker(SyncWorker):
    def handle_error(self, req, client, addr, exc):
        capture = _Capture()
        super().handle_error(req, capture, addr, exc)
        if capture.data:
            try:
                util.write_nonblock(client, json_error(capture.data))
            except Exception:  # the client went away, as gunicorn itself tolerates
                self.log.debug("Failed to send error message.")
