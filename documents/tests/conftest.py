"""Storage for document tests: a private temporary folder by default, a real S3 API (moto's server on
127.0.0.1) for the S3 tests, and a helper that walks the whole browser flow over the API."""

import uuid

import boto3
import pytest
from django.core.files.storage import storages
from moto.server import ThreadedMotoServer

from orbit.testing import free_port

BUCKET = "orbit-test-documents"


@pytest.fixture(autouse=True)
def local_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }
    return storages["default"]


@pytest.fixture(scope="session")
def moto_endpoint():
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    boto3.client(
        "s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test"
    ).create_bucket(Bucket=BUCKET)
    yield endpoint
    server.stop()


def s3_storage_settings(endpoint: str, **extra) -> dict:
    from botocore.config import Config

    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": BUCKET,
            "endpoint_url": endpoint,
            "region_name": "us-east-1",
            "access_key": "test",
            "secret_key": "test",
            "signature_version": "s3v4",
            "addressing_style": "path",
            "querystring_auth": True,
            "querystring_expire": 300,
            "file_overwrite": False,
            "default_acl": None,
            "location": f"run-{uuid.uuid4().hex[:8]}",
            # A client_config replaces the one built from signature_version/addressing_style, so repeat them.
            "client_config": Config(
                signature_version="s3v4",
                s3={"addressing_style": "path"},
                retries={"max_attempts": 1, "mode": "standard"},
                connect_timeout=2,
                read_timeout=5,
            ),
            **extra,
        },
    }


@pytest.fixture
def s3_storage(settings, moto_endpoint):
    settings.STORAGES = {**settings.STORAGES, "default": s3_storage_settings(moto_endpoint)}
    return storages["default"]
