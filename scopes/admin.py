from django.contrib import admin
from django.db import transaction

from orbit.admin import FixedRowsInline, NoAddAdmin
from scopes import counts, search
from scopes.models import Comment, Favourite, Project, Scope, ScopeSection
from scopes.services.sections import delete_section


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["name", "client_name", "workspace", "status", "created_at"]
    list_filter = ["status", "created_at"]
    search_fields = ["name", "client_name", "workspace__name", "workspace__slug"]
    list_select_related = ["workspace"]
    raw_id_fields = ["workspace"]


class ScopeSectionInline(FixedRowsInline):
    """Sections are edited in place here; adding, removing and reordering go through the API (positions stay dense)."""

    model = ScopeSection
    fields = ["position", "section_type", "title", "confidence", "ai_generated", "version"]
    readonly_fields = ["position", "version"]
    ordering = ["position"]


@admin.register(Scope)
class ScopeAdmin(admin.ModelAdmin):
    list_display = ["title", "workspace", "project", "status", "version", "created_by", "created_at", "deleted_at"]
    list_filter = ["status", ("deleted_at", admin.EmptyFieldListFilter), "created_at"]
    search_fields = ["title", "client_name", "summary", "workspace__name", "workspace__slug", "created_by__email"]
    list_select_related = ["workspace", "project", "created_by"]
    raw_id_fields = ["workspace", "project", "created_by"]
    readonly_fields = ["version", "section_count", "open_comment_count", "created_at", "updated_at"]
    exclude = ["search_vector"]
    inlines = [ScopeSectionInline]

    def save_model(self, request, obj, form, change):
        if change:  # an edit here is an edit: API clients holding the old ETag get 412
            obj.version += 1
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        search.refresh([form.instance.pk])


@admin.register(ScopeSection)
class ScopeSectionAdmin(NoAddAdmin):  # a section's place in its scope is the API's to give (positions 0..n-1)
    list_display = ["title", "scope", "position", "section_type", "confidence", "ai_generated", "version"]
    list_filter = ["section_type", "ai_generated"]
    search_fields = ["title", "content", "scope__title", "scope__workspace__name"]
    list_select_related = ["scope"]
    raw_id_fields = ["scope"]
    readonly_fields = ["scope", "position", "version"]

    def save_model(self, request, obj, form, change):
        obj.version += 1
        super().save_model(request, obj, form, change)
        search.refresh([obj.scope_id])

    @transaction.atomic
    def delete_model(self, request, obj):
        delete_section(section=obj, actor=request.user)  # closes the gap and refreshes the search vector

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        for section in queryset.select_related("scope__workspace").order_by("-position"):
            delete_section(section=section, actor=request.user)


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "scope", "author", "parent", "resolved_at", "deleted_at", "created_at"]
    list_filter = [
        ("resolved_at", admin.EmptyFieldListFilter),
        ("deleted_at", admin.EmptyFieldListFilter),
        "created_at",
    ]
    search_fields = ["body", "author__email", "scope__title"]
    list_select_related = ["scope", "author"]
    raw_id_fields = ["scope", "section", "parent", "author", "resolved_by"]

    # Adding, editing (resolved_at, deleted_at, the scope) and deleting comments here changes open-comment counts:
    # each write locks the scopes it touches (ordered, as the services lock one) and recounts them.
    @staticmethod
    def _locked(scope_ids) -> list:
        scope_ids = sorted({str(scope_id) for scope_id in scope_ids if scope_id is not None})
        list(Scope.objects.select_for_update().filter(pk__in=scope_ids).order_by("pk").values_list("pk", flat=True))
        return scope_ids

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        before = Comment.objects.filter(pk=obj.pk).values_list("scope_id", flat=True).first() if change else None
        scope_ids = self._locked([before, obj.scope_id])
        super().save_model(request, obj, form, change)
        counts.refresh(*scope_ids)

    @transaction.atomic
    def delete_model(self, request, obj):
        scope_ids = self._locked([obj.scope_id])
        super().delete_model(request, obj)
        counts.refresh(*scope_ids)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        scope_ids = self._locked(queryset.values_list("scope_id", flat=True))
        super().delete_queryset(request, queryset)
        counts.refresh(*scope_ids)


@admin.register(Favourite)
class FavouriteAdmin(admin.ModelAdmin):
    list_display = ["user", "scope", "created_at"]
    list_filter = ["created_at"]
    search_fields = ["user__email", "scope__title"]
    list_select_related = ["user", "scope"]
    raw_id_fields = ["user", "scope"]
