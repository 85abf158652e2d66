"""Query-parameter filtering and ordering for every list: a parameter either parses or answers 400
`validation_error` naming it, and the schema lists what each one accepts."""

from django_filters import BooleanFilter
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter

TRUE_VALUES = ("true", "1")
FALSE_VALUES = ("false", "0")


class StrictFilterBackend(DjangoFilterBackend):
    """django-filter, except that a boolean filter refuses what is not a boolean.

    django-filter reads `?favourite=maybe` or `?trashed=yes` as "no filter" and lists everything; here they are a
    400 naming the parameter. Accepted: `true`/`false` (also `1`/`0`), in any case; empty means "not given".
    """

    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is not None:
            self.check_booleans(request, filterset.filters)
        return filterset

    @staticmethod
    def check_booleans(request, filters) -> None:
        errors = {}
        for name, declared in filters.items():
            if not isinstance(declared, BooleanFilter):
                continue
            for value in request.query_params.getlist(name):
                if value and value.lower() not in TRUE_VALUES + FALSE_VALUES:
                    errors[name] = [f"Must be true or false, not {value[:50]!r}."]
        if errors:
            raise ValidationError(errors)


class StrictOrderingFilter(OrderingFilter):
    """`?ordering=` over the view's whitelisted `ordering_fields` only; anything else is a validation error.

    A view without `ordering_fields` accepts no `ordering` parameter at all, and the schema shows none. The schema
    lists the allowed values (each field, ascending or with `-` for descending; several joined by commas).
    """

    def get_ordering(self, request, queryset, view):
        params = request.query_params.get(self.ordering_param)
        if not params:
            return self.get_default_ordering(view)
        fields = [param.strip() for param in params.split(",") if param.strip()]
        allowed = set(self.allowed_fields(view, queryset, request))
        invalid = [field for field in fields if field.lstrip("-") not in allowed]
        if invalid:
            raise ValidationError(
                {
                    self.ordering_param: [
                        f"Cannot order by {', '.join(invalid)[:200]}. Allowed: {', '.join(sorted(allowed)) or 'none'}."
                    ]
                }
            )
        return fields

    def allowed_fields(self, view, queryset=None, request=None) -> list[str]:
        if not getattr(view, "ordering_fields", None):
            return []
        if queryset is None:
            return [field for field in view.ordering_fields if isinstance(field, str)]
        return [name for name, _label in self.get_valid_fields(queryset, view, {"request": request})]

    def get_schema_operation_parameters(self, view):
        fields = self.allowed_fields(view)
        if not fields:
            return []
        values = [value for field in sorted(fields) for value in (field, f"-{field}")]
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": "Sort by these fields, `-` for descending; several are joined by commas.",
                "schema": {"type": "array", "items": {"type": "string", "enum": values}},
                "style": "form",
                "explode": False,
            }
        ]
