import django_filters
from django import forms

from workspaces.activity import TARGET_TYPES
from workspaces.models import ActivityEvent


class VerbPrefixField(forms.CharField):
    """A prefix that at least one `ActivityEvent.Verb` starts with: a misspelt prefix is a 400, not an empty feed."""

    def validate(self, value):
        super().validate(value)
        if value and not any(verb.startswith(value) for verb in ActivityEvent.Verb.values):
            raise forms.ValidationError("No activity verb starts with this.")


class VerbPrefixFilter(django_filters.CharFilter):
    field_class = VerbPrefixField


class ActivityEventFilter(django_filters.FilterSet):
    verb = django_filters.ChoiceFilter(
        choices=ActivityEvent.Verb.choices, help_text='Exact verb, e.g. "member.joined".'
    )
    verb_prefix = VerbPrefixFilter(
        field_name="verb", lookup_expr="startswith", help_text='Verbs starting with this, e.g. "member.".'
    )
    actor = django_filters.UUIDFilter(field_name="actor_id", help_text="The acting user's id.")
    target_type = django_filters.ChoiceFilter(
        choices=[(t, t) for t in TARGET_TYPES if t], help_text='Model label of the target, e.g. "scopes.scope".'
    )
    target_id = django_filters.CharFilter()

    class Meta:
        model = ActivityEvent
        fields = ["verb", "verb_prefix", "actor", "target_type", "target_id"]
