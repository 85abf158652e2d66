"""The content-addressed result cache: the same input (documents' content, or the scope's), provider, model,
template and prompt version give the stored answer instead of a second paid call.

Stored answers name documents by their position in the run's document list ("#0", "#1"), so a hit from an
earlier run over the same files (even re-uploaded, with new ids) is remapped to the asking run's documents.
"""

import hashlib
import json

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from ai.models import AIResultCache
from ai.providers.prompts import PROMPT_VERSION


def digest(value) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str, ensure_ascii=False).encode()).hexdigest()


def documents_digest(documents, pages) -> str:
    """The documents' file hashes and stored page text, in the run's order."""
    texts: dict[str, list] = {}
    for page in pages:
        texts.setdefault(str(page.document_id), []).append([page.page, page.text])
    return digest([[d.sha256, texts.get(str(d.id), [])] for d in documents])


def key_for(run, *, content: str, extra=None) -> str:
    """The key of `run`'s answer: its workspace, kind, provider and model, the input's `content` digest, `extra`
    (the template, for extraction) and the prompt version."""
    return digest(
        {
            "workspace": str(run.workspace_id),
            "kind": run.kind,
            "provider": run.provider,
            "model": run.model,
            "content": content,
            "extra": extra,
            "prompt": PROMPT_VERSION,
        }
    )


def _map_ids(value, mapping: dict):
    if isinstance(value, list):
        return [_map_ids(item, mapping) for item in value]
    if isinstance(value, dict):
        out = {key: _map_ids(item, mapping) for key, item in value.items()}
        if "document_id" in out and str(out["document_id"]) in mapping:
            out["document_id"] = mapping[str(out["document_id"])]
        return out
    return value


def get(key: str, document_ids: list[str]) -> AIResultCache | None:
    entry = AIResultCache.objects.filter(key=key).first()
    if entry is None:
        return None
    AIResultCache.objects.filter(pk=entry.pk).update(hits=F("hits") + 1, last_hit_at=timezone.now())
    entry.result = _map_ids(entry.result, {f"#{i}": doc for i, doc in enumerate(document_ids)})
    return entry


def put(run, *, key: str, result, document_ids: list[str], usage) -> None:
    """Store `run`'s answer under `key`, with the run's workspace, kind, provider and model."""
    stored = _map_ids(result, {doc: f"#{i}" for i, doc in enumerate(document_ids)})
    try:
        with transaction.atomic():
            AIResultCache.objects.create(
                key=key,
                workspace_id=run.workspace_id,
                kind=run.kind,
                provider=run.provider,
                model=run.model,
                prompt_version=PROMPT_VERSION,
                result=stored,
                input_tokens=usage.input_tokens,
                output_tokens=usage.output_tokens,
            )
    except IntegrityError:
        pass  # a concurrent run stored the same answer first
