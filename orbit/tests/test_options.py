"""OPTIONS on every route under /api/ is never a server error (issue 9: no 500 from a request any client may send;
browsers send OPTIONS, and schemathesis does). DRF builds the POST/PUT form of its OPTIONS answer from the view's
serializer, so a view that reads its body by hand still needs a `serializer_class`: billing checkout and portal had
none (an AssertionError 500, found by scripts/fuzz_api.sh), and the Swagger/ReDoc pages rendered OPTIONS with their
HTML renderer and no template (a 500)."""

import uuid

import pytest
from django.urls import reverse

from workspaces.tests.matrix_support import api_routes, url_for

OWN_FORMATS = {"api/docs/", "api/redoc/", "api/schema/"}  # HTML pages, and the schema in OpenAPI's media type


def _url(route, workspace) -> str:
    if route.scoped:
        return url_for(route, workspace, objects_in=workspace)
    if route.name is None:
        return f"/{route.pattern}"
    return reverse(route.name, kwargs={name: str(uuid.uuid4()) for name in route.kwargs})


@pytest.mark.django_db
@pytest.mark.parametrize("route", [pytest.param(r, id=r.pattern) for r in api_routes()])
def test_options_is_never_a_server_error(route, member, workspace):
    url = _url(route, workspace)
    response = member("owner").options(url)
    assert response.status_code < 500, f"OPTIONS {url} -> {response.status_code} {response.content[:300]}"
    if route.pattern not in OWN_FORMATS:
        assert response["Content-Type"].startswith("application/json"), (url, response["Content-Type"])


@pytest.mark.django_db
@pytest.mark.parametrize(("action", "fields"), [("checkout", {"plan", "cycle"}), ("portal", set())])
def test_billing_options_describe_the_post(action, fields, member, workspace):
    response = member("owner").options(reverse(f"billing-{action}", kwargs={"workspace_id": workspace.pk}))
    assert response.status_code == 200
    assert set(response.json()["actions"]["POST"]) == fields
