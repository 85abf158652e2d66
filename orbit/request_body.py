"""A view's input: the request body through its input serializer, the first step of every thin view."""

from rest_framework import serializers


def validated(serializer_class: type[serializers.Serializer], request, *, partial: bool = False) -> dict:
    """`request`'s body as `serializer_class` validates it (a 400 `validation_error` naming the fields otherwise).

    The dict is the caller's own: a view may pop from it before handing the rest to a service. The operation's
    `@extend_schema(request=...)` still names the serializer for the schema; this only reads the body with it.
    """
    incoming = serializer_class(data=request.data, partial=partial)
    incoming.is_valid(raise_exception=True)
    return incoming.validated_data
