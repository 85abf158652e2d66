"""Export tests store files in a private temporary folder; a local HTTP server on 127.0.0.1 serves logos."""

import http.server
import io
import threading

import pytest
from django.core.files.storage import storages
from PIL import Image


@pytest.fixture(autouse=True)
def local_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }
    settings.API_PUBLIC_URL = "http://testserver"
    settings.EXPORT_RATE_LIMIT = "1000/minute"
    return storages["default"]


def png(color=(180, 35, 74)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (240, 80), color).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def logo_server(settings):
    """http://127.0.0.1:<port>/logo.png answers a PNG; any other path a 404."""
    body = png()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path != "/logo.png":
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.EXPORT_LOGO_ALLOW_PRIVATE_HOSTS = True
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
