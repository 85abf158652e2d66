"""The served auth spec says what Orbit's answers carry (issue 9: it typed the login `meta` as session_token and
access_token only, though Orbit adds refresh_token and expires_in)."""

import pytest
import yaml
from openapi_schema_validator import OAS30Validator

from accounts.tests.factories import UserFactory
from accounts.tests.helpers import signed_in

pytestmark = pytest.mark.django_db


def _meta_schema(spec: dict) -> dict:
    return {"$ref": "#/components/schemas/AuthenticationMeta", "components": spec["components"]}


def _documented(spec: dict, name: str) -> set[str]:
    schema = spec["components"]["schemas"][name]
    parts = [schema, *schema.get("allOf", [])]
    keys = set()
    for part in parts:
        if "$ref" in part:
            keys |= _documented(spec, part["$ref"].rsplit("/", 1)[1])
        keys |= set(part.get("properties", {}))
    return keys


def test_the_login_meta_orbit_sends_is_the_one_the_spec_documents(client):
    spec = client.get("/_allauth/openapi.json").json()
    _, meta = signed_in(UserFactory())
    assert {"refresh_token", "expires_in"} <= set(meta)
    assert set(meta) <= _documented(spec, "AuthenticationMeta")
    assert not list(OAS30Validator(_meta_schema(spec)).iter_errors(meta))
    types = spec["components"]["schemas"]["BaseAuthenticationMeta"]["properties"]
    assert (types["refresh_token"]["type"], types["expires_in"]["type"]) == ("string", "integer")
    assert list(OAS30Validator(_meta_schema(spec)).iter_errors({**meta, "expires_in": "soon"}))


def test_the_yaml_spec_says_the_same(client):
    response = client.get("/_allauth/openapi.yaml")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.oai.openapi"
    meta = yaml.safe_load(response.content)["components"]["schemas"]["BaseAuthenticationMeta"]
    assert {"refresh_token", "expires_in"} <= set(meta["properties"])
