"""Field conversions of the lean read paths: each is what the DRF field of the declared serializer does in
`to_representation`, so a plain dict answers the serializer's bytes (the apps' equality tests prove it)."""

from django.utils import timezone


def datetime_json(value, zone=None) -> str | None:
    """DRF DateTimeField: in the current time zone (`zone`, when the caller looked it up once), ISO 8601, UTC
    written "Z"."""
    if not value:
        return None
    text = value.astimezone(zone or timezone.get_current_timezone()).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text
