import django_filters

from workspaces.models import ActivityEvent


class ActivityEventFilter(django_filters.FilterSet):
    verb = django_filters.CharFilter(help_text='Exact verb, e.g. "member.joined".')
    verb_prefix = django_filters.CharFilter(
        field_name="verb", lookup_expr="startswith", help_text='Verbs starting with this, e.g. "member.".'
    )
    actor = django_filters.UUIDFilter(field_name="actor_id", help_text="The acting user's id.")
    target_type = django_filters.CharFilter(help_text='Model label of the target, e.g. "scopes.scope".')
    target_id = django_filters.CharFilter()

    class Meta:
        model = ActivityEvent
        fields = ["verb", "verb_prefix", "actor", "target_type", "target_id"]
