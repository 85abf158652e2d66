"""Orbit settings, read from the environment.

A fresh checkout runs with safe local defaults and no keys. With ORBIT_ENV=production every value that
must not fall back to a default is checked at start-up by `orbit.config.validate` (the last lines below),
which names every offending variable in one message. In any mode an unreadable value (a malformed URL, number,
boolean or JSON) is refused the same way, and an empty variable counts as unset.
"""

from datetime import timedelta
from pathlib import Path

from orbit import config

BASE_DIR = Path(__file__).resolve().parent.parent

env = config.Env()  # an empty variable counts as unset; unreadable values are collected
if (BASE_DIR / ".env").exists():
    env.read_env(BASE_DIR / ".env")

ORBIT_ENV = env.str("ORBIT_ENV", default="local")
if ORBIT_ENV not in config.ENVIRONMENTS:
    raise config.ConfigurationError([f"ORBIT_ENV must be one of {', '.join(config.ENVIRONMENTS)} (got {ORBIT_ENV!r})"])
PRODUCTION = ORBIT_ENV == "production"

# --- Core ---------------------------------------------------------------------------------------
SECRET_KEY = env.str("SECRET_KEY", default="" if PRODUCTION else config.LOCAL_SECRET_KEY)
DEBUG = env.bool("DEBUG", default=not PRODUCTION)
ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=[] if PRODUCTION else ["localhost", "127.0.0.1", "[::1]", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Where the SPA lives: mail links (verification, reset, invitations) point here.
FRONTEND_URL = env.str("FRONTEND_URL", default="http://localhost:3000").rstrip("/")
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
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Parallel test runs (one per developer checkout) each get their own test database.
DATABASES["default"]["TEST"] = {"NAME": env.str("TEST_DATABASE_NAME", default="test_orbit")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache: shared by every process (rate limits, idempotency, allauth replay checks) ----------
# The default is the database cache: nothing extra to run, and still shared across processes.
CACHES = {"default": env.cache("CACHE_URL", default="dbcache://orbit_cache")}

# --- Auth ---------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Internationalisation / static --------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))

# --- Storage: S3 when a bucket is configured, the local filesystem otherwise --------------------
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
AWS_S3_ENDPOINT_URL = env.str("AWS_S3_ENDPOINT_URL", default="") or None
AWS_S3_REGION_NAME = env.str("AWS_S3_REGION_NAME", default="us-east-1")
AWS_ACCESS_KEY_ID = env.str("AWS_ACCESS_KEY_ID", default="") or None
AWS_SECRET_ACCESS_KEY = env.str("AWS_SECRET_ACCESS_KEY", default="") or None
# Lifetime of presigned / signed upload and download links, in seconds.
SIGNED_URL_TTL = env.int("SIGNED_URL_TTL", default=300)
# Local storage only (orbit.blobstore): key prefix -> callable(key) that may refuse a signed PUT before its bytes
# are stored (S3 has no such hook; these only refuse what S3 would make moot).
BLOB_UPLOAD_GUARDS = {"uploads/": "documents.services.check_upload_target"}
if AWS_STORAGE_BUCKET_NAME:
    DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": AWS_S3_ENDPOINT_URL,
            "region_name": AWS_S3_REGION_NAME,
            "access_key": AWS_ACCESS_KEY_ID,
            "secret_key": AWS_SECRET_ACCESS_KEY,
            "signature_version": "s3v4",
            "addressing_style": env.str("AWS_S3_ADDRESSING_STYLE", default="auto"),
            "querystring_auth": True,
            "querystring_expire": SIGNED_URL_TTL,
            "file_overwrite": False,
            "default_acl": None,
        },
    }
else:
    DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": MEDIA_ROOT}}
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

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

