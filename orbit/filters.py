from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter


class StrictOrderingFilter(OrderingFilter):
    """`?ordering=` over the view's whitelisted `ordering_fields` only; anything else is a validation error.

    A view without `ordering_fields` accepts no `ordering` parameter at all.
    """

    def get_ordering(self, request, queryset, view):
        params = request.query_params.get(self.ordering_param)
        if not params:
            return self.get_default_ordering(view)
        fields = [param.strip() for param in params.split(",") if param.strip()]
        allowed = {name for name, _label in self.get_valid_fields(queryset, view, {"request": request})}
        if not getattr(view, "ordering_fields", None):
            allowed = set()
        invalid = [field for field in fields if field.lstrip("-") not in allowed]
        if invalid:
            raise ValidationError(
                {
                    self.ordering_param: [
                        f"Cannot order by {', '.join(invalid)}. Allowed: {', '.join(sorted(allowed)) or 'none'}."
                    ]
                }
            )
        return fields
