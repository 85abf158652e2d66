"""The built-in engine: deterministic, offline, no key, no network, no database.

    extract(pages, template_sections=None) -> {"title", "summary", "sections": [...]}
    suggest(section, scope) -> [{"kind", "rationale", "proposed_content"}] (3–5)
    analyze(scope, sections, pages) -> {"risks", "gaps", "coverage", "questions"}

`pages` are ai.inputs.SourcePage. Every quote in `sources` is a verbatim substring of its page's text.
"""

from ai.builtin.extractor import extract
from ai.builtin.review import analyze, suggest

__all__ = ["analyze", "extract", "suggest"]
