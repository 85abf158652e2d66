import pytest

from templates.tests.factories import seed_public_templates


@pytest.fixture(autouse=True)
def public_templates(db):
    seed_public_templates()
