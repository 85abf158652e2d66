"""gunicorn settings, used by the Procfile's web process, scripts/run and the tests' real servers.

README "Web server" explains each limit. Environment: PORT (bind, default 8000), WEB_CONCURRENCY (workers,
default 2), WEB_TIMEOUT (seconds, default 30). The command line (`--bind`, `--workers`) wins over this file.
"""

import os

wsgi_app = "orbit.wsgi"
bind = f"0.0.0.0:{os.environ.get('PORT') or '8000'}"
workers = int(os.environ.get("WEB_CONCURRENCY") or 2)
# Errors gunicorn raises itself (limits below, malformed requests) answer in Orbit's JSON error envelope.
worker_class = "orbit.gunicorn_worker.JsonErrorsSyncWorker"

# A worker busy or silent this long on one request is killed and replaced (the client gets a 502 from the
# proxy). Orbit's slow work runs in the qcluster worker, so requests are short; uploads go straight to S3.
timeout = int(os.environ.get("WEB_TIMEOUT") or 30)
graceful_timeout = 30  # on restart, in-flight requests get this long to finish
keepalive = 5  # seconds an idle keep-alive connection is kept (behind a proxy that reuses connections)

# Request limits, checked before Django sees anything; over them gunicorn answers 400 (431 for headers).
limit_request_line = 4094  # "GET /path?query HTTP/1.1": Orbit's longest real ones (cursor + filters) are < 600
limit_request_fields = 50  # headers per request: browsers send about 20
limit_request_field_size = 8190  # bytes per header: a bearer token is < 1 KB, cookies stay well under 8 KB
