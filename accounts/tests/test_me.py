"""/api/me/: the signed-in user reads and edits their profile."""

import pytest

from orbit.testing import assert_error

pytestmark = pytest.mark.django_db


def test_get_and_patch(auth_client):
    response = auth_client.get("/api/me/")
    assert response.status_code == 200
    assert response.json()["email"] == auth_client.user.email
    patched = auth_client.patch(
        "/api/me/", {"full_name": "Grace Hopper", "avatar_url": "https://img.example.com/g.png"}
    )
    assert patched.status_code == 200
    assert patched.json()["full_name"] == "Grace Hopper"
    auth_client.user.refresh_from_db()
    assert auth_client.user.avatar_url == "https://img.example.com/g.png"


def test_email_is_read_only(auth_client):
    email = auth_client.user.email
    response = auth_client.patch("/api/me/", {"email": "other@example.com"})
    assert response.status_code == 200
    assert response.json()["email"] == email
    auth_client.user.refresh_from_db()
    assert auth_client.user.email == email


@pytest.mark.parametrize("body", [{"avatar_url": "not a url"}, {"full_name": "x" * 201}])
def test_invalid_patch_is_a_validation_error(auth_client, body):
    before = auth_client.user.full_name, auth_client.user.avatar_url
    assert set(assert_error(auth_client.patch("/api/me/", body), 400, "validation_error")) == set(body)
    auth_client.user.refresh_from_db()
    assert (auth_client.user.full_name, auth_client.user.avatar_url) == before


@pytest.mark.parametrize("method", ["get", "patch"])
def test_anonymous_is_401(api_client, method):
    assert_error(getattr(api_client, method)("/api/me/", {"full_name": "x"}), 401, "not_authenticated")
