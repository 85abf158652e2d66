import pytest
from rest_framework import serializers

from orbit.serializers import ReadOnlyModelSerializer
from scopes.models import Project


class ProjectShape(ReadOnlyModelSerializer):
    label = serializers.CharField(source="name")  # declared: read_only is its own to say, as with read_only_fields

    class Meta:
        model = Project
        fields = ["id", "name", "description", "label"]
        extra_kwargs = {"description": {"help_text": "What it is for."}}


class WiderProjectShape(ProjectShape):
    class Meta(ProjectShape.Meta):
        fields = [*ProjectShape.Meta.fields, "client_name"]


@pytest.mark.parametrize("shape", [ProjectShape, WiderProjectShape])
def test_every_model_field_of_meta_fields_is_read_only(shape):
    fields = shape().fields
    model_fields = [name for name in shape.Meta.fields if name != "label"]
    assert {name: fields[name].read_only for name in model_fields} == dict.fromkeys(model_fields, True)
    assert fields["label"].read_only is False


def test_a_subclass_that_adds_fields_makes_them_read_only_too():
    assert WiderProjectShape().fields["client_name"].read_only is True


def test_other_extra_kwargs_are_kept():
    assert ProjectShape().fields["description"].help_text == "What it is for."


def test_input_is_ignored_and_nothing_is_required():
    incoming = WiderProjectShape(data={"name": "ignored", "label": "Kept"})
    assert incoming.is_valid(), incoming.errors
    assert incoming.validated_data == {"name": "Kept"}


def test_the_base_has_no_docstring_for_the_schema_to_publish():
    # drf-spectacular describes a component by the first docstring in its class's MRO: one here would become the
    # description of every output component that has none of its own.
    assert ReadOnlyModelSerializer.__doc__ is None
