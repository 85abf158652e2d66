"""Anthropic: the Messages API with a forced tool call whose input schema is the answer; the documents are a
separate content block marked for prompt caching (`cache_control: ephemeral`), so chunked or repeated calls
over the same documents are cheaper."""

from functools import lru_cache

import anthropic
from django.conf import settings
from pydantic import ValidationError

from ai.providers.base import InvalidAnswer
from ai.providers.llm import ModelProvider
from ai.providers.sdk_errors import from_sdk, schema_error

LABEL = "Anthropic"


@lru_cache(maxsize=4)
def _client(api_key: str, base_url: str | None, timeout: float, max_retries: int) -> anthropic.Anthropic:
    """One client (connection pool, TLS context) per configuration and process, reused across runs."""
    return anthropic.Anthropic(api_key=api_key, base_url=base_url, timeout=timeout, max_retries=max_retries)


def inline_refs(schema: dict) -> dict:
    """pydantic's JSON schema with every `$ref` to `$defs` replaced by the definition (plain, self-contained)."""
    defs = schema.get("$defs", {})

    def walk(node):
        if isinstance(node, dict):
            if "$ref" in node:
                return walk(defs[node["$ref"].rsplit("/", 1)[-1]])
            return {key: walk(value) for key, value in node.items() if key != "$defs"}
        if isinstance(node, list):
            return [walk(item) for item in node]
        return node

    return walk(schema)


class AnthropicProvider(ModelProvider):
    name, label, settings_prefix = "anthropic", LABEL, "ANTHROPIC"
    connect = staticmethod(_client)

    def _call(self, *, system, data, instruction, schema, tool_name):
        content = [{"type": "text", "text": "\n\n".join(data), "cache_control": {"type": "ephemeral"}}]
        content.append({"type": "text", "text": instruction})
        try:
            response = self.client.messages.create(
                model=self.model,
                max_tokens=settings.AI_MAX_OUTPUT_TOKENS,
                system=system,
                tools=[
                    {
                        "name": tool_name,
                        "description": "Record the answer. Always answer through this tool.",
                        "input_schema": inline_refs(schema.model_json_schema()),
                    }
                ],
                tool_choice={"type": "tool", "name": tool_name},
                messages=[{"role": "user", "content": content}],
            )
        except (anthropic.AnthropicError, ValueError) as exc:
            raise from_sdk(exc, anthropic, LABEL) from exc
        usage = response.usage
        tokens_in = sum(
            getattr(usage, name, 0) or 0
            for name in ("input_tokens", "cache_creation_input_tokens", "cache_read_input_tokens")
        )
        tokens_out = getattr(usage, "output_tokens", 0) or 0
        if response.stop_reason == "refusal":
            raise InvalidAnswer(f"{LABEL} refused to answer.")
        if response.stop_reason == "max_tokens":
            raise InvalidAnswer(f"{LABEL}'s answer was cut off at the output token limit.")
        call = next((b for b in response.content if b.type == "tool_use" and b.name == tool_name), None)
        if call is None:
            raise InvalidAnswer(f"{LABEL} gave an empty answer (no {tool_name} tool call).")
        try:
            return schema.model_validate(call.input), tokens_in, tokens_out
        except ValidationError as exc:
            raise schema_error(exc, LABEL) from exc
