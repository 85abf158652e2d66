from rest_framework import serializers

from orbit.errors import MAX_DESCRIPTION, MAX_SECTION_CONTENT, MAX_TEMPLATE_SECTIONS, MAX_TITLE
from orbit.serializers import ReadOnlyModelSerializer
from scopes.models import ScopeSection
from templates.models import Template


class TemplateSectionSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=MAX_TITLE)
    section_type = serializers.ChoiceField(choices=ScopeSection.SectionType.choices, required=False)
    content = serializers.CharField(max_length=MAX_SECTION_CONTENT, required=False, allow_blank=True)


class TemplateSerializer(ReadOnlyModelSerializer):
    sections = TemplateSectionSerializer(many=True, read_only=True, max_length=MAX_TEMPLATE_SECTIONS)
    section_count = serializers.SerializerMethodField()

    class Meta:
        model = Template
        fields = [
            "id",
            "name",
            "description",
            "category",
            "is_public",
            "section_count",
            "sections",
            "created_at",
            "updated_at",
        ]

    def get_section_count(self, template) -> int:
        return len(template.sections)


class TemplateInputSerializer(serializers.Serializer):
    """Fields for a new or updated template; on create, `scope_id` copies an existing scope's sections instead."""

    name = serializers.CharField(max_length=200, required=False)
    description = serializers.CharField(max_length=MAX_DESCRIPTION, required=False, allow_blank=True)
    category = serializers.CharField(max_length=64, required=False, allow_blank=True)
    sections = TemplateSectionSerializer(many=True, required=False, max_length=MAX_TEMPLATE_SECTIONS)
    scope_id = serializers.UUIDField(required=False, write_only=True)


class ApplyTemplateSerializer(serializers.Serializer):
    scope_id = serializers.UUIDField()


class ApplyResultSerializer(serializers.Serializer):
    added = serializers.ListField(child=serializers.UUIDField(), help_text="Ids of the sections appended.")
    skipped = serializers.IntegerField(help_text="Template sections already in the scope (same title and content).")
