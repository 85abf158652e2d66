"""What every provider is: three calls (extract, suggest, analyze) answering plain dicts, with their usage.

Providers are pure with respect to the database: they get pages and dicts, and return dicts. Checking quotes,
sanitising and storing are the runner's job (ai/runner.py), the same for every provider.
"""

from dataclasses import dataclass, field


class ProviderError(Exception):
    """A provider could not give an answer. `code` becomes the run's error code."""

    code = "ai_error"

    def __init__(self, message: str, *, called: bool = True):
        super().__init__(message)
        self.message = message
        self.called = called  # False when no request reached a provider (it does not count against the plan)


class ProviderUnavailable(ProviderError):
    """Not configured, unreachable, timing out or failing after the SDK's retries."""

    code = "ai_unavailable"


class InvalidAnswer(ProviderError):
    """The provider answered, but not with what was asked: malformed JSON, outside the schema, empty or refused."""

    code = "ai_invalid_answer"


@dataclass
class Usage:
    input_tokens: int = 0
    output_tokens: int = 0
    calls: int = 0
    chunks: int = 0

    def add(self, input_tokens: int, output_tokens: int) -> None:
        self.input_tokens += input_tokens or 0
        self.output_tokens += output_tokens or 0
        self.calls += 1


@dataclass
class Answer:
    data: dict
    usage: Usage = field(default_factory=Usage)


class Provider:
    """The interface. `progress(done, total)` may be called between chunks."""

    name = ""
    model = ""

    @classmethod
    def configured(cls) -> bool:
        """Whether this server has what the provider needs (keys, a URL) to be used."""
        return True

    def extract(self, pages, *, template_sections=None, progress=None) -> Answer:
        raise NotImplementedError

    def suggest(self, section: dict, scope: dict) -> Answer:
        raise NotImplementedError

    def analyze(self, scope: dict, sections: list[dict], pages, *, progress=None) -> Answer:
        raise NotImplementedError
