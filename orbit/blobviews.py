"""The local stand-in for S3's presigned URLs: `/api/blobs/?token=...` receives a PUT and answers a GET, authorised
by the signed, short-lived token alone (see orbit.blobstore). It holds clients to what S3 checks too (the signed
Content-Type and length, the expiry), so a client that works locally works on S3. With S3 storage it is closed."""

import tempfile

from django.conf import settings
from django.http import FileResponse
from django.utils.module_loading import import_string
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from orbit.blobstore import (
    CHUNK,
    SPOOL_BYTES,
    BadLink,
    BlobMissing,
    BlobUnavailable,
    ExpiredLink,
    LocalBlobStore,
    SignedRequest,
    attachment_header,
    get_blob_store,
)
from orbit.errors import LengthRequired, NotFound, PayloadTooLarge, PermissionDenied, ServiceUnavailable


def _local_store() -> LocalBlobStore:
    store = get_blob_store()
    if not isinstance(store, LocalBlobStore):
        raise NotFound()
    return store


def verify_link(token: str, *, op: str) -> SignedRequest:
    try:
        return LocalBlobStore.verify(token, op=op)
    except ExpiredLink as exc:
        raise PermissionDenied("This link has expired; ask for a new one.") from exc
    except BadLink as exc:
        # The same answer as a missing object: a bad signature reveals nothing.
        raise NotFound() from exc


def _guard_upload(key: str) -> None:
    """Let the app owning the key refuse the bytes (BLOB_UPLOAD_GUARDS: key prefix -> dotted path of a callable)."""
    for prefix, path in settings.BLOB_UPLOAD_GUARDS.items():
        if key.startswith(prefix):
            import_string(path)(key)


def _too_large(size: int, signed: SignedRequest) -> PayloadTooLarge:
    return PayloadTooLarge(
        f"The upload is {size} bytes but {signed.size} were declared when asking for it; "
        "ask for a new upload with the file's real size.",
        details={"limit": signed.size, "size": size, "limit_name": "declared_size"},
    )


def receive_upload(*, token: str, stream, declared_length: int | None, content_type: str | None) -> SignedRequest:
    """Check a local PUT as S3 would check a presigned one, then store its body (never more than was signed)."""
    store = _local_store()
    signed = verify_link(token, op="put")
    _guard_upload(signed.key)
    if content_type is not None and content_type.split(";")[0].strip().lower() != signed.content_type:
        # S3 answers 403 SignatureDoesNotMatch: the Content-Type is part of the presigned request.
        raise PermissionDenied(
            f"Send the file with the headers the upload gave (Content-Type: {signed.content_type}).",
            details={"expected_content_type": signed.content_type, "content_type": content_type},
        )
    if declared_length is None:
        # Django reads no body without a length (a chunked PUT would silently store an empty file); S3 answers
        # a PUT without Content-Length with 411 too.
        raise LengthRequired("Send the file with a Content-Length header (chunked uploads are not accepted).")
    if declared_length > signed.size:
        raise _too_large(declared_length, signed)
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as buffer:
        total = 0
        while chunk := stream.read(CHUNK):
            total += len(chunk)
            if total > signed.size:  # a Content-Length that understates the body: stop reading at the cap
                raise _too_large(total, signed)
            buffer.write(chunk)
        try:
            store.put(signed.key, buffer, content_type=signed.content_type)
        except (BlobUnavailable, OSError) as exc:
            raise ServiceUnavailable() from exc
    return signed


def _content_length(meta) -> int | None:
    """The body's length; None when it is unknown (chunked, or a malformed header)."""
    length = meta.get("CONTENT_LENGTH")
    if length:
        return int(length) if length.isascii() and length.isdecimal() else None
    # Without Content-Length and Transfer-Encoding an HTTP/1.1 request has no body.
    return None if meta.get("HTTP_TRANSFER_ENCODING") else 0


class BlobView(APIView):
    """PUT receives an upload, GET serves a download, both authorised by the signed `token` in the URL."""

    authentication_classes = []
    permission_classes = [AllowAny]
    schema = None  # not part of the public API; clients only follow URLs the API hands out

    def put(self, request):
        receive_upload(
            token=request.query_params.get("token", ""),
            stream=request._request,
            declared_length=_content_length(request.META),
            content_type=request.META.get("CONTENT_TYPE", ""),
        )
        return Response(status=status.HTTP_200_OK)

    def get(self, request):
        store = _local_store()
        signed = verify_link(request.query_params.get("token", ""), op="get")
        try:
            handle = store.open(signed.key)
        except BlobMissing as exc:
            raise NotFound("The file is no longer stored.") from exc
        except BlobUnavailable as exc:
            raise ServiceUnavailable() from exc
        response = FileResponse(handle, content_type=signed.content_type)
        response["Content-Disposition"] = attachment_header(signed.filename or signed.key.rsplit("/", 1)[-1])
        return response
