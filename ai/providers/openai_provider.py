"""OpenAI, or any OpenAI-compatible server (OPENAI_BASE_URL): Chat Completions with Structured Outputs
(`chat.completions.parse` with a pydantic model, sent as a strict JSON schema)."""

from functools import lru_cache

import openai
from django.conf import settings
from pydantic import ValidationError

from ai.providers.base import InvalidAnswer
from ai.providers.llm import ModelProvider
from ai.providers.sdk_errors import from_sdk

LABEL = "OpenAI"


@lru_cache(maxsize=4)
def _client(api_key: str, base_url: str | None, timeout: float, max_retries: int) -> openai.OpenAI:
    """One client (connection pool, TLS context) per configuration and process, reused across runs.
    OpenAI-compatible local servers need no key, but the SDK insists on one."""
    return openai.OpenAI(api_key=api_key or "not-needed", base_url=base_url, timeout=timeout, max_retries=max_retries)


class OpenAIProvider(ModelProvider):
    name, label, settings_prefix = "openai", LABEL, "OPENAI"
    configured_by = ("API_KEY", "BASE_URL")
    connect = staticmethod(_client)

    def _call(self, *, system, data, instruction, schema, tool_name):
        messages = [
            {"role": "system", "content": system},
            {"role": "user", "content": "\n\n".join([*data, instruction])},
        ]
        try:
            completion = self.client.chat.completions.parse(
                model=self.model,
                messages=messages,
                response_format=schema,
                max_completion_tokens=settings.AI_MAX_OUTPUT_TOKENS,
            )
        except openai.LengthFinishReasonError as exc:
            raise InvalidAnswer(f"{LABEL}'s answer was cut off at the output token limit.") from exc
        except openai.ContentFilterFinishReasonError as exc:
            raise InvalidAnswer(f"{LABEL} refused to answer (content filter).") from exc
        except (openai.OpenAIError, ValidationError, ValueError) as exc:
            raise from_sdk(exc, openai, LABEL) from exc
        usage = completion.usage
        tokens = (getattr(usage, "prompt_tokens", 0) or 0, getattr(usage, "completion_tokens", 0) or 0)
        if not completion.choices:
            raise InvalidAnswer(f"{LABEL} gave an empty answer.")
        message = completion.choices[0].message
        if getattr(message, "refusal", None):
            raise InvalidAnswer(f"{LABEL} refused to answer.")
        if message.parsed is None:
            raise InvalidAnswer(f"{LABEL} gave an empty answer.")
        return message.parsed, *tokens
