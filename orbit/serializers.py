"""Serializer bases shared by the apps' API layers."""

from rest_framework import serializers


# An output shape over a model (STYLE: `XSerializer` answers, `XCreateSerializer` reads input): every name in
# `Meta.fields` is read-only, as `read_only_fields = fields` makes it. Said once here instead of in each Meta, so a
# subclass whose `Meta(Parent.Meta)` adds fields cannot leave them writable by keeping the parent's list.
# (A comment, not a docstring: drf-spectacular would publish a base class's docstring on every component.)
class ReadOnlyModelSerializer(serializers.ModelSerializer):
    def get_extra_kwargs(self):
        extra_kwargs = super().get_extra_kwargs()
        for name in self.Meta.fields:
            extra_kwargs[name] = {**extra_kwargs.get(name, {}), "read_only": True}
        return extra_kwargs
