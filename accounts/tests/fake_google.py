"""A local stand-in for Google's OAuth endpoints, served over real HTTP on 127.0.0.1.

It serves the x509 certificate map (like https://www.googleapis.com/oauth2/v1/certs), an authorization endpoint
that "consents" at once and redirects back with a code, and a token endpoint that checks the code, client
credentials, redirect URI and PKCE verifier before answering with an id_token it signed.
"""

import base64
import datetime as dt
import hashlib
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlparse

import jwt
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

ISSUER = "https://accounts.google.com"


def make_key_and_cert():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "fake-google")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    return key, cert.public_bytes(serialization.Encoding.PEM).decode()


class FakeGoogle:
    def __init__(self, *, client_id: str, client_secret: str):
        self.client_id = client_id
        self.client_secret = client_secret
        self.kid = secrets.token_hex(8)
        self.key, self.cert_pem = make_key_and_cert()
        self.codes: dict[str, dict] = {}
        self.token_requests: list[dict] = []
        self.cert_requests = 0
        self.profile = {
            "sub": "1122334455",
            "email": "grace@example.com",
            "email_verified": True,
            "given_name": "Grace",
            "family_name": "Hopper",
            "name": "Grace Hopper",
        }
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    certs_url = property(lambda self: f"{self.base_url}/oauth2/v1/certs")
    token_url = property(lambda self: f"{self.base_url}/token")
    authorize_url = property(lambda self: f"{self.base_url}/o/oauth2/v2/auth")

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def id_token(self, *, key=None, kid=None, **overrides) -> str:
        """A Google-shaped id_token; override any claim (exp, aud, iss, ...) or the signing key."""
        now = int(time.time())
        claims = {
            "iss": ISSUER,
            "aud": self.client_id,
            "azp": self.client_id,
            "iat": now,
            "exp": now + 3600,
            "jti": secrets.token_hex(12),
            **self.profile,
            **overrides,
        }
        return jwt.encode(claims, key or self.key, algorithm="RS256", headers={"kid": kid or self.kid})

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _json(self, status, body):
                payload = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def do_GET(self):
                url = urlparse(self.path)
                if url.path == "/oauth2/v1/certs":
                    fake.cert_requests += 1
                    return self._json(200, {fake.kid: fake.cert_pem})
                if url.path == "/o/oauth2/v2/auth":
                    params = {k: v[0] for k, v in parse_qs(url.query).items()}
                    if params.get("client_id") != fake.client_id or params.get("response_type") != "code":
                        return self._json(400, {"error": "invalid_request"})
                    code = secrets.token_urlsafe(16)
                    fake.codes[code] = params
                    query = urlencode({"code": code, "state": params["state"]})
                    self.send_response(302)
                    self.send_header("Location", f"{params['redirect_uri']}?{query}")
                    self.end_headers()
                    return None
                return self._json(404, {"error": "not_found"})

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                fake.token_requests.append(form)
                if urlparse(self.path).path != "/token":
                    return self._json(404, {"error": "not_found"})
                grant = fake.codes.pop(form.get("code", ""), None)  # codes are single-use
                if (
                    grant is None
                    or form.get("grant_type") != "authorization_code"
                    or form.get("client_id") != fake.client_id
                    or form.get("client_secret") != fake.client_secret
                    or form.get("redirect_uri") != grant["redirect_uri"]
                ):
                    return self._json(400, {"error": "invalid_grant"})
                if grant.get("code_challenge"):
                    digest = hashlib.sha256(form.get("code_verifier", "").encode()).digest()
                    if base64.urlsafe_b64encode(digest).rstrip(b"=").decode() != grant["code_challenge"]:
                        return self._json(400, {"error": "invalid_grant", "error_description": "PKCE"})
                return self._json(
                    200,
                    {
                        "access_token": secrets.token_urlsafe(24),
                        "expires_in": 3599,
                        "token_type": "Bearer",
                        "scope": grant.get("scope", ""),
                        "id_token": fake.id_token(),
                    },
                )

        return Handler
