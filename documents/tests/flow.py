"""The browser's upload flow over the API, for tests: ask → send the bytes to the returned URL → confirm."""

from urllib.parse import urlsplit

import requests


def ask(client, workspace, *, filename: str, data: bytes, content_type: str, size: int | None = None):
    return client.post(
        f"/api/workspaces/{workspace.id}/documents/",
        {"filename": filename, "size": len(data) if size is None else size, "content_type": content_type},
        format="json",
    )


def put(upload: dict, data: bytes, *, client):
    """PUT the bytes to a local upload URL through the Django test client `client`; returns the response."""
    parts = urlsplit(upload["url"])
    content_type = upload["headers"].get("Content-Type", "application/octet-stream")
    return client.generic("PUT", f"{parts.path}?{parts.query}", data=data, content_type=content_type)


def send(upload: dict, data: bytes, *, client=None):
    """PUT the bytes where the API said. Local URLs go through the Django test client (`client`) unless it is None,
    in which case real HTTP is used (S3 presigned URLs, live_server)."""
    if client is None:
        response = requests.put(upload["url"], data=data, headers=upload["headers"], timeout=10)
        return response.status_code
    return put(upload, data, client=client).status_code


def confirm(client, workspace, document_id):
    return client.post(f"/api/workspaces/{workspace.id}/documents/{document_id}/confirm/")


def upload(client, workspace, *, filename: str, data: bytes, content_type: str, real_http: bool = False):
    """The whole flow; returns the confirm response. The bytes go through the test client unless `real_http`."""
    blob_client = None if real_http else client
    asked = ask(client, workspace, filename=filename, data=data, content_type=content_type)
    assert asked.status_code == 201, asked.json()
    status = send(asked.json()["upload"], data, client=blob_client)
    assert status == 200, status
    return confirm(client, workspace, asked.json()["document"]["id"])
