"""SDK failures (openai, anthropic: same exception family) as readable provider errors. The SDK has already
retried what is worth retrying (timeouts, 408/409/429/5xx, honouring Retry-After) when these are raised.
Messages never quote the request or the answer (they could hold document text)."""

from django.conf import settings
from pydantic import ValidationError

from ai.providers.base import InvalidAnswer, ProviderUnavailable


def _attempts() -> str:
    tries = settings.AI_MAX_RETRIES + 1
    return f"{tries} attempt{'s' if tries != 1 else ''}"


def from_sdk(exc: Exception, sdk, label: str) -> Exception:
    """The provider error for an exception raised by `sdk` (the openai or anthropic module)."""
    if isinstance(exc, sdk.APITimeoutError):
        return ProviderUnavailable(f"{label} did not answer within {settings.AI_TIMEOUT:g} s ({_attempts()}).")
    if isinstance(exc, sdk.APIConnectionError):
        return ProviderUnavailable(f"{label} could not be reached ({_attempts()}).")
    if isinstance(exc, sdk.RateLimitError):
        return ProviderUnavailable(f"{label} kept answering 429 (rate limited) after {_attempts()}; try again later.")
    if isinstance(exc, (sdk.AuthenticationError, sdk.PermissionDeniedError)):
        return ProviderUnavailable(
            f"{label} refused the credentials (HTTP {exc.status_code}); check the API key.", called=True
        )
    if isinstance(exc, sdk.APIStatusError):
        if exc.status_code >= 500:
            return ProviderUnavailable(f"{label} failed with HTTP {exc.status_code} after {_attempts()}.")
        return ProviderUnavailable(f"{label} refused the request with HTTP {exc.status_code}.")
    if isinstance(exc, ValidationError):
        return schema_error(exc, label)
    if isinstance(exc, ValueError):  # json.JSONDecodeError and the SDKs' own parse errors
        return InvalidAnswer(f"{label}'s answer was not valid JSON.")
    return ProviderUnavailable(f"{label} failed: {type(exc).__name__}.")


def schema_error(exc: ValidationError, label: str) -> InvalidAnswer:
    errors = exc.errors(include_input=False, include_url=False)
    if errors and errors[0].get("type") == "json_invalid":
        return InvalidAnswer(f"{label}'s answer was not valid JSON.")
    first = errors[0] if errors else {}
    where = ".".join(str(part) for part in first.get("loc", ())) or "the answer"
    return InvalidAnswer(
        f"{label}'s answer did not follow the schema ({len(errors)} problem(s); first at {where}: {first.get('type')})."
    )
