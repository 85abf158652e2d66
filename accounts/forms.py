"""The sign-up form allauth builds its headless signup input on (ACCOUNT_SIGNUP_FORM_CLASS)."""

from allauth.core import context
from allauth.core.exceptions import ImmediateHttpResponse
from django import forms

from accounts import ratelimits


class SignupForm(forms.Form):
    """Adds the required full name, and the per-email sign-up limit, to allauth's sign-up."""

    full_name = forms.CharField(max_length=200, required=True, strip=True)

    def clean(self):
        cleaned_data = super().clean()
        email = (self.data.get("email") or "").strip().lower() if hasattr(self.data, "get") else ""
        request = context.request
        if (
            email
            and request is not None
            and not ratelimits.consume_per_email(request, action="signup_email", email=email)
        ):
            raise ImmediateHttpResponse(ratelimits.too_many_requests(request, action="signup_email"))
        return cleaned_data

    def signup(self, request, user):
        """Called by allauth after the user is saved; the adapter already stored the full name."""
