import pytest

from ai import cache
from ai.models import AIResultCache
from ai.providers import Usage
from ai.tests.factories import AIRunFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "change", [{"kind": "analyze"}, {"provider": "openai"}, {"model": "other-model"}], ids=lambda c: next(iter(c))
)
def test_key_changes_with_the_runs_identity(workspace, change):
    run = AIRunFactory(workspace=workspace)
    other = AIRunFactory(workspace=workspace, **change)
    assert cache.key_for(run, content="c") != cache.key_for(other, content="c")


def test_key_is_per_workspace_content_and_extra(workspace, other_workspace):
    run = AIRunFactory(workspace=workspace)
    key = cache.key_for(run, content="c")
    assert key == cache.key_for(AIRunFactory(workspace=workspace), content="c")
    assert key != cache.key_for(AIRunFactory(workspace=other_workspace), content="c")
    assert key != cache.key_for(run, content="d")
    assert key != cache.key_for(run, content="c", extra={"template": []})


def test_put_stores_the_runs_identity_and_get_remaps_documents(workspace):
    run = AIRunFactory(workspace=workspace, model="m-1")
    key = cache.key_for(run, content="c")
    cache.put(run, key=key, result={"document_id": "doc-a"}, document_ids=["doc-a"], usage=Usage(3, 4))
    entry = AIResultCache.objects.get(key=key)
    assert (entry.workspace_id, entry.kind, entry.provider, entry.model) == (
        workspace.id,
        run.kind,
        run.provider,
        "m-1",
    )
    assert (entry.result, entry.input_tokens, entry.output_tokens) == ({"document_id": "#0"}, 3, 4)
    assert cache.get(key, ["doc-b"]).result == {"document_id": "doc-b"}


def test_put_twice_keeps_the_first_answer(workspace):
    run = AIRunFactory(workspace=workspace)
    key = cache.key_for(run, content="c")
    cache.put(run, key=key, result={"n": 1}, document_ids=[], usage=Usage(1, 1))
    cache.put(run, key=key, result={"n": 2}, document_ids=[], usage=Usage(1, 1))
    assert AIResultCache.objects.get(key=key).result == {"n": 1}