# --- DRF ----------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["orbit.authentication.JWTAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "orbit.pagination.CursorPagination",
    "DEFAULT_FILTER_BACKENDS": [
        "orbit.filters.StrictFilterBackend",
        "orbit.filters.StrictOrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "orbit.schema.AutoSchema",
    "EXCEPTION_HANDLER": "orbit.exception_handler.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
if DEBUG:
    REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"].append("rest_framework.renderers.BrowsableAPIRenderer")

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env.int("JWT_ACCESS_MINUTES", default=5)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env.int("JWT_REFRESH_DAYS", default=14)),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": False,
    "AUTH_HEADER_TYPES": ("Bearer",),
    "USER_ID_FIELD": "id",
    "USER_ID_CLAIM": "user_id",
    # Embeds a hash of the password in every token: a password change makes outstanding access tokens fail.
    "CHECK_REVOKE_TOKEN": True,
    "REVOKE_TOKEN_CLAIM": "hash_password",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Orbit API",
    "DESCRIPTION": (
        "Orbit turns client documents into structured, reviewable scopes of work.\n\n"
        'Every error answers with one envelope: `{"error": {"code", "message", "details"}}`.\n\n'
        "Authentication flows (sign up, sign in, verification, password reset, Google) are served by "
        "django-allauth headless under `/_allauth/app/v1/`; their own specification is at "
        "[/_allauth/openapi.html](/_allauth/openapi.html)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "EXTERNAL_DOCS": {"description": "Authentication API (allauth headless)", "url": "/_allauth/openapi.html"},
    "ENUM_NAME_OVERRIDES": {
        "ProjectStatusEnum": "scopes.models.Project.Status",
        "ScopeStatusEnum": "scopes.models.Scope.Status",
        "MemberRoleEnum": "workspaces.api.serializers.ROLE_CHOICES",
        "BillingCycleEnum": "billing.prices.CYCLES",
        "ActivityVerbEnum": "workspaces.models.ActivityEvent.Verb",

        "ExportStatusEnum": "exports.models.Export.Status",
        "ExportFormatEnum": "exports.models.Export.Format",
    },
    "APPEND_COMPONENTS": {},
}

CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[] if PRODUCTION else [FRONTEND_URL])
CORS_EXPOSE_HEADERS = ["X-Request-ID", "ETag", "Retry-After"]
CORS_ALLOW_HEADERS = [
    "accept",
    "authorization",
    "content-type",
    "origin",
    "x-csrftoken",
    "x-requested-with",
    "x-request-id",
    "x-session-token",
    "idempotency-key",
    "if-match",
]
CORS_ALLOW_CREDENTIALS = True

# --- django-allauth (headless) ------------------------------------------------------------------
SITE_ID = 1
HEADLESS_ONLY = True
HEADLESS_CLIENTS = ("app", "browser")
HEADLESS_TOKEN_STRATEGY = "accounts.token_strategy.SimpleJWTTokenStrategy"
HEADLESS_SERVE_SPECIFICATION = True
HEADLESS_SPECIFICATION_TEMPLATE_NAME = "orbit/allauth_spec.html"
HEADLESS_FRONTEND_URLS = {
    "account_confirm_email": f"{FRONTEND_URL}/verify-email/{{key}}",
    "account_reset_password": f"{FRONTEND_URL}/reset-password",
    "account_reset_password_from_key": f"{FRONTEND_URL}/reset-password/{{key}}",
    "account_signup": f"{FRONTEND_URL}/signup",
    "socialaccount_login_error": f"{FRONTEND_URL}/login/error",
}
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_UNIQUE_EMAIL = True
# Mandatory everywhere by default, so a local sign-up behaves as in production (the verification mail, with its
# link and key, is printed to the console locally) and a repeated sign-up reveals nothing (allauth can only
# prevent enumeration when verification is mandatory). ACCOUNT_EMAIL_VERIFICATION relaxes it outside production.
ACCOUNT_EMAIL_VERIFICATION = "mandatory" if PRODUCTION else env.str("ACCOUNT_EMAIL_VERIFICATION", default="mandatory")
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=3600)
PASSWORD_RESET_TIMEOUT = ACCOUNT_PASSWORD_RESET_TIMEOUT
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 3
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "accounts.adapters.SocialAccountAdapter"
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupForm"  # adds the required full name
# allauth consumes "login" and "signup" per IP only (a per-key rate there raises ImproperlyConfigured);
# the per-email limits "login_email" and "signup_email" are consumed by accounts.adapters/forms.
ACCOUNT_RATE_LIMITS = {
    "login": env.str("RATE_LIMIT_LOGIN", default="30/m/ip"),
    "login_email": env.str("RATE_LIMIT_LOGIN_EMAIL", default="10/m/key"),
    "signup_email": env.str("RATE_LIMIT_SIGNUP_EMAIL", default="5/h/key"),
    "login_failed": env.str("RATE_LIMIT_LOGIN_FAILED", default="10/m/ip,5/300s/key"),
    "signup": env.str("RATE_LIMIT_SIGNUP", default="20/m/ip"),
    "reset_password": env.str("RATE_LIMIT_RESET_PASSWORD", default="20/m/ip,5/m/key"),
    "reset_password_from_key": env.str("RATE_LIMIT_RESET_PASSWORD_FROM_KEY", default="20/m/ip"),
}
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
GOOGLE_CLIENT_ID = env.str("GOOGLE_CLIENT_ID", default="")
GOOGLE_CLIENT_SECRET = env.str("GOOGLE_CLIENT_SECRET", default="")
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_REQUESTS_TIMEOUT = 10
SOCIALACCOUNT_PROVIDERS = {
    "google": {
        "APPS": [
            {"client_id": GOOGLE_CLIENT_ID, "secret": GOOGLE_CLIENT_SECRET, "key": ""},
        ]
        if GOOGLE_CLIENT_ID
        else [],
        "SCOPE": ["openid", "profile", "email"],
        "AUTH_PARAMS": {"access_type": "online"},
        "OAUTH_PKCE_ENABLED": True,
        "EMAIL_AUTHENTICATION": True,
        # Read at import time by allauth; tests point these at a local stand-in for Google.
        "CERTS_URL": env.str("GOOGLE_CERTS_URL", default="https://www.googleapis.com/oauth2/v1/certs"),
        "ID_TOKEN_ISSUER": ("https://accounts.google.com", "accounts.google.com"),
    }
}

