"""Production configuration: refuse to start on missing or unsafe values, and pass `check --deploy` when good."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]

GOOD = {
    "ORBIT_ENV": "production",
    "SECRET_KEY": secrets.token_urlsafe(64),
    "ALLOWED_HOSTS": "api.orbit.example",
    # check does not connect, so a remote database that does not exist here is fine.
    "DATABASE_URL": "postgres://orbit:s3cret-password@db.orbit.internal:5432/orbit",
    "EMAIL_HOST": "smtp.orbit.example",
    "DEFAULT_FROM_EMAIL": "Orbit <no-reply@orbit.example>",
    "AWS_STORAGE_BUCKET_NAME": "orbit-documents",
    "FRONTEND_URL": "https://app.orbit.example",
}


def run(args, env_overrides: dict, *, unset=()):
    """Run Python in a clean environment: only PATH/HOME plus the variables under test."""
    env = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "/tmp")}
    env.update(env_overrides)
    for name in unset:
        env.pop(name, None)
    return subprocess.run([sys.executable, *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120)


def import_settings(env, **kwargs):
    return run(["-c", "import orbit.settings"], env, **kwargs)


def error_message(result) -> str:
    assert result.returncode != 0, "settings imported although the configuration is bad"
    assert "ConfigurationError" in result.stderr
    return result.stderr.split("ConfigurationError:", 1)[1]


@pytest.mark.skipif((BASE_DIR / ".env").exists(), reason="a local .env would fill in the missing values")
def test_missing_values_are_all_named_in_one_message():
    message = error_message(import_settings({"ORBIT_ENV": "production"}))
    for variable in (
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "DATABASE_URL",
        "EMAIL_HOST",
        "DEFAULT_FROM_EMAIL",
        "AWS_STORAGE_BUCKET_NAME",
        "FRONTEND_URL",
    ):
        assert variable in message, f"{variable} not named in: {message}"
    assert message.count("\n  - ") == 7


def test_unsafe_values_are_all_named_in_one_message():
    unsafe = {
        **GOOD,
        "SECRET_KEY": "django-insecure-short",
        "DEBUG": "true",
        "ALLOWED_HOSTS": "*",
        "DATABASE_URL": "postgres://postgres@localhost:5432/orbit",
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
        "DEFAULT_FROM_EMAIL": "Orbit <no-reply@orbit.localhost>",
        "AWS_STORAGE_BUCKET_NAME": "",
        "FRONTEND_URL": "http://app.orbit.example",
        "CACHE_URL": "locmemcache://",
    }
    message = error_message(import_settings(unsafe))
    for variable in (
        "SECRET_KEY",
        "DEBUG",
        "ALLOWED_HOSTS",
        "DATABASE_URL",
        "EMAIL_BACKEND",
        "DEFAULT_FROM_EMAIL",
        "AWS_STORAGE_BUCKET_NAME",
        "FRONTEND_URL",
        "CACHE_URL",
    ):
        assert variable in message, f"{variable} not named in: {message}"
    assert message.count("\n  - ") == 9


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("SECRET_KEY", "a" * 60),  # long but not random
        ("ALLOWED_HOSTS", ""),
        ("FRONTEND_URL", "app.orbit.example"),
    ],
)
def test_each_bad_value_alone_is_refused(variable, value):
    message = error_message(import_settings({**GOOD, variable: value}))
    assert variable in message
    assert message.count("\n  - ") == 1


def test_good_production_values_import():
    result = import_settings(GOOD)
    assert result.returncode == 0, result.stderr


def test_local_defaults_need_no_configuration():
    result = run(["-c", "import orbit.settings as s; assert s.DEBUG and not s.PRODUCTION"], {})
    assert result.returncode == 0, result.stderr


def test_check_deploy_passes_with_good_values():
    result = run(["manage.py", "check", "--deploy"], GOOD)
    assert result.returncode == 0, result.stdout + result.stderr
    output = result.stdout + result.stderr
    assert "security.W" not in output
    assert "ERRORS" not in output
    # Every Django deployment check (security tag) is clean, warnings included.
    strict = run(["manage.py", "check", "--deploy", "--tag", "security", "--fail-level", "WARNING"], GOOD)
    assert strict.returncode == 0, strict.stdout + strict.stderr
    assert "no issues" in strict.stdout
