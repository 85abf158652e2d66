"""Reads for scopes: one query per list page, whatever the number of rows (flags are subqueries; the section and
open-comment counts are columns of the scope, kept by scopes.counts)."""

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from orbit.errors import NotFound, not_in_workspace
from scopes.models import Comment, Favourite, Project, Scope, ScopeSection


def with_list_annotations(queryset: QuerySet, *, user) -> QuerySet:
    """`is_favourite` for `user`, with project and creator joined (`section_count` and `open_comment_count` are
    stored on the row)."""
    # The search vector is large and never shown; the rest of a scope is.
    return (
        queryset.select_related("project", "created_by")
        .defer("search_vector")
        .annotate(is_favourite=Exists(Favourite.objects.filter(user=user, scope=OuterRef("pk"))))
    )


def sections_queryset() -> QuerySet:
    return ScopeSection.objects.order_by("position").annotate(
        comment_count=Count("comments", filter=Q(comments__deleted_at__isnull=True))
    )


def with_detail(queryset: QuerySet, *, user) -> QuerySet:
    """List annotations plus the ordered sections, each with its comment count: two queries in all."""
    return with_list_annotations(queryset, user=user).prefetch_related(
        Prefetch("sections", queryset=sections_queryset())
    )


def get_scope(*, workspace, scope_id, trashed: bool = False, field: str | None = None) -> Scope:
    """A live (or, with `trashed`, a trashed) scope of `workspace`; anything else is 404 (naming the body `field`
    and the id when the id came from a request body)."""
    scopes = Scope.objects.filter(workspace=workspace)
    scopes = scopes.trashed() if trashed else scopes.alive()
    scope = scopes.select_related("workspace").filter(pk=scope_id).first()
    if scope is None:
        raise not_in_workspace(field, scope_id) if field else NotFound()
    return scope


def get_project(*, workspace, project_id) -> Project:
    """A project named in a request body: unknown or foreign ids are a 404 naming `project_id`."""
    project = Project.objects.filter(workspace=workspace, pk=project_id).first()
    if project is None:
        raise not_in_workspace("project_id", project_id)
    return project


def with_replies(queryset: QuerySet, *, roots_only: bool) -> QuerySet:
    """Comments with authors and replies prefetched (three queries per page); `roots_only` lists threads."""
    replies = Comment.objects.select_related("author", "resolved_by").order_by("created_at")
    if roots_only:
        queryset = queryset.filter(parent__isnull=True)
    return queryset.select_related("author", "resolved_by", "scope__workspace").prefetch_related(
        Prefetch("replies", queryset=replies)
    )


def scopes_created_since(workspace, since) -> int:
    """What the "scopes_per_month" limit counts.

    Trashed scopes count too: deleting one does not give the month's allowance back.
    """
    return Scope.objects.filter(workspace=workspace, created_at__gte=since).count()
