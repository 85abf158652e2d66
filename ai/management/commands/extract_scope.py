"""manage.py extract_scope FILE... [--provider builtin] [--json OUT]

Runs the documents app's reading and an AI provider's extraction on local files, writing nothing to the
database, and prints (or writes to OUT) {"<file name>": [{"title", "type", "content", "confidence", "sources"}]}
— the format ../shared/tools/score_headings.py reads. The answer goes through the same post-processing as a
run (quotes checked against the page text, text sanitised), so what is printed is what a scope would hold.
"""

import json
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ai.inputs import pages_for_file
from ai.postprocess import finish_extraction
from ai.providers import PROVIDERS, ProviderError, default_provider, get_provider
from documents.text_extraction import ExtractionFailed


class Command(BaseCommand):
    help = "Extract scope sections from local files (nothing is written to the database)."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--provider", choices=sorted(PROVIDERS), help="default: AI_PROVIDER")
        parser.add_argument("--model", help="the provider's model (default: its configured one)")
        parser.add_argument("--json", dest="out", metavar="OUT", help="write the JSON here instead of printing it")

    def handle(self, *args, files, provider=None, model=None, out=None, **options):
        name = provider or default_provider()
        try:
            engine = get_provider(name, model)
        except ProviderError as exc:
            raise CommandError(f"Provider {name!r} cannot be used: {exc.message}") from exc
        result: dict[str, list[dict]] = {}
        for file in files:
            path = Path(file)
            if not path.is_file():
                raise CommandError(f"{file}: no such file.")
            started = time.monotonic()
            try:
                pages = pages_for_file(path)
                answer = engine.extract(pages)
            except ExtractionFailed as exc:
                raise CommandError(f"{path.name}: {exc}") from exc
            except ProviderError as exc:
                raise CommandError(f"{path.name}: {exc.message}") from exc
            finished = finish_extraction(answer.data, pages)
            result[path.name] = [
                {
                    "title": s["title"],
                    "type": s["section_type"],
                    "content": s["content"],
                    "confidence": s["confidence"],
                    "sources": s["sources"],
                }
                for s in finished["sections"]
            ]
            self.stderr.write(
                f"{path.name}: {len(pages)} pages, {len(result[path.name])} sections "
                f"({name}, {time.monotonic() - started:.2f}s)"
            )
        text = json.dumps(result, indent=1, ensure_ascii=False)
        if out:
            Path(out).write_text(text + "\n", encoding="utf-8")
        else:
            self.stdout.write(text)
