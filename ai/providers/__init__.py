"""AI providers behind one small interface (ai.providers.base.Provider), chosen by AI_PROVIDER or per request.

provider = get_provider("openai")           # raises ProviderUnavailable when not configured
answer = provider.extract(pages, template_sections=None)
answer.data, answer.usage.input_tokens
"""

from importlib import import_module

from django.conf import settings

from ai.providers.base import Answer, InvalidAnswer, Provider, ProviderError, ProviderUnavailable, Usage

# name -> (module, class)
PROVIDERS = {
    "builtin": ("ai.providers.builtin", "BuiltinProvider"),
    "openai": ("ai.providers.openai_provider", "OpenAIProvider"),
    "anthropic": ("ai.providers.anthropic_provider", "AnthropicProvider"),
}

__all__ = [
    "PROVIDERS",
    "Answer",
    "InvalidAnswer",
    "Provider",
    "ProviderError",
    "ProviderUnavailable",
    "Usage",
    "configured_providers",
    "default_model",
    "default_provider",
    "get_provider",
    "is_configured",
]


def default_provider() -> str:
    return settings.AI_PROVIDER


def _provider_class(name: str) -> type[Provider]:
    module, cls = PROVIDERS[name]
    return getattr(import_module(module), cls)


def is_configured(name: str) -> bool:
    return name in PROVIDERS and _provider_class(name).configured()


def configured_providers() -> list[str]:
    return [name for name in PROVIDERS if is_configured(name)]


def default_model(name: str) -> str:
    return {
        "builtin": "orbit-builtin",
        "openai": settings.OPENAI_MODEL,
        "anthropic": settings.ANTHROPIC_MODEL,
    }.get(name, "")


def get_provider(name: str, model: str | None = None) -> Provider:
    if name not in PROVIDERS:
        raise ProviderUnavailable(f"Unknown AI provider {name!r}.", called=False)
    return _provider_class(name)(model or None)


def preload() -> None:
    """Import the configured providers' SDKs now (a worker process calls this at start-up), so the first run a
    worker takes does not pay seconds of SDK import."""
    for name in configured_providers():
        import_module(PROVIDERS[name][0])
