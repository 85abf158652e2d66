from rest_framework import pagination


class CursorPagination(pagination.CursorPagination):
    """`?cursor=&limit=`, newest first unless the view or `?ordering=` says otherwise."""

    page_size = 25
    page_size_query_param = "limit"
    max_page_size = 100
    ordering = "-created_at"
