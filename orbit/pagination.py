from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import pagination
from rest_framework.exceptions import NotFound, ValidationError

INVALID_CURSOR = "Invalid cursor: use the `next` or `previous` link of a page as it is."


class CursorPagination(pagination.CursorPagination):
    """`?cursor=&limit=`, newest first unless the view or `?ordering=` says otherwise.

    A cursor the client mangled is a bad parameter (400 on `cursor`), not a missing list (DRF answers 404) nor a
    server error (a forged position that is not a valid value of the ordering field).
    """

    page_size = 25
    page_size_query_param = "limit"
    max_page_size = 100
    ordering = "-created_at"

    def decode_cursor(self, request):
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
