import factory

from exports.models import Export
from scopes.tests.factories import ScopeFactory
from workspaces.tests.factories import WorkspaceFactory


class ExportFactory(factory.django.DjangoModelFactory):
    """`ExportFactory(workspace=ws)` makes its scope in `ws` too."""

    class Meta:
        model = Export

    workspace = factory.SubFactory(WorkspaceFactory)
    scope = factory.SubFactory(ScopeFactory, workspace=factory.SelfAttribute("..workspace"))
    format = Export.Format.PDF
    options = factory.LazyFunction(dict)
    content_hash = factory.Sequence(lambda n: f"{n:064x}")
    status = Export.Status.QUEUED
    branding = factory.LazyFunction(lambda: {"plan": "free", "custom": False, "color": "#2B3A4F", "logo_url": ""})
