import importlib

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


def seed_public_templates() -> None:
    """Run the seeding data migration's function again (it is idempotent).

    Transactional tests flush every table when they finish, seeded rows included, so tests that rely on the
    public templates call this instead of trusting the migrated database.
    """
    from django.apps import apps

    migration = importlib.import_module("templates.migrations.0002_public_templates")
    migration.seed(apps, None)