# --- Stripe / dj-stripe -------------------------------------------------------------------------
STRIPE_LIVE_MODE = env.bool("STRIPE_LIVE_MODE", default=False)
STRIPE_TEST_SECRET_KEY = env.str("STRIPE_TEST_SECRET_KEY", default="")
STRIPE_LIVE_SECRET_KEY = env.str("STRIPE_LIVE_SECRET_KEY", default="")
DJSTRIPE_FOREIGN_KEY_TO_FIELD = "id"
DJSTRIPE_SUBSCRIBER_MODEL = "workspaces.Workspace"
DJSTRIPE_SUBSCRIBER_MODEL_MIGRATION_DEPENDENCY = "0001_initial"
DJSTRIPE_USE_NATIVE_JSONFIELD = True
SILENCED_SYSTEM_CHECKS = ["djstripe.I002"]
# Paid plans map to Stripe Prices by lookup key (set the same keys on the Prices in the Stripe dashboard); Free has
# no price. The plan a workspace is on is read back from its subscription's price through these keys.
BILLING_PRICE_LOOKUP_KEYS = {
    "pro": {
        "monthly": env.str("BILLING_PRICE_PRO_MONTHLY", default="orbit_pro_monthly"),
        "yearly": env.str("BILLING_PRICE_PRO_YEARLY", default="orbit_pro_yearly"),
    },
    "team": {
        "monthly": env.str("BILLING_PRICE_TEAM_MONTHLY", default="orbit_team_monthly"),
        "yearly": env.str("BILLING_PRICE_TEAM_YEARLY", default="orbit_team_yearly"),
    },
}
# Days a workspace keeps its paid limits after a failed payment (past_due) before Free limits apply.
BILLING_GRACE_DAYS = env.int("BILLING_GRACE_DAYS", default=7)
# Where Stripe Checkout and the Customer Portal send the browser back to, a path on FRONTEND_URL.
BILLING_RETURN_PATH = env.str("BILLING_RETURN_PATH", default="/settings/billing")

# --- django-q2 (ORM broker on PostgreSQL) -------------------------------------------------------
# `retry` is a lease, not a delay: it must exceed `timeout`, which must exceed the longest task.
Q_CLUSTER = {
    "name": "orbit",
    "orm": "default",
    "workers": env.int("Q_WORKERS", default=2),
    "timeout": env.int("Q_TIMEOUT", default=600),
    "retry": env.int("Q_RETRY", default=720),
    "max_attempts": env.int("Q_MAX_ATTEMPTS", default=3),
    "ack_failures": True,
    "catch_up": False,
    "poll": 0.5,
    "save_limit": 1000,
    "sync": env.bool("Q_SYNC", default=False),
    "label": "Task queue",
}

# --- Logging: JSON lines with request id and user id --------------------------------------------
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOG_FORMAT = env.str("LOG_FORMAT", default="json")
LOGGING = config.logging_config(level=LOG_LEVEL, fmt=LOG_FORMAT)
config.configure_structlog(fmt=LOG_FORMAT)

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

