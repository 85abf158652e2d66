from django_filters import rest_framework as filters

from scopes import search
from scopes.models import Comment, Project, Scope


class ProjectFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=Project.Status.choices)

    class Meta:
        model = Project
        fields = ["status"]


class ScopeFilter(filters.FilterSet):
    project = filters.UUIDFilter(field_name="project_id")
    status = filters.MultipleChoiceFilter(choices=Scope.Status.choices)
    created_by = filters.UUIDFilter(field_name="created_by_id")
    favourite = filters.BooleanFilter(method="filter_favourite", help_text="Only the caller's favourites.")
    q = filters.CharFilter(
        method="filter_search", max_length=200, help_text="Full-text search; results are ranked by relevance."
    )
    trashed = filters.BooleanFilter(method="filter_trashed", help_text="List the trash instead (see also /trash/).")

    class Meta:
        model = Scope
        fields = ["project", "status", "created_by", "favourite", "q", "trashed"]

    def filter_favourite(self, queryset, name, value):
        return queryset.filter(is_favourite=value)

    def filter_search(self, queryset, name, value):
        return search.apply(queryset, value) if value.strip() else queryset

    def filter_trashed(self, queryset, name, value):
        return queryset  # the view picks live or trashed scopes before filtering


class CommentFilter(filters.FilterSet):
    section = filters.UUIDFilter(field_name="section_id")
    resolved = filters.BooleanFilter(field_name="resolved_at", lookup_expr="isnull", exclude=True)

    class Meta:
        model = Comment
        fields = ["section", "resolved"]
