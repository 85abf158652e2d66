import django_filters

from documents.models import Document


class DocumentFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(
        choices=Document.Status.choices, help_text="One or more statuses: ?status=failed&status=processing."
    )
    detected_type = django_filters.CharFilter(help_text='The type decided from the bytes, e.g. "application/pdf".')
    uploaded_by = django_filters.UUIDFilter(field_name="uploaded_by_id")
    project = django_filters.UUIDFilter(field_name="project_id")
    scope = django_filters.UUIDFilter(field_name="scope_id")

    class Meta:
        model = Document
        fields = ["status", "detected_type", "uploaded_by", "project", "scope"]
