"""Start-up configuration helpers: production validation and logging set-up."""

import warnings

import environ
import structlog

ENVIRONMENTS = ("local", "production")
LOCAL_SECRET_KEY = "django-insecure-local-only-orbit-key-never-use-in-production"
LOCAL_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/orbit"


class ConfigurationError(RuntimeError):
    """Raised at import of the settings when production configuration is missing or unsafe."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(
            "Orbit refuses to start; fix these environment variables:\n"
            + "\n".join(f"  - {problem}" for problem in problems)
        )


BOOLEAN_FALSE_STRINGS = ("false", "off", "no", "n", "0")


class Env(environ.Env):
    """`environ.Env` that treats an empty variable as unset and collects unreadable values instead of crashing.

    - `DEBUG=` (a line copied from .env.example) means "use the default", not "set to empty".
    - A value that cannot be read (`EMAIL_PORT=abc`, `DEBUG=maybe`, `DATABASE_URL=nonsense`, malformed JSON)
      is recorded in `problems`, so start-up can refuse with every offending variable named in one message.
    """

    def __init__(self, **scheme):
        super().__init__(**scheme)
        self.problems: list[str] = []

    def _is_empty(self, var) -> bool:
        return self.ENVIRON.get(f"{self.prefix}{var}") == ""

    def get_value(self, var, cast=None, default=environ.Env.NOTSET, parse_default=False):
        if self._is_empty(var) and default is not self.NOTSET:
            return self.parse_value(default, cast) if parse_default and default is not None else default
        try:
            return super().get_value(var, cast=cast, default=default, parse_default=parse_default)
        except (ValueError, TypeError) as exc:
            self.problems.append(f"{var} is invalid: {exc}")
            return default

    def bool(self, var, default=environ.Env.NOTSET):
        raw = self.ENVIRON.get(f"{self.prefix}{var}", "")
        if raw and raw.strip().lower() not in (*self.BOOLEAN_TRUE_STRINGS, *BOOLEAN_FALSE_STRINGS):
            self.problems.append(f"{var} is invalid: use true or false (got {raw!r})")
            return default
        return super().bool(var, default=default)

    def db_url(self, var=environ.Env.DEFAULT_DATABASE_ENV, default=environ.Env.NOTSET, engine=None):
        fallback = super().db_url_config(default or "", engine=engine) if default is not self.NOTSET else {}
        raw = self.ENVIRON.get(f"{self.prefix}{var}", "")
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # environ only warns on an unknown scheme; refused below
                parsed = super().db_url(var, default=default, engine=engine)
        except Exception as exc:  # environ raises several types for an unparsable URL
            self.problems.append(f"{var} is invalid: {exc}")
            return fallback
        if raw and (parsed.get("ENGINE") != "django.db.backends.postgresql" or not parsed.get("NAME")):
            self.problems.append(f"{var} is invalid: expected postgres://user:password@host:5432/name")
            return fallback
        return parsed

    db = db_url

    def cache_url(self, var=environ.Env.DEFAULT_CACHE_ENV, default=environ.Env.NOTSET, backend=None):
        try:
            return super().cache_url(var, default=default, backend=backend)
        except Exception as exc:
            self.problems.append(f"{var} is invalid: {exc}")
            return super().cache_url_config(default, backend=backend) if default is not self.NOTSET else {}

    cache = cache_url


def validate(settings: dict, *, env: Env) -> None:
    """The start-up check, at the end of the settings: unreadable values in any mode, the plans in ORBIT_PLANS,
    and in production every missing or unsafe value. All of them are named in one ConfigurationError."""
    from billing.plans import override_problems

    problems = [*env.problems, *override_problems(settings.get("ORBIT_PLANS_OVERRIDE"))]
    if settings.get("PRODUCTION"):
        problems += production_problems(settings)
    if problems:
        raise ConfigurationError(problems)


def production_problems(settings: dict) -> list[str]:
    """Every missing or unsafe value, each naming its environment variable."""
    problems = []
    secret = settings.get("SECRET_KEY") or ""
    if not secret:
        problems.append("SECRET_KEY is missing")
    elif secret == LOCAL_SECRET_KEY or secret.startswith("django-insecure") or len(secret) < 50 or len(set(secret)) < 5:
        problems.append("SECRET_KEY is unsafe: use at least 50 random characters")
    if settings.get("DEBUG"):
        problems.append("DEBUG must be false")
    hosts = settings.get("ALLOWED_HOSTS") or []
    if not hosts:
        problems.append("ALLOWED_HOSTS is missing")
    elif "*" in hosts:
        problems.append("ALLOWED_HOSTS must not contain '*'")
    database = settings.get("DATABASES", {}).get("default", {})
    if not database.get("NAME"):
        problems.append("DATABASE_URL is missing")
    elif database.get("HOST") in ("", "127.0.0.1", "localhost") and not database.get("PASSWORD"):
        problems.append("DATABASE_URL points at a local database without a password")
    backend = settings.get("EMAIL_BACKEND", "")
    if backend.endswith(
        ("console.EmailBackend", "locmem.EmailBackend", "dummy.EmailBackend", "filebased.EmailBackend")
    ):
        problems.append("EMAIL_BACKEND must deliver mail (SMTP) in production")
    elif backend.endswith("smtp.EmailBackend") and not settings.get("EMAIL_HOST"):
        problems.append("EMAIL_HOST is missing")
    if "orbit.localhost" in settings.get("DEFAULT_FROM_EMAIL", ""):
        problems.append("DEFAULT_FROM_EMAIL is missing")
    if not settings.get("AWS_STORAGE_BUCKET_NAME"):
        problems.append("AWS_STORAGE_BUCKET_NAME is missing: production stores documents in S3")
    if not settings.get("FRONTEND_URL", "").startswith("https://"):
        problems.append("FRONTEND_URL must be an https:// URL")
    if settings.get("STRIPE_API_HOST"):
        problems.append("STRIPE_API_HOST must not be set in production: Stripe calls would go to another server")
    cache_backend = settings.get("CACHES", {}).get("default", {}).get("BACKEND", "")
    if cache_backend.endswith(("locmem.LocMemCache", "dummy.DummyCache")):
        # Rate limits and Google id_token replay checks must be shared by every process.
        problems.append("CACHE_URL must point at a cache shared by all processes (database or Redis)")
    return problems


def _shared_processors():
    return [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]


def logging_config(*, level: str, fmt: str) -> dict:
    renderer = structlog.processors.JSONRenderer() if fmt == "json" else structlog.dev.ConsoleRenderer(colors=False)
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "structured": {
                "()": structlog.stdlib.ProcessorFormatter,
                "processors": [
                    structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                    structlog.processors.format_exc_info,
                    renderer,
                ],
                "foreign_pre_chain": _shared_processors(),
            }
        },
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "structured"}},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.server": {"level": "WARNING"},
            "django.request": {"level": "ERROR"},
            "django_q": {"level": level, "propagate": True},
            # The AI SDKs and their HTTP clients log request bodies (prompts, document text) at DEBUG: never
            # below WARNING. Orbit logs each AI call itself (ai.runner: provider, model, tokens, cost, outcome).
            **{
                name: {"level": "WARNING"}
                for name in ("openai", "anthropic", "httpx", "httpx2", "httpcore", "httpcore2")
            },
        },
    }


def configure_structlog(*, fmt: str) -> None:
    structlog.configure(
        processors=[
            *_shared_processors(),
            structlog.stdlib.PositionalArgumentsFormatter(),
            structlog.processors.StackInfoRenderer(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )


def get_logger(name: str):
    return structlog.get_logger(name)
