import binascii
from base64 import b64decode
from urllib import parse

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import pagination
from rest_framework.exceptions import NotFound, ValidationError

INVALID_CURSOR = "Invalid cursor: use the `next` or `previous` link of a page as it is."
# The keys DRF's CursorPagination.encode_cursor writes; a cursor with none of them was not made by us.
_CURSOR_KEYS = {"o", "r", "p"}


class CursorPagination(pagination.CursorPagination):
    """`?cursor=&limit=`, newest first unless the view or `?ordering=` says otherwise.

    Every parameter parses or is a 400 `validation_error` naming it: `limit` is a whole number from 1 to
    `max_page_size` (an empty `limit=` means the default); `cursor` is exactly what a `next`/`previous` link
    carried. A mangled cursor is a bad parameter, not a missing list (DRF answers 404), not the first page (DRF
    reads undecodable base64 as "no cursor") and not a server error (a forged position that is not a valid
    value of the ordering field).
    """

    page_size = 25
    page_size_query_param = "limit"
    max_page_size = 100
    ordering = "-created_at"

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if not raw:
            return self.page_size
        if not (raw.isascii() and raw.isdecimal() and len(raw) <= 6 and 1 <= int(raw) <= self.max_page_size):
            raise ValidationError(
                {self.page_size_query_param: [f"A whole number from 1 to {self.max_page_size}, not {raw[:20]!r}."]}
            )
        return int(raw)

    def decode_cursor(self, request):
        encoded = request.query_params.get(self.cursor_query_param)
        if not encoded:
            return None
        try:
            querystring = b64decode(encoded.encode("ascii"), validate=True).decode("ascii")
            tokens = parse.parse_qs(querystring, keep_blank_values=True, strict_parsing=True)
        except (UnicodeError, binascii.Error, ValueError) as exc:
            raise ValidationError({self.cursor_query_param: [INVALID_CURSOR]}) from exc
        if not tokens or not set(tokens) <= _CURSOR_KEYS:
            raise ValidationError({self.cursor_query_param: [INVALID_CURSOR]})
        try:
            return super().decode_cursor(request)
        except NotFound as exc:
            raise ValidationError({self.cursor_query_param: [INVALID_CURSOR]}) from exc

    def paginate_queryset(self, queryset, request, view=None):
        try:
            return super().paginate_queryset(queryset, request, view)
        except (DjangoValidationError, ValueError, TypeError, OverflowError) as exc:
            if not request.query_params.get(self.cursor_query_param):
                raise
            raise ValidationError({self.cursor_query_param: [INVALID_CURSOR]}) from exc

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": self.max_page_size}
                parameter["description"] = f"Results per page, 1 to {self.max_page_size} (default {self.page_size})."
            elif parameter["name"] == self.cursor_query_param:
                parameter["description"] = "Opaque: the cursor of a `next` or `previous` link, as it is."
        return parameters
