"""The S3 store (any S3-compatible endpoint): django-storages' S3 backend's bucket and boto3 client, with
presigned PUT and GET links."""

from orbit.blobstore.base import CHUNK, BlobMissing, BlobStore, BlobUnavailable, Link, attachment_header


def _transient(exc: Exception) -> bool:
    from botocore.exceptions import (
        ClientError,
        ConnectionError,
        EndpointConnectionError,
        ReadTimeoutError,
        ResponseStreamingError,
    )

    if isinstance(exc, (ConnectionError, EndpointConnectionError, ReadTimeoutError, ResponseStreamingError, OSError)):
        return True
    if isinstance(exc, ClientError):
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0
        return status >= 500 or exc.response.get("Error", {}).get("Code") in ("SlowDown", "RequestTimeout")
    return False


def _s3_call(fn, *args, **kwargs):
    """Call boto3, translating a missing object to BlobMissing and an outage to BlobUnavailable."""
    from botocore.exceptions import ClientError

    try:
        return fn(*args, **kwargs)
    except Exception as exc:
        if isinstance(exc, ClientError) and exc.response.get("Error", {}).get("Code") in (
            "404",
            "NoSuchKey",
            "NotFound",
        ):
            raise BlobMissing(str(exc)) from exc
        if _transient(exc):
            raise BlobUnavailable(str(exc)) from exc
        raise


class S3BlobStore(BlobStore):
    """Objects in the bucket of django-storages' S3 backend, through its boto3 client (presigned PUT and GET)."""

    def __init__(self, storage):
        self.storage = storage

    @property
    def _client(self):
        return self.storage.connection.meta.client

    @property
    def _bucket(self) -> str:
        return self.storage.bucket_name

    def object_key(self, key: str) -> str:
        """The bucket key of `key`: the storage's `location` prefix joined the way django-storages joins it."""
        from storages.utils import clean_name, safe_join

        return safe_join(self.storage.location, clean_name(key)).lstrip("/")

    def put(self, key, stream, *, content_type="application/octet-stream"):
        stream.seek(0)
        _s3_call(
            self._client.upload_fileobj,
            stream,
            self._bucket,
            self.object_key(key),
            ExtraArgs={"ContentType": content_type},
        )

    def open(self, key):
        return _s3_call(self._client.get_object, Bucket=self._bucket, Key=self.object_key(key))["Body"]

    def chunks(self, key):
        body = self.open(key)
        try:
            while chunk := _s3_call(body.read, CHUNK):
                yield chunk
        finally:
            body.close()

    def size(self, key):
        head = _s3_call(self._client.head_object, Bucket=self._bucket, Key=self.object_key(key))
        return int(head["ContentLength"])

    def delete(self, key):
        try:
            _s3_call(self._client.delete_object, Bucket=self._bucket, Key=self.object_key(key))
        except BlobMissing:
            pass

    def _presigned(self, operation: str, method: str, key: str, *, ttl: int, **params) -> str:
        """A presigned URL for `operation` on `key`, signing the extra `params` too."""
        return self._client.generate_presigned_url(
            operation,
            Params={"Bucket": self._bucket, "Key": self.object_key(key), **params},
            ExpiresIn=ttl,
            HttpMethod=method,
        )

    def signed_upload_url(self, key, *, content_type, size, expires_in=None, request=None):
        ttl, expires_at = self._expiry(expires_in)
        # ContentLength is signed, so S3 refuses a body of any other length than the size declared when asking.
        url = self._presigned("put_object", "PUT", key, ttl=ttl, ContentType=content_type, ContentLength=size)
        return Link(url=url, method="PUT", headers={"Content-Type": content_type}, expires_at=expires_at)

    def signed_download_url(self, key, *, filename, content_type, expires_in=None, request=None):
        ttl, expires_at = self._expiry(expires_in)
        url = self._presigned(
            "get_object",
            "GET",
            key,
            ttl=ttl,
            ResponseContentDisposition=attachment_header(filename),
            ResponseContentType=content_type or "application/octet-stream",
        )
        return Link(url=url, method="GET", headers={}, expires_at=expires_at)
