"""The local-storage path over real HTTP, as `scripts/run` serves it: a real gunicorn on a port other than 8000
with no API_PUBLIC_URL configured, a plain `requests` PUT to the signed URL the API returned, confirm,
processing, and a signed download. The links must follow the host and port the request came in on."""

import pytest
import requests

from documents.models import Document
from documents.tests import samples
from orbit.testing import free_port, serve


@pytest.mark.django_db(transaction=True)
def test_upload_flow_on_a_non_default_port(make_client, workspace, tmp_path):
    port = free_port()
    assert port != 8000
    owner = make_client(workspace.owner)
    auth = {"Authorization": owner._credentials["HTTP_AUTHORIZATION"]}
    data = samples.structured_docx()
    docx_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    with serve(port=port, API_PUBLIC_URL="", MEDIA_ROOT=str(tmp_path)) as server:
        base = f"{server}/api/workspaces/{workspace.id}/documents/"
        asked = requests.post(
            base,
            json={"filename": "brief.docx", "size": len(data), "content_type": docx_type},
            headers=auth,
            timeout=10,
        )
        assert asked.status_code == 201, asked.text
        upload = asked.json()["upload"]
        assert upload["url"].startswith(f"http://127.0.0.1:{port}/api/blobs/?token=")
        put = requests.put(upload["url"], data=data, headers=upload["headers"], timeout=10)  # no login, just the URL
        assert put.status_code == 200, put.text

        document_id = asked.json()["document"]["id"]
        confirmed = requests.post(f"{base}{document_id}/confirm/", headers=auth, timeout=60)
        assert confirmed.status_code == 200, confirmed.text
        detail = requests.get(f"{base}{document_id}/", headers=auth, timeout=10).json()
        assert detail["status"] == "completed"
        assert detail["detected_type"] == docx_type
        text = requests.get(f"{base}{document_id}/text/", headers=auth, timeout=10).json()["text"]
        assert "## Deliverables" in text
        assert "| Design | 12000 |" in text

        link = requests.get(f"{base}{document_id}/download/", headers=auth, timeout=10).json()
        assert link["url"].startswith(f"http://127.0.0.1:{port}/api/blobs/?token=")
        downloaded = requests.get(link["url"], timeout=10)
        assert downloaded.status_code == 200
        assert downloaded.content == data
        assert 'filename="brief.docx"' in downloaded.headers["Content-Disposition"]
        # Another host name for the same server gets links on that host.
        via_localhost = requests.get(
            f"http://localhost:{port}/api/workspaces/{workspace.id}/documents/{document_id}/download/",
            headers=auth,
            timeout=10,
        ).json()
        assert via_localhost["url"].startswith(f"http://localhost:{port}/api/blobs/")
    assert Document.objects.get(pk=document_id).pages.count() == 1
    assert (tmp_path / Document.objects.get(pk=document_id).storage_key).read_bytes() == data


def test_configured_public_url_wins_over_the_request(member, workspace, settings, local_storage):
    from django.core.files.base import ContentFile

    from documents.tests.factories import DocumentFactory

    settings.API_PUBLIC_URL = "https://api.orbit.example"
    document = DocumentFactory(workspace=workspace)
    local_storage.save(document.storage_key, ContentFile(b"x"))
    link = member("viewer").get(f"/api/workspaces/{workspace.id}/documents/{document.id}/download/").json()
    assert link["url"].startswith("https://api.orbit.example/api/blobs/?token=")
