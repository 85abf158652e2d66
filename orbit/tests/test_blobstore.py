"""orbit.blobstore: the same behaviour from the local and the S3 store (moto's server over real HTTP), and the
local signed-URL endpoint's checks (the token is the only credential, like an S3 signature)."""

import io
import time
from urllib.parse import urlsplit

import pytest
import requests
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import FileSystemStorage
from rest_framework.test import APIClient

from documents.tests.conftest import moto_endpoint, s3_storage_settings  # noqa: F401 - the fixture
from orbit.blobstore import BlobMissing, LocalBlobStore, S3BlobStore, get_blob_store
from orbit.testing import assert_error


@pytest.fixture
def local(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }
    settings.API_PUBLIC_URL = ""
    return get_blob_store()


@pytest.fixture
def s3(settings, moto_endpoint):  # noqa: F811 - the imported fixture
    settings.STORAGES = {**settings.STORAGES, "default": s3_storage_settings(moto_endpoint)}
    return get_blob_store()


@pytest.fixture(params=["local", "s3"])
def store(request):
    return request.getfixturevalue(request.param)


def test_the_backend_is_chosen_from_storages(local, settings, moto_endpoint):  # noqa: F811
    assert isinstance(local, LocalBlobStore)
    assert get_blob_store() is local  # built once
    settings.STORAGES = {**settings.STORAGES, "default": s3_storage_settings(moto_endpoint)}
    assert isinstance(get_blob_store(), S3BlobStore)


def test_put_read_size_delete(store):
    key = "exports/w1/e1/scope.pdf"
    assert not store.exists(key)
    store.put_bytes(key, b"%PDF-1.7 first", content_type="application/pdf")
    store.put(key, io.BytesIO(b"%PDF-1.7 replaced"), content_type="application/pdf")
    assert store.size(key) == len(b"%PDF-1.7 replaced")
    assert store.exists(key)
    assert b"".join(store.chunks(key)) == b"%PDF-1.7 replaced"
    with store.open(key) as handle:
        assert handle.read() == b"%PDF-1.7 replaced"
    file, size, sha256 = store.download(key)
    with file:
        assert (file.read(), size, len(sha256)) == (b"%PDF-1.7 replaced", 17, 64)
    store.delete(key)
    store.delete(key)  # deleting a missing key is not an error
    assert not store.exists(key)
    for read in (store.size, lambda k: b"".join(store.chunks(k)), store.open):
        with pytest.raises(BlobMissing):
            read(key)


def test_s3_signed_urls_work_over_http(s3):
    key = "exports/w1/e1/scope.pdf"
    upload = s3.signed_upload_url(key, content_type="application/pdf", size=9)
    assert upload.method == "PUT"
    assert upload.headers == {"Content-Type": "application/pdf"}
    assert requests.put(upload.url, data=b"%PDF-body", headers=upload.headers, timeout=10).status_code == 200
    download = s3.signed_download_url(key, filename="Scope März.pdf", content_type="application/pdf", expires_in=60)
    response = requests.get(download.url, timeout=10)
    assert response.status_code == 200
    assert response.content == b"%PDF-body"
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''Scope%20M%C3%A4rz.pdf" in response.headers["Content-Disposition"]


def _path(link) -> str:
    parts = urlsplit(link.url)
    return f"{parts.path}?{parts.query}"


@pytest.mark.django_db
def test_local_signed_urls_round_trip(local, rf):
    key = "exports/w1/e1/scope.pdf"
    request = rf.get("/", HTTP_HOST="localhost:8123")
    upload = local.signed_upload_url(key, content_type="application/pdf", size=9, request=request)
    assert upload.url.startswith("http://localhost:8123/api/blobs/?token=")
    client = APIClient()
    assert client.generic("PUT", _path(upload), data=b"%PDF-body", content_type="application/pdf").status_code == 200
    download = local.signed_download_url(key, filename="Scope.pdf", content_type="application/pdf", request=request)
    response = client.get(_path(download))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-body"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Scope.pdf"'


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "put"])
@pytest.mark.parametrize("token", ["", "forged", "abc:def"])
def test_local_endpoint_refuses_unsigned_requests(local, method, token):
    local.put_bytes("exports/k", b"x")
    response = APIClient().generic(method.upper(), f"/api/blobs/?token={token}", data=b"x", content_type="text/plain")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert local.size("exports/k") == 1


@pytest.mark.django_db
def test_local_tokens_are_for_one_operation_and_expire(local, rf, monkeypatch):
    request = rf.get("/")
    upload = local.signed_upload_url("exports/k", content_type="text/plain", size=1, request=request)
    download = local.signed_download_url("exports/k", filename="k", content_type="text/plain", request=request)
    client = APIClient()
    assert_error(client.get(_path(upload)), 404, "not_found")  # a PUT token does not read
    assert_error(client.generic("PUT", _path(download), data=b"x", content_type="text/plain"), 404, "not_found")
    assert not local.exists("exports/k")
    later = time.time() + 301
    monkeypatch.setattr(time, "time", lambda: later)
    expired = client.generic("PUT", _path(upload), data=b"x", content_type="text/plain")
    assert expired.status_code == 403
    assert expired.json()["error"]["code"] == "permission_denied"
    assert not local.exists("exports/k")


@pytest.mark.django_db
def test_local_download_of_a_missing_object_is_not_found(local, rf):
    link = local.signed_download_url("exports/gone", filename="g", content_type="text/plain", request=rf.get("/"))
    response = APIClient().get(_path(link))
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.django_db
def test_local_endpoint_is_closed_when_storage_is_s3(s3, tmp_path, rf):
    link = LocalBlobStore(FileSystemStorage(location=tmp_path)).signed_upload_url(
        "exports/k", content_type="text/plain", size=1, request=rf.get("/")
    )
    response = APIClient().generic("PUT", _path(link), data=b"x", content_type="text/plain")
    assert_error(response, 404, "not_found")
    assert not s3.exists("exports/k")


def test_local_links_need_a_request_or_a_public_url(local, settings):
    with pytest.raises(ImproperlyConfigured, match="API_PUBLIC_URL"):
        local.signed_upload_url("exports/k", content_type="text/plain", size=1)
    settings.API_PUBLIC_URL = "https://api.orbit.example"
    assert local.signed_upload_url("exports/k", content_type="text/plain", size=1).url.startswith(
        "https://api.orbit.example/api/blobs/?token="
    )
