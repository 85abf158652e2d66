import pytest

from ai.tests.standin import StandIn
from documents.tests.factories import DocumentFactory, DocumentPageFactory

BRIEF_PAGES = [
    "1. Background\nThe county runs a permit office with paper forms.\nThe office serves 40,000 residents a year.",
    "2. Scope of Work\nThe contractor shall build an online permit portal.\nThe portal must accept card payments.",
    "3. Deliverables\nA working portal, user documentation and training for 12 staff.\nDelivery by 30 June 2027.",
]


@pytest.fixture
def standin():
    server = StandIn()
    yield server
    server.stop()


@pytest.fixture
def fast_sdk(settings):
    """Short SDK timeouts so the retry tests stay quick (the SDK still retries exactly as in production)."""
    settings.AI_TIMEOUT = 1.0
    settings.AI_MAX_RETRIES = 2


@pytest.fixture
def openai_standin(settings, standin, fast_sdk):
    settings.AI_PROVIDER = "openai"
    settings.OPENAI_API_KEY = "sk-test-standin"
    settings.OPENAI_BASE_URL = f"{standin.url}/v1"
    settings.OPENAI_MODEL = "gpt-4o-mini"
    return standin


@pytest.fixture
def anthropic_standin(settings, standin, fast_sdk):
    settings.AI_PROVIDER = "anthropic"
    settings.ANTHROPIC_API_KEY = "sk-ant-test-standin"
    settings.ANTHROPIC_BASE_URL = standin.url
    settings.ANTHROPIC_MODEL = "claude-sonnet-4-6"
    return standin


def make_document(workspace, pages=BRIEF_PAGES, **fields):
    document = DocumentFactory(workspace=workspace, page_count=len(pages), sha256="a" * 64, **fields)
    for number, text in enumerate(pages, start=1):
        DocumentPageFactory(document=document, number=number, text=text)
    return document


@pytest.fixture
def brief(workspace):
    return make_document(workspace)


@pytest.fixture
def editor(member):
    return member("editor")


@pytest.fixture
def run_jobs(django_capture_on_commit_callbacks):
    """Runs the tasks queued on commit in-process (tests use django-q's sync mode), like a worker would."""

    def context():
        return django_capture_on_commit_callbacks(execute=True)

    return context