# --- Orbit --------------------------------------------------------------------------------------
# Plans and their limits (SPEC §5); override any part with a JSON object in ORBIT_PLANS.
ORBIT_PLANS_OVERRIDE = env.json("ORBIT_PLANS", default={})
# Workspace invitations: days a token stays valid, and days an expired one is kept before cleanup deletes it.
INVITATION_TTL_DAYS = env.int("INVITATION_TTL_DAYS", default=7)
INVITATION_RETENTION_DAYS = env.int("INVITATION_RETENTION_DAYS", default=30)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Documents (uploads, malware scan, text extraction, OCR) ------------------------------------
# Scanner run at confirm: the built-in EICAR check, or "documents.scanning.ClamdScanner" with an address.
DOCUMENT_SCANNER = env.str("DOCUMENT_SCANNER", default="documents.scanning.EicarScanner")
DOCUMENT_CLAMD_ADDRESS = env.str("DOCUMENT_CLAMD_ADDRESS", default="")  # tcp://host:3310 or unix:///path
DOCUMENT_CLAMD_TIMEOUT = env.int("DOCUMENT_CLAMD_TIMEOUT", default=60)
# OCR: "auto" uses easyocr when its model folder exists (requirements-ocr.txt), else rapidocr (offline).
DOCUMENT_OCR_ENGINE = env.str("DOCUMENT_OCR_ENGINE", default="auto")
DOCUMENT_EASYOCR_MODEL_DIR = env.str("DOCUMENT_EASYOCR_MODEL_DIR", default="")
DOCUMENT_OCR_LANGUAGES = env.list("DOCUMENT_OCR_LANGUAGES", default=["en"])
DOCUMENT_OCR_RENDER_DPI = env.int("DOCUMENT_OCR_RENDER_DPI", default=200)
DOCUMENT_MAX_PAGES = env.int("DOCUMENT_MAX_PAGES", default=2000)
# DOCX, text and markdown have no pages; their text is cut into pages of about this many characters.
DOCUMENT_TEXT_PAGE_CHARS = env.int("DOCUMENT_TEXT_PAGE_CHARS", default=3000)
# Decompression-bomb guard for DOCX (zip) files, checked before anything unpacks them.
DOCUMENT_DOCX_MAX_UNCOMPRESSED_BYTES = env.int("DOCUMENT_DOCX_MAX_UNCOMPRESSED_BYTES", default=256 * 1024 * 1024)
DOCUMENT_DOCX_MAX_RATIO = env.int("DOCUMENT_DOCX_MAX_RATIO", default=100)
DOCUMENT_DOCX_MAX_ENTRIES = env.int("DOCUMENT_DOCX_MAX_ENTRIES", default=5000)
# A `processing` claim older than this is considered dead and picked up again; keep it above Q_CLUSTER timeout.
DOCUMENT_PROCESSING_LEASE = env.int("DOCUMENT_PROCESSING_LEASE", default=Q_CLUSTER["timeout"] + 120)
DOCUMENT_PROCESSING_MAX_ATTEMPTS = env.int("DOCUMENT_PROCESSING_MAX_ATTEMPTS", default=5)
DOCUMENT_RETRY_BACKOFF = env.int("DOCUMENT_RETRY_BACKOFF", default=30)  # seconds, doubled per attempt
# Pending uploads never confirmed are removed (row and any bytes) after this many hours.
DOCUMENT_PENDING_TTL_HOURS = env.int("DOCUMENT_PENDING_TTL_HOURS", default=24)

# --- AI (providers, limits, prices) -------------------------------------------------------------
# builtin (offline, no key), openai or anthropic. Owners and admins may pick another configured one per request.
AI_PROVIDER = env.str("AI_PROVIDER", default="builtin")
# OpenAI or any OpenAI-compatible server (vLLM, Ollama, LM Studio: set OPENAI_BASE_URL, e.g. http://host:11434/v1).
OPENAI_API_KEY = env.str("OPENAI_API_KEY", default="")
OPENAI_BASE_URL = env.str("OPENAI_BASE_URL", default="") or None
OPENAI_MODEL = env.str("OPENAI_MODEL", default="gpt-4.1-mini")
OPENAI_MAX_INPUT_TOKENS = env.int("OPENAI_MAX_INPUT_TOKENS", default=100_000)
ANTHROPIC_API_KEY = env.str("ANTHROPIC_API_KEY", default="")
ANTHROPIC_BASE_URL = env.str("ANTHROPIC_BASE_URL", default="") or None
ANTHROPIC_MODEL = env.str("ANTHROPIC_MODEL", default="claude-sonnet-4-6")
ANTHROPIC_MAX_INPUT_TOKENS = env.int("ANTHROPIC_MAX_INPUT_TOKENS", default=150_000)
# Per request to a provider; the SDKs retry timeouts, 429 (honouring Retry-After) and 5xx themselves.
AI_TIMEOUT = env.float("AI_TIMEOUT", default=60.0)
AI_MAX_RETRIES = env.int("AI_MAX_RETRIES", default=2)
AI_MAX_OUTPUT_TOKENS = env.int("AI_MAX_OUTPUT_TOKENS", default=8000)
# USD per million tokens, {"model": [input, output]}, merged over the defaults in ai/pricing.py.
AI_PRICES = env.json("AI_PRICES", default={})
# Per-user and per-workspace rate limits on AI requests (DRF rate strings: N/second|minute|hour|day).
AI_RATE_LIMIT_USER = env.str("AI_RATE_LIMIT_USER", default="10/minute")
AI_RATE_LIMIT_WORKSPACE = env.str("AI_RATE_LIMIT_WORKSPACE", default="30/minute")
# At most this many documents per extract request.
AI_MAX_DOCUMENTS = env.int("AI_MAX_DOCUMENTS", default=20)
# A running AI job whose claim is older than this is considered dead and picked up again (above Q_TIMEOUT).
AI_RUN_LEASE = env.int("AI_RUN_LEASE", default=Q_CLUSTER["timeout"] + 120)
AI_RUN_MAX_ATTEMPTS = env.int("AI_RUN_MAX_ATTEMPTS", default=3)
# Cached AI results not used for this many days are deleted by `manage.py cleanup`.
AI_CACHE_RETENTION_DAYS = env.int("AI_CACHE_RETENTION_DAYS", default=90)

