"""Production configuration: refuse to start on missing or unsafe values, and pass `check --deploy` when good."""

import json
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
        ("STRIPE_API_HOST", "http://127.0.0.1:12111"),  # a local Stripe stand-in
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


def test_the_api_renders_json_only_even_with_debug_on():
    check = "import orbit.settings as s; assert s.DEBUG; print(s.REST_FRAMEWORK['DEFAULT_RENDERER_CLASSES'])"
    result = run(["-c", check], {})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['orbit.renderers.JSONRenderer']"


@pytest.mark.parametrize("source", ["no environment", ".env.example"])
def test_local_sign_up_is_production_like_by_default(source):
    check = (
        "import orbit.settings as s; "
        "assert s.ACCOUNT_EMAIL_VERIFICATION == 'mandatory', s.ACCOUNT_EMAIL_VERIFICATION; "
        "assert getattr(s, 'ACCOUNT_PREVENT_ENUMERATION', True) is True; "
        "assert s.EMAIL_BACKEND.endswith('console.EmailBackend')"
    )
    result = run(["-c", check], {} if source == "no environment" else env_example())
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


def env_example() -> dict:
    """Every variable of .env.example with its value there (many are empty), as `cp .env.example .env` gives."""
    values = {}
    for line in (BASE_DIR / ".env.example").read_text().splitlines():
        if line.strip() and not line.startswith("#") and "=" in line:
            name, value = line.split("=", 1)
            values[name.strip()] = value.strip()
    return values


def test_a_copy_of_env_example_runs_with_the_local_defaults():
    check = (
        "import orbit.settings as s; "
        "assert s.DEBUG and not s.PRODUCTION and s.SECRET_KEY and s.ALLOWED_HOSTS; "
        "assert s.DATABASES['default']['NAME'] == 'orbit'; "
        "assert s.CACHES['default']['BACKEND'].endswith('DatabaseCache'); "
        "assert s.ORBIT_PLANS_OVERRIDE == {}"
    )
    result = run(["-c", check], env_example())
    assert result.returncode == 0, result.stderr


def test_unreadable_values_are_all_named_in_one_message_even_locally():
    bad = {
        "EMAIL_PORT": "smtp",
        "DEBUG": "maybe",
        "DATABASE_URL": "nonsense",
        "ORBIT_PLANS": "{not json",
        "JWT_ACCESS_MINUTES": "5m",
    }
    message = error_message(import_settings(bad))
    for variable in bad:
        assert variable in message, f"{variable} not named in: {message}"
    assert message.count("\n  - ") == len(bad)


def test_production_names_unreadable_and_unsafe_values_together():
    message = error_message(import_settings({**GOOD, "SECRET_KEY": "", "EMAIL_PORT": "x"}))
    assert "SECRET_KEY is missing" in message
    assert "EMAIL_PORT is invalid" in message


PLAN_OF_A_NEW_WORKSPACE = (
    "import django, json; django.setup(); "
    "from billing.plans import plan_for; from workspaces.models import Workspace; "
    "print(json.dumps([plan_for(Workspace(plan=code)) for code in ('free', 'agency')]))"
)


def test_orbit_plans_changes_limits_without_code():
    plans = {
        "free": {"members": 4, "custom_branding": True},
        "agency": {
            "scopes_per_month": None,
            "ai_calls_per_month": 9000,
            "members": 100,
            "storage_bytes": 10**12,
            "max_file_bytes": 10**9,
            "exports_per_month": None,
            "custom_branding": True,
        },
    }
    result = run(
        ["-c", PLAN_OF_A_NEW_WORKSPACE],
        {"ORBIT_PLANS": json.dumps(plans), "DJANGO_SETTINGS_MODULE": "orbit.settings"},
    )
    assert result.returncode == 0, result.stderr
    free, agency = json.loads(result.stdout)
    assert (free["members"], free["custom_branding"], free["scopes_per_month"]) == (4, True, 3)
    assert (agency["code"], agency["name"], agency["members"], agency["scopes_per_month"]) == (
        "agency",
        "Agency",
        100,
        None,
    )


@pytest.mark.parametrize(
    ("plans", "expected"),
    [
        ('["free"]', "must be a JSON object"),
        ('{"free": 3}', "must be an object of limits"),
        ('{"free": {"member": 3}}', "unknown limit 'member'"),
        ('{"free": {"members": -1}}', "whole number"),
        ('{"free": {"members": "3"}}', "whole number"),
        ('{"free": {"custom_branding": "yes"}}', "true or false"),
        ('{"agency": {"members": 10}}', "must set every limit; missing: scopes_per_month"),
    ],
)
def test_a_bad_orbit_plans_is_refused_at_start_up(plans, expected):
    message = error_message(import_settings({"ORBIT_PLANS": plans}))
    assert "ORBIT_PLANS" in message
    assert expected in message


def test_csrf_cookie_domain_comes_from_the_environment():
    check = "import orbit.settings as s; assert s.CSRF_COOKIE_DOMAIN == '.orbit.example', s.CSRF_COOKIE_DOMAIN"
    assert run(["-c", check], {"CSRF_COOKIE_DOMAIN": ".orbit.example"}).returncode == 0
    assert run(["-c", "import orbit.settings as s; assert s.CSRF_COOKIE_DOMAIN is None"], {}).returncode == 0


def test_stripe_api_host_exists_only_when_set():
    # dj-stripe points the stripe SDK at settings.STRIPE_API_HOST whenever the attribute exists at all.
    host = "http://127.0.0.1:12111"
    check = (
        "import django; django.setup(); import stripe; from django.conf import settings; "
        "from djstripe.settings import djstripe_settings; "
        f"assert settings.STRIPE_API_HOST == stripe.api_base == {host!r}, stripe.api_base"
    )
    result = run(["-c", check], {"STRIPE_API_HOST": host, "DJANGO_SETTINGS_MODULE": "orbit.settings"})
    assert result.returncode == 0, result.stderr
    absent = run(["-c", "import orbit.settings as s; assert not hasattr(s, 'STRIPE_API_HOST')"], {})
    assert absent.returncode == 0, absent.stderr
