import factory

from ai.models import AIRun
from workspaces.tests.factories import WorkspaceFactory


class AIRunFactory(factory.django.DjangoModelFactory):
    """A finished builtin extract run (no scope): enough for lists, reads and the isolation matrix."""

    class Meta:
        model = AIRun

    workspace = factory.SubFactory(WorkspaceFactory)
    user = factory.SelfAttribute("workspace.owner")
    kind = AIRun.Kind.EXTRACT
    provider = "builtin"
    model = "orbit-builtin"
    status = AIRun.Status.SUCCEEDED
    progress = 100
    input_params = factory.LazyFunction(lambda: {"document_ids": []})
