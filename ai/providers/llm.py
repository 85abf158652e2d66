"""The logic shared by the model-backed providers (OpenAI, Anthropic): chunking under the input budget, one call
per chunk, merging the chunks' answers, mapping the short references models see back to ids, and reading their
settings. Subclasses name their settings prefix and SDK client factory, and implement `_call` with their SDK."""

import json
import re

from django.conf import settings
from opentelemetry.trace import SpanKind, get_tracer
from pydantic import BaseModel

from ai.providers import prompts, schemas
from ai.providers.base import Answer, Provider, ProviderUnavailable, Usage
from ai.providers.chunking import chunk_pages, estimate_tokens

_tracer = get_tracer("orbit.ai")

# Room kept in the input budget for the instructions and the JSON schema.
INSTRUCTION_TOKENS = 1500


def _key(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", (title or "").lower()).strip()


def _source_key(source: dict) -> tuple:
    return source["document_id"], source["page"], source["quote"]


def _doc_refs(pieces_or_pages) -> dict[str, str]:
    refs: dict[str, str] = {}
    for page in pieces_or_pages:
        refs.setdefault(str(page.document_id), f"d{len(refs) + 1}")
    return refs


def _sources(sources, back: dict[str, str]) -> list[dict]:
    return [{"document_id": back[s.document], "page": s.page, "quote": s.quote} for s in sources if s.document in back]


def merge_extractions(parts: list[schemas.Extraction], back: dict[str, str]) -> dict:
    """One extraction from per-chunk ones: sections with the same heading are one section (content joined unless
    one already holds the other, sources kept, confidence weighted by length); order of first appearance."""
    merged: list[dict] = []
    by_key: dict[str, dict] = {}
    for part in parts:
        for section in part.sections:
            entry = {
                "section_type": section.section_type,
                "title": section.title.strip(),
                "content": section.content.strip(),
                "confidence": min(max(float(section.confidence), 0.0), 1.0),
                "sources": _sources(section.sources, back),
            }
            key = _key(entry["title"])
            existing = by_key.get(key) if key else None
            if existing is None:
                merged.append(entry)
                if key:
                    by_key[key] = entry
                continue
            old, new = existing["content"], entry["content"]
            weight_old, weight_new = max(len(old), 1), max(len(new), 1)
            if new and new not in old:
                existing["content"] = new if old in new else f"{old}\n\n{new}"
            existing["confidence"] = (existing["confidence"] * weight_old + entry["confidence"] * weight_new) / (
                weight_old + weight_new
            )
            seen = {_source_key(s) for s in existing["sources"]}
            existing["sources"] += [s for s in entry["sources"] if _source_key(s) not in seen]
    title = next((p.title.strip() for p in parts if p.title.strip()), "")
    summary = next((p.summary.strip() for p in parts if p.summary.strip()), "")
    return {"title": title, "summary": summary, "sections": merged}


def merge_analyses(parts: list[schemas.Analysis], back_docs: dict[str, str], back_sections: dict[str, str]) -> dict:
    def finding(f):
        return {
            "severity": f.severity,
            "category": f.category,
            "description": f.description,
            "section_id": back_sections.get(f.section or ""),
        }

    risks, gaps, requirements, questions = [], [], [], []
    seen: set = set()
    for part in parts:
        for bucket, items in ((risks, part.risks), (gaps, part.gaps)):
            for f in items:
                if ("f", _key(f.description)) not in seen:
                    seen.add(("f", _key(f.description)))
                    bucket.append(finding(f))
        for r in part.requirements:
            if r.document not in back_docs or ("r", _key(r.text)) in seen:
                continue
            seen.add(("r", _key(r.text)))
            requirements.append(
                {
                    "text": r.text,
                    "document_id": back_docs[r.document],
                    "page": r.page,
                    "quote": r.quote,
                    "covered_by": [back_sections[ref] for ref in r.covered_by if ref in back_sections],
                    "status": r.status,
                }
            )
        for q in part.questions:
            if ("q", _key(q.question)) not in seen:
                seen.add(("q", _key(q.question)))
                questions.append({"question": q.question, "sources": _sources(q.sources, back_docs)})
    return {"risks": risks, "gaps": gaps, "coverage": {"requirements": requirements}, "questions": questions}


class ModelProvider(Provider):
    """A provider backed by a hosted (or OpenAI-compatible) model, configured by the settings `<PREFIX>_API_KEY`,
    `_BASE_URL`, `_MODEL` and `_MAX_INPUT_TOKENS` (PREFIX is `settings_prefix`). An adapter names its prefix,
    which of those settings configure it (`configured_by`, any one suffices) and its SDK's cached client factory
    (`connect(api_key, base_url, timeout, max_retries)`), and implements `_call`."""

    label = ""  # the provider as messages name it
    settings_prefix = ""
    configured_by = ("API_KEY",)
    connect = None
    max_input_tokens = 100_000

    def __init__(self, model: str | None = None):
        if not self.configured():
            needed = " or ".join(f"{self.settings_prefix}_{name}" for name in self.configured_by)
            raise ProviderUnavailable(f"{self.label} is not configured (set {needed}).", called=False)
        self.model = model or self.setting("MODEL")
        self.max_input_tokens = self.setting("MAX_INPUT_TOKENS")
        self.client = self.connect(
            self.setting("API_KEY"), self.setting("BASE_URL"), settings.AI_TIMEOUT, settings.AI_MAX_RETRIES
        )

    @classmethod
    def setting(cls, name: str):
        """The Django setting `<PREFIX>_<name>` of this provider."""
        return getattr(settings, f"{cls.settings_prefix}_{name}")

    @classmethod
    def configured(cls) -> bool:
        return any(cls.setting(name) for name in cls.configured_by)

    def _call(self, *, system: str, data: list[str], instruction: str, schema: type[BaseModel], tool_name: str):
        """One request: returns (validated schema instance, input tokens, output tokens).
        Raises ProviderUnavailable or InvalidAnswer."""
        raise NotImplementedError

    def _traced_call(self, **request):
        """`_call` inside a client span (a no-op unless OpenTelemetry is configured): the SDKs' HTTP client is not
        instrumented, so this span is what shows a model call, its model and tokens, in a request's trace."""
        with _tracer.start_as_current_span(
            f"ai.{self.name} {request['tool_name']}",
            kind=SpanKind.CLIENT,
            attributes={"gen_ai.system": self.name, "gen_ai.request.model": self.model},
        ) as span:
            parsed, tokens_in, tokens_out = self._call(**request)
            span.set_attribute("gen_ai.usage.input_tokens", tokens_in)
            span.set_attribute("gen_ai.usage.output_tokens", tokens_out)
            return parsed, tokens_in, tokens_out

    def _each_chunk(self, chunks: list, request, progress) -> tuple[list, Usage]:
        """One call per chunk, `request(number, chunk)` giving its arguments, reporting progress after each:
        the parsed parts in order and the usage of them all."""
        usage = Usage(chunks=len(chunks))
        parts = []
        for number, chunk in enumerate(chunks, start=1):
            parsed, tokens_in, tokens_out = self._traced_call(**request(number, chunk))
            usage.add(tokens_in, tokens_out)
            parts.append(parsed)
            if progress:
                progress(number, len(chunks))
        return parts, usage

    def _budget(self, *fixed: str) -> int:
        return max(self.max_input_tokens - INSTRUCTION_TOKENS - sum(estimate_tokens(t) for t in fixed), 500)

    def extract(self, pages, *, template_sections=None, progress=None) -> Answer:
        pages = list(pages)
        refs = _doc_refs(pages)
        back = {ref: doc for doc, ref in refs.items()}
        outline = ""
        if template_sections:
            outline = "Follow this outline where the documents support it: " + json.dumps(
                [{"title": s.get("title", ""), "section_type": s.get("section_type", "")} for s in template_sections],
                ensure_ascii=False,
            )
        chunks = chunk_pages(pages, budget_tokens=self._budget(outline))

        def request(number: int, chunk) -> dict:
            block, marker = prompts.render_pieces(chunk, refs)
            where = f"part {number} of {len(chunks)} of " if len(chunks) > 1 else ""
            instruction = (
                f"Draft the scope sections found in {where}the client documents above, as the tool/schema asks. "
                f"{outline}"
            ).strip()
            return {
                "system": prompts.system_prompt(prompts.EXTRACT, [marker]),
                "data": [block],
                "instruction": instruction,
                "schema": schemas.Extraction,
                "tool_name": "record_scope",
            }

        parts, usage = self._each_chunk(chunks, request, progress)
        return Answer(merge_extractions(parts, back), usage)

    def suggest(self, section: dict, scope: dict) -> Answer:
        sections = scope.get("sections") or []
        refs = {str(s["id"]): f"s{i + 1}" for i, s in enumerate(sections)}
        refs.setdefault(str(section["id"]), f"s{len(refs) + 1}")
        scope_block, scope_marker = prompts.wrap_data(prompts.render_scope(scope, sections, refs), "SCOPE")
        target = json.dumps(
            {k: section.get(k, "") for k in ("section_type", "title", "content")} | {"ref": refs[str(section["id"])]},
            ensure_ascii=False,
        )
        section_block, section_marker = prompts.wrap_data(target, "SECTION TO IMPROVE")
        usage = Usage(chunks=1)
        parsed, tokens_in, tokens_out = self._traced_call(
            system=prompts.system_prompt(prompts.SUGGEST, [scope_marker, section_marker]),
            data=[scope_block, section_block],
            instruction="Give 3 to 5 suggestions for the section to improve, as the tool/schema asks.",
            schema=schemas.Suggestions,
            tool_name="record_suggestions",
        )
        usage.add(tokens_in, tokens_out)
        return Answer({"suggestions": [s.model_dump() for s in parsed.suggestions]}, usage)

    def analyze(self, scope: dict, sections: list[dict], pages, *, progress=None) -> Answer:
        pages = list(pages)
        section_refs = {str(s["id"]): f"s{i + 1}" for i, s in enumerate(sections)}
        back_sections = {ref: sid for sid, ref in section_refs.items()}
        refs = _doc_refs(pages)
        back_docs = {ref: doc for doc, ref in refs.items()}
        scope_block, scope_marker = prompts.wrap_data(prompts.render_scope(scope, sections, section_refs), "SCOPE")
        chunks = chunk_pages(pages, budget_tokens=self._budget(scope_block)) if pages else [[]]

        def request(number: int, chunk) -> dict:
            data, markers = [scope_block], [scope_marker]
            if chunk:
                block, marker = prompts.render_pieces(chunk, refs)
                data.append(block)
                markers.append(marker)
            where = f" (documents part {number} of {len(chunks)})" if len(chunks) > 1 else ""
            return {
                "system": prompts.system_prompt(prompts.ANALYZE, markers),
                "data": data,
                "instruction": f"Analyze the scope against the client documents{where}, as the tool/schema asks.",
                "schema": schemas.Analysis,
                "tool_name": "record_analysis",
            }

        parts, usage = self._each_chunk(chunks, request, progress)
        return Answer(merge_analyses(parts, back_docs, back_sections), usage)
