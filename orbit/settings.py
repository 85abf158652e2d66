"""Orbit settings, read from the environment: the entry (DJANGO_SETTINGS_MODULE) that gathers `orbit.conf`.

The core of the Django project is here; each other concern (API, sign-in, storage, billing, task queue, documents,
AI, exports, observability) is a module of `orbit.conf`, imported whole below. A fresh checkout runs with safe local
defaults and no keys. With ORBIT_ENV=production every value that must not fall back to a default is checked at
start-up by `orbit.config.validate` (the last lines below), which names every offending variable in one message.
In any mode an unreadable value (a malformed URL, number, boolean or JSON) is refused the same way, and an empty
variable counts as unset.
"""

from orbit import config
from orbit.conf.ai import *
from orbit.conf.api import *
from orbit.conf.auth import *
from orbit.conf.base import *
from orbit.conf.base import BASE_DIR, FRONTEND_URL, PRODUCTION, env
from orbit.conf.billing import *
from orbit.conf.documents import *
from orbit.conf.exports import *
from orbit.conf.observability import *
from orbit.conf.observability import METRICS_ALLOWED_NETWORKS, METRICS_TOKEN
from orbit.conf.queue import *
from orbit.conf.storage import *

# --- Core ---------------------------------------------------------------------------------------
SECRET_KEY = env.str("SECRET_KEY", default="" if PRODUCTION else config.LOCAL_SECRET_KEY)
ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=[] if PRODUCTION else ["localhost", "127.0.0.1", "[::1]", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# The SPA's origin may POST to the browser auth flows and be a Google callback_url (allauth's is_safe_url).
if FRONTEND_URL not in CSRF_TRUSTED_ORIGINS:
    CSRF_TRUSTED_ORIGINS = [*CSRF_TRUSTED_ORIGINS, FRONTEND_URL]
CSRF_FAILURE_VIEW = "orbit.http_errors.csrf_failure"
# The browser auth client's SPA reads the csrftoken cookie: with app. and api. hosts, set ".orbit.example".
CSRF_COOKIE_DOMAIN = env.str("CSRF_COOKIE_DOMAIN", default="") or None
# Public URL of this API for signed local upload/download links (behind a proxy, say). Empty: the links use the
# scheme, host and port of the request that asked for them, so they follow whatever PORT Orbit is served on.
API_PUBLIC_URL = env.str("API_PUBLIC_URL", default="").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "corsheaders",
    "rest_framework",
    "rest_framework_simplejwt",
    "rest_framework_simplejwt.token_blacklist",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.google",
    "allauth.headless",
    "django_q",
    "djstripe",
    "orbit",
    "accounts",
    "workspaces",
    "scopes",
    "documents",
    "ai",
    "billing",
    "exports",
    "templates.apps.TemplatesConfig",
]

MIDDLEWARE = [
    "orbit.middleware.RequestIdMiddleware",
    "orbit.apiguard.JsonErrorsMiddleware",  # no HTML error page on /api/ or /_allauth/, whatever DEBUG is
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "orbit.apiguard.JsonBodyGuardMiddleware",  # JSON bodies too deep for Python's parser: 400, before any view
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.ratelimits.RetryAfterMiddleware",
]

ROOT_URLCONF = "orbit.urls"
WSGI_APPLICATION = "orbit.wsgi.application"
ASGI_APPLICATION = "orbit.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default="" if PRODUCTION else config.LOCAL_DATABASE_URL)}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# ...at most once in this many seconds per connection (orbit/db/base.py); 0: before every request's first query.
DATABASES["default"]["HEALTH_CHECK_SECONDS"] = env.float("DB_HEALTH_CHECK_SECONDS", default=5)
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Server-side binding: psycopg sends values apart from the SQL instead of quoting them into it in Python, and
# (DB_PREPARED_STATEMENTS) prepares a statement the fifth time a connection runs it, so the hot reads (the same SQL
# with new values on every request) skip PostgreSQL's parse and plan (about 10 % of a list or detail request's
# time, measured one request at a time). Behind a pooler in transaction mode without prepared statements, set
# DB_PREPARED_STATEMENTS=false.
DATABASES["default"].setdefault("OPTIONS", {}).update(
    server_side_binding=env.bool("DB_SERVER_SIDE_BINDING", default=True),
    prepare_threshold=5 if env.bool("DB_PREPARED_STATEMENTS", default=True) else None,
)
# Django's PostgreSQL backend with timestamps read by psycopg's C loader (orbit/db/base.py).
if DATABASES["default"].get("ENGINE") == "django.db.backends.postgresql":
    DATABASES["default"]["ENGINE"] = "orbit.db"
# Parallel test runs (one per developer checkout) each get their own test database.
DATABASES["default"]["TEST"] = {"NAME": env.str("TEST_DATABASE_NAME", default="test_orbit")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache: shared by every process (rate limits, idempotency, allauth replay checks) ----------
# The default is the database cache: nothing extra to run, and still shared across processes.
CACHES = {"default": env.cache("CACHE_URL", default="dbcache://orbit_cache")}

# --- Internationalisation / static --------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"

# --- Email --------------------------------------------------------------------------------------
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env.str("EMAIL_HOST", default="" if PRODUCTION else "localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=587)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=True)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Orbit <no-reply@orbit.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Security (production) ----------------------------------------------------------------------
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^api/health/$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True

# --- Metrics: django-prometheus when /metrics is enabled (orbit.conf.observability) -------------
if METRICS_TOKEN or METRICS_ALLOWED_NETWORKS:
    MIDDLEWARE = [
        "django_prometheus.middleware.PrometheusBeforeMiddleware",
        *MIDDLEWARE,
        "django_prometheus.middleware.PrometheusAfterMiddleware",
    ]
    INSTALLED_APPS = [*INSTALLED_APPS, "django_prometheus"]

# --- Orbit --------------------------------------------------------------------------------------
# Plans and their limits (SPEC §5); override any part with a JSON object in ORBIT_PLANS.
ORBIT_PLANS_OVERRIDE = env.json("ORBIT_PLANS", default={})
# Workspace invitations: days a token stays valid, and days an expired one is kept before cleanup deletes it.
INVITATION_TTL_DAYS = env.int("INVITATION_TTL_DAYS", default=7)
INVITATION_RETENTION_DAYS = env.int("INVITATION_RETENTION_DAYS", default=30)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Start-up check (keep last): unreadable values, ORBIT_PLANS, and in production missing/unsafe values ---
config.validate(globals(), env=env)
