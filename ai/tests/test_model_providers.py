"""The model-backed providers read their settings by prefix (ai.providers.llm.ModelProvider): configured by any of
the settings they name, refused with one message naming them, model and input budget from their own settings, and
a client built by their SDK's factory from the key, base URL and the shared timeouts. No request is sent here."""

import pytest

from ai import providers
from ai.providers import ProviderUnavailable, get_provider

ALL_SETTINGS = ("OPENAI_API_KEY", "OPENAI_BASE_URL", "ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL")


@pytest.fixture
def unconfigured(settings):
    for name in ALL_SETTINGS:
        setattr(settings, name, "")
    return settings


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("openai", "OpenAI is not configured (set OPENAI_API_KEY or OPENAI_BASE_URL)."),
        ("anthropic", "Anthropic is not configured (set ANTHROPIC_API_KEY)."),
    ],
)
def test_an_unconfigured_provider_is_refused_naming_its_settings_before_any_call(unconfigured, name, message):
    assert not providers.is_configured(name)
    with pytest.raises(ProviderUnavailable) as refused:
        get_provider(name)
    assert refused.value.message == message
    assert refused.value.called is False


@pytest.mark.parametrize(
    ("setting", "name", "configured"),
    [
        ("OPENAI_API_KEY", "openai", True),
        ("OPENAI_BASE_URL", "openai", True),  # an OpenAI-compatible local server needs no key
        ("ANTHROPIC_API_KEY", "anthropic", True),
        ("ANTHROPIC_BASE_URL", "anthropic", False),  # a URL without a key is not enough
    ],
)
def test_which_settings_configure_a_provider(unconfigured, setting, name, configured):
    setattr(unconfigured, setting, "http://127.0.0.1:9/v1" if setting.endswith("URL") else "sk-test")
    assert providers.is_configured(name) is configured
    assert (name in providers.configured_providers()) is configured


def test_builtin_is_always_configured_and_unknown_names_never(unconfigured):
    assert providers.configured_providers() == ["builtin"]
    assert not providers.is_configured("no-such-provider")


@pytest.mark.parametrize(("name", "prefix"), [("openai", "OPENAI"), ("anthropic", "ANTHROPIC")])
def test_model_budget_and_client_come_from_the_providers_own_settings(settings, name, prefix):
    settings.AI_TIMEOUT, settings.AI_MAX_RETRIES = 7.5, 1
    setattr(settings, f"{prefix}_API_KEY", f"key-{name}")
    setattr(settings, f"{prefix}_BASE_URL", f"http://127.0.0.1:9/{name}/")
    setattr(settings, f"{prefix}_MODEL", f"model-{name}")
    setattr(settings, f"{prefix}_MAX_INPUT_TOKENS", 1234)
    provider = get_provider(name)
    assert (provider.model, provider.max_input_tokens) == (f"model-{name}", 1234)
    assert provider.client.api_key == f"key-{name}"
    assert str(provider.client.base_url).startswith(f"http://127.0.0.1:9/{name}")
    assert (provider.client.timeout, provider.client.max_retries) == (7.5, 1)
    assert get_provider(name, "picked-model").model == "picked-model"
    assert get_provider(name).client is provider.client  # one client per configuration and process


def test_an_openai_compatible_server_without_a_key_gets_a_placeholder_key(unconfigured):
    unconfigured.OPENAI_BASE_URL = "http://127.0.0.1:9/v1"
    assert get_provider("openai").client.api_key == "not-needed"
