import pytest
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from orbit.request_body import validated


class NoteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=10)
    pinned = serializers.BooleanField(default=False)


def request_with(body):
    """A DRF request whose body is `body` as JSON, as a view receives it."""
    return APIView().initialize_request(APIRequestFactory().post("/", body, format="json"))


def test_validated_returns_the_serializers_validated_data_with_defaults():
    data = validated(NoteSerializer, request_with({"title": " Plan ", "extra": 1}))
    assert data == {"title": "Plan", "pinned": False}


def test_validated_refuses_an_invalid_body_naming_the_fields():
    with pytest.raises(ValidationError) as refused:
        validated(NoteSerializer, request_with({"title": "far too long a title"}))
    assert set(refused.value.detail) == {"title"}
    assert refused.value.detail["title"][0].code == "max_length"


def test_validated_requires_every_field_unless_partial():
    with pytest.raises(ValidationError) as refused:
        validated(NoteSerializer, request_with({"pinned": True}))
    assert refused.value.detail["title"][0].code == "required"
    # PATCH: only what was sent, and no defaults filled in for what was not.
    assert validated(NoteSerializer, request_with({"pinned": True}), partial=True) == {"pinned": True}
