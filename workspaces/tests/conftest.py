import pytest

from orbit.testing import assert_error


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed():` runs the on-commit callbacks (mails) of what happens inside, as a real commit would."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run


def error_code(response) -> str:
    return response.json()["error"]["code"]


def role_answer(response, expected: int) -> None:
    """A role-table cell: the success status the table allows, or a 403 `permission_denied` envelope."""
    if expected == 403:
        assert_error(response, 403, "permission_denied")
    else:
        assert response.status_code == expected, response.content


@pytest.fixture
def pro(workspace):
    """Room for a few more seats than Free's two."""
    workspace.plan = "pro"
    workspace.save()
    return workspace
