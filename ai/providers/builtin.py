"""The built-in engine (ai/builtin): deterministic, offline, no key. Always configured."""

from ai.providers.base import Answer, Provider, Usage

MODEL = "orbit-builtin"


class BuiltinProvider(Provider):
    name = "builtin"

    def __init__(self, model: str | None = None):
        from ai import builtin

        self.engine = builtin
        self.model = model or getattr(builtin, "MODEL", MODEL)

    def extract(self, pages, *, template_sections=None, progress=None) -> Answer:
        data = self.engine.extract(list(pages), template_sections=template_sections)
        if progress:
            progress(1, 1)
        return Answer(data, Usage(chunks=1))

    def suggest(self, section: dict, scope: dict) -> Answer:
        return Answer({"suggestions": self.engine.suggest(section, scope)}, Usage(chunks=1))

    def analyze(self, scope: dict, sections: list[dict], pages, *, progress=None) -> Answer:
        data = self.engine.analyze(scope, sections, list(pages))
        if progress:
            progress(1, 1)
        return Answer(data, Usage(chunks=1))