# --- Observability: each off unless configured -----------------------------------------------
# Errors to Sentry (document text, prompts and tokens are scrubbed before sending; see orbit/observability.py).
SENTRY_DSN = env.str("SENTRY_DSN", default="")
SENTRY_ENVIRONMENT = env.str("SENTRY_ENVIRONMENT", default="production" if PRODUCTION else "local")
SENTRY_RELEASE = env.str("SENTRY_RELEASE", default="")
SENTRY_TRACES_SAMPLE_RATE = env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0)
# Traces over OTLP/HTTP (the exporter also reads OTEL_EXPORTER_OTLP_HEADERS etc. from the environment).
OTEL_EXPORTER_OTLP_ENDPOINT = env.str("OTEL_EXPORTER_OTLP_ENDPOINT", default="")
OTEL_SERVICE_NAME = env.str("OTEL_SERVICE_NAME", default="orbit")
# Prometheus metrics at /metrics: allowed with `Authorization: Bearer <METRICS_TOKEN>` or from these networks.
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
METRICS_ALLOWED_NETWORKS = env.list("METRICS_ALLOWED_NETWORKS", default=[])
if METRICS_TOKEN or METRICS_ALLOWED_NETWORKS:
    MIDDLEWARE = [
        "django_prometheus.middleware.PrometheusBeforeMiddleware",
        *MIDDLEWARE,
        "django_prometheus.middleware.PrometheusAfterMiddleware",
    ]
    INSTALLED_APPS = [*INSTALLED_APPS, "django_prometheus"]
# /api/ready fails when the oldest waiting task is older than this (seconds) or more than this many wait.
READY_MAX_QUEUE_AGE = env.int("READY_MAX_QUEUE_AGE", default=300)
READY_MAX_QUEUE_DEPTH = env.int("READY_MAX_QUEUE_DEPTH", default=10000)

# --- Exports (exports app) ---
# A `running` claim older than this is considered dead and picked up again; keep it above Q_CLUSTER timeout.
EXPORT_LEASE = env.int("EXPORT_LEASE", default=Q_CLUSTER["timeout"] + 120)
EXPORT_MAX_ATTEMPTS = env.int("EXPORT_MAX_ATTEMPTS", default=3)
# `manage.py cleanup` removes exports (row and file) older than this.
EXPORT_RETENTION_DAYS = env.int("EXPORT_RETENTION_DAYS", default=30)
# Export requests per user and workspace (DRF rate string: N/second|minute|hour|day); cached answers count too.
EXPORT_RATE_LIMIT = env.str("EXPORT_RATE_LIMIT", default="20/hour")
# The workspace logo drawn on branded exports: fetched by the worker, at most this many bytes, public hosts only.
EXPORT_LOGO_MAX_BYTES = env.int("EXPORT_LOGO_MAX_BYTES", default=2 * 1024 * 1024)
EXPORT_LOGO_ALLOW_PRIVATE_HOSTS = env.bool("EXPORT_LOGO_ALLOW_PRIVATE_HOSTS", default=False)

# --- Start-up check (keep last): unreadable values, ORBIT_PLANS, and in production missing/unsafe values ---
config.validate(globals(), env=env)
