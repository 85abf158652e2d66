"""The local-storage path over real HTTP: a running Orbit (live_server), a plain `requests` PUT to the signed
URL the API returned, confirm, processing in the on-commit task, and a signed download."""

import pytest
import requests

from documents.models import Document
from documents.tests import samples


@pytest.mark.django_db(transaction=True)
def test_local_upload_and_download_over_http(live_server, settings, make_client, workspace):
    settings.API_PUBLIC_URL = live_server.url
    owner = make_client(workspace.owner)
    auth = {"Authorization": owner._credentials["HTTP_AUTHORIZATION"]}
    base = f"{live_server.url}/api/workspaces/{workspace.id}/documents/"
    data = samples.structured_docx()
    docx_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

    asked = requests.post(
        base, json={"filename": "brief.docx", "size": len(data), "content_type": docx_type}, headers=auth, timeout=10
    )
    assert asked.status_code == 201, asked.text
    upload = asked.json()["upload"]
    assert upload["url"].startswith(live_server.url)
    put = requests.put(upload["url"], data=data, headers=upload["headers"], timeout=10)  # no login, just the URL
    assert put.status_code == 200, put.text

    document_id = asked.json()["document"]["id"]
    confirmed = requests.post(f"{base}{document_id}/confirm", headers=auth, timeout=60)
    assert confirmed.status_code == 200, confirmed.text
    detail = requests.get(f"{base}{document_id}/", headers=auth, timeout=10).json()
    assert detail["status"] == "completed"
    assert detail["detected_type"] == docx_type
    text = requests.get(f"{base}{document_id}/text", headers=auth, timeout=10).json()["text"]
    assert "## Deliverables" in text
    assert "| Design | 12000 |" in text

    link = requests.get(f"{base}{document_id}/download", headers=auth, timeout=10).json()
    downloaded = requests.get(link["url"], timeout=10)
    assert downloaded.status_code == 200
    assert downloaded.content == data
    assert 'filename="brief.docx"' in downloaded.headers["Content-Disposition"]
    assert Document.objects.get(pk=document_id).pages.count() == 1
