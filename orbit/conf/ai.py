"""AI: providers, limits, prices, and the AI job."""

from orbit.conf.base import env
from orbit.conf.queue import Q_CLUSTER

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
