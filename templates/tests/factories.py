import factory

from templates.models import Template
from workspaces.tests.factories import WorkspaceFactory


class TemplateFactory(factory.django.DjangoModelFactory):
    """A workspace template; pass `workspace=None, is_public=True` for a public one."""

    class Meta:
        model = Template

    workspace = factory.SubFactory(WorkspaceFactory)
    name = factory.Sequence(lambda n: f"Template {n}")
    description = factory.Faker("sentence")
    category = "web"
    is_public = factory.LazyAttribute(lambda template: template.workspace is None)
    sections = factory.LazyFunction(
        lambda: [
            {"title": "Overview", "section_type": "overview", "content": "What the project is."},
            {"title": "Deliverables", "section_type": "deliverables", "content": "- One\n- Two"},
        ]
    )
