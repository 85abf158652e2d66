from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.api.serializers import UserSummarySerializer
from orbit.errors import MAX_DESCRIPTION, MAX_QUOTE, MAX_SECTION_CONTENT, MAX_SOURCES, MAX_SUMMARY, MAX_TITLE
from orbit.schema import stored_json
from orbit.serializers import ReadOnlyModelSerializer
from scopes.api.shapes import AI_ANALYSIS
from scopes.models import Comment, Project, Scope, ScopeSection


# --- Projects --------------------------------------------------------------------------------------
class ProjectSerializer(ReadOnlyModelSerializer):
    class Meta:
        model = Project
        fields = ["id", "name", "client_name", "description", "status", "created_at", "updated_at"]


class ProjectInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    client_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    description = serializers.CharField(max_length=MAX_DESCRIPTION, required=False, allow_blank=True)


# --- Sections --------------------------------------------------------------------------------------
class SourceSerializer(serializers.Serializer):
    document_id = serializers.UUIDField()
    page = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    quote = serializers.CharField(max_length=MAX_QUOTE, required=False, allow_blank=True)

    def validate(self, attrs):
        # A PATCH makes nested fields optional too; a source still always names its document.
        if "document_id" not in attrs:
            raise serializers.ValidationError({"document_id": [serializers.Field.default_error_messages["required"]]})
        return attrs


class SectionSerializer(ReadOnlyModelSerializer):
    comment_count = serializers.IntegerField(read_only=True, required=False)
    sources = stored_json(SourceSerializer(many=True, max_length=MAX_SOURCES), read_only=True)  # as requests take them

    class Meta:
        model = ScopeSection
        fields = [
            "id",
            "section_type",
            "title",
            "content",
            "position",
            "confidence",
            "ai_generated",
            "sources",
            "version",
            "comment_count",
            "created_at",
            "updated_at",
        ]


class SectionInputSerializer(serializers.Serializer):
    section_type = serializers.ChoiceField(choices=ScopeSection.SectionType.choices, required=False)
    title = serializers.CharField(max_length=MAX_TITLE)
    content = serializers.CharField(max_length=MAX_SECTION_CONTENT, required=False, allow_blank=True)
    confidence = serializers.FloatField(min_value=0.0, max_value=1.0, required=False, allow_null=True)
    ai_generated = serializers.BooleanField(required=False)
    sources = SourceSerializer(many=True, required=False, max_length=MAX_SOURCES)

    def to_internal_value(self, data):
        values = super().to_internal_value(data)
        if "sources" in values:  # JSON-ready: UUIDs as strings
            values["sources"] = [{**source, "document_id": str(source["document_id"])} for source in values["sources"]]
        return values


class ReorderSerializer(serializers.Serializer):
    order = serializers.ListField(
        child=serializers.UUIDField(),
        allow_empty=True,
        help_text="Every section id of the scope, each once, in the new order: its length is the scope's section "
        "count (no other maximum; any other list is a 400 naming `order`).",
    )


# --- Scopes ----------------------------------------------------------------------------------------
class ScopeSerializer(ReadOnlyModelSerializer):
    project = ProjectSerializer(read_only=True, allow_null=True)
    created_by = UserSummarySerializer(read_only=True, allow_null=True)
    is_favourite = serializers.BooleanField(read_only=True)
    section_count = serializers.IntegerField(read_only=True)
    open_comment_count = serializers.IntegerField(read_only=True)
    rank = serializers.SerializerMethodField()

    class Meta:
        model = Scope
        fields = [
            "id",
            "title",
            "client_name",
            "summary",
            "status",
            "confidence",
            "version",
            "project",
            "created_by",
            "is_favourite",
            "section_count",
            "open_comment_count",
            "rank",
            "deleted_at",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_rank(self, scope):
        """Search relevance, present when the list was searched with `q`."""
        return getattr(scope, "rank", None)


class ScopeDetailSerializer(ScopeSerializer):
    sections = SectionSerializer(many=True, read_only=True)
    ai_analysis = stored_json(AI_ANALYSIS, read_only=True)

    class Meta(ScopeSerializer.Meta):
        fields = [*ScopeSerializer.Meta.fields, "ai_analysis", "sections"]


class ScopeCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=MAX_TITLE, required=False, allow_blank=True)
    client_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    summary = serializers.CharField(max_length=MAX_SUMMARY, required=False, allow_blank=True)
    project_id = serializers.UUIDField(required=False, allow_null=True)
    template_id = serializers.UUIDField(required=False, allow_null=True)


class ScopeUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=MAX_TITLE)
    client_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    summary = serializers.CharField(max_length=MAX_SUMMARY, required=False, allow_blank=True)
    project_id = serializers.UUIDField(required=False, allow_null=True)


class TransitionSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Scope.Status.choices)


class DuplicateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=MAX_TITLE, required=False, allow_blank=True)


# --- Comments --------------------------------------------------------------------------------------
class ReplySerializer(ReadOnlyModelSerializer):
    author = UserSummarySerializer(read_only=True, allow_null=True)
    resolved_by = UserSummarySerializer(read_only=True, allow_null=True)
    is_deleted = serializers.SerializerMethodField()

    class Meta:
        model = Comment
        fields = [
            "id",
            "section_id",
            "parent_id",
            "author",
            "body",
            "resolved_at",
            "resolved_by",
            "is_deleted",
            "created_at",
            "updated_at",
        ]

    def get_is_deleted(self, comment) -> bool:
        return comment.deleted_at is not None


class CommentSerializer(ReplySerializer):
    """A thread: the first comment with its replies, oldest first."""

    replies = ReplySerializer(many=True, read_only=True)

    class Meta(ReplySerializer.Meta):
        fields = [*ReplySerializer.Meta.fields, "replies"]


class CommentCreateSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=10000)
    section_id = serializers.UUIDField(required=False, allow_null=True)
    parent_id = serializers.UUIDField(required=False, allow_null=True)


class CommentUpdateSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=10000)


# --- Favourites ------------------------------------------------------------------------------------
class FavouriteSerializer(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    scope = ScopeSerializer(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


class FavouriteCreateSerializer(serializers.Serializer):
    scope_id = serializers.UUIDField()
