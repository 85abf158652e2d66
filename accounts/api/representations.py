"""UserSummarySerializer's fields, for the `.values()` of the lean read paths that nest it (orbit.representations)."""

from accounts.api.serializers import UserSummarySerializer

USER_SUMMARY_FIELDS = list(UserSummarySerializer._declared_fields)
