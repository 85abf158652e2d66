import pytest


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed():` runs the on-commit callbacks (mails) of what happens inside, as a real commit would."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run


def error_code(response) -> str:
    return response.json()["error"]["code"]
