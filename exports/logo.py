"""The workspace logo for a branded export: fetched once per export by the worker, with strict limits.

Only http(s); only public addresses (unless EXPORT_LOGO_ALLOW_PRIVATE_HOSTS, for tests and on-premise setups);
at most EXPORT_LOGO_MAX_BYTES; it must be a PNG or JPEG that Pillow can open. Anything else leaves the logo out
(the export goes on without it) and says why in the log.
"""

import io
import ipaddress
import socket
import urllib.request
from urllib.parse import urlsplit

import structlog
from django.conf import settings
from PIL import Image

logger = structlog.get_logger(__name__)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect could lead to an internal address: not followed


def _public(host: str) -> bool:
    try:
        infos = socket.getaddrinfo(host, None)
    except OSError:
        return False
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            return False
    return True


def fetch(url: str) -> bytes | None:
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    if not settings.EXPORT_LOGO_ALLOW_PRIVATE_HOSTS and not _public(parts.hostname):
        logger.warning("export_logo_refused", reason="private address", host=parts.hostname)
        return None
    limit = settings.EXPORT_LOGO_MAX_BYTES
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(urllib.request.Request(url, headers={"User-Agent": "Orbit-export"}), timeout=5) as response:
            data = response.read(limit + 1)
    except (OSError, ValueError) as exc:
        logger.warning("export_logo_unavailable", error=str(exc)[:200])
        return None
    if len(data) > limit:
        logger.warning("export_logo_refused", reason="too large")
        return None
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format not in ("PNG", "JPEG"):
                return None
            image.verify()
    except Exception as exc:  # Pillow raises many kinds for a broken file
        logger.warning("export_logo_refused", reason="not an image", error=str(exc)[:200])
        return None
    return data
