"""The allauth headless specification Orbit serves (/_allauth/openapi.json and .yaml), saying what Orbit's token
strategy really adds: login, signup, email verification and token exchange answer `meta.refresh_token` and
`meta.expires_in` next to allauth's `session_token` and `access_token` (accounts.tokens.issue_token_pair)."""

import json

import yaml
from django.http import HttpResponse
from django.views.decorators.http import require_safe

from orbit.internals import allauth_spec

ORBIT_META = {
    "access_token": {
        "type": "string",
        "description": "simplejwt access token (`app` clients only): `Authorization: Bearer <access_token>` on /api/.",
    },
    "refresh_token": {
        "type": "string",
        "description": "simplejwt refresh token (`app` clients only), for `POST /_allauth/app/v1/tokens/refresh`. "
        "Added by Orbit.",
    },
    "expires_in": {
        "type": "integer",
        "description": "Lifetime of the access token in seconds (`app` clients only). Added by Orbit.",
    },
}


def orbit_spec() -> dict:
    spec = allauth_spec()
    meta = spec["components"]["schemas"]["BaseAuthenticationMeta"]
    meta["properties"].update(ORBIT_META)
    meta["description"] = (
        "Tokens of an `app` client's authentication: after login, signup and email verification (when they sign "
        "the user in) the access and refresh tokens come with the session token."
    )
    return spec


@require_safe
def spec_json(request):
    return HttpResponse(
        json.dumps(orbit_spec()),
        content_type="application/vnd.oai.openapi+json",
        headers={"Content-Disposition": "inline; filename=allauth-openapi.json"},
    )


@require_safe
def spec_yaml(request):
    return HttpResponse(
        yaml.dump(orbit_spec(), Dumper=yaml.Dumper),
        content_type="application/vnd.oai.openapi",
        headers={"Content-Disposition": "inline; filename=allauth-openapi.yaml"},
    )
