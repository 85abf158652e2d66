"""The sign-up form allauth builds its headless signup input on (ACCOUNT_SIGNUP_FORM_CLASS)."""

from allauth.core import context
from allauth.core.exceptions import ImmediateHttpResponse
from django import forms
from django.contrib.auth import password_validation

from accounts import ratelimits
from accounts.models import User


class SignupForm(forms.Form):
    """Adds to allauth's sign-up: the required full name, the per-email limit, and the similarity validator.

    allauth's headless signup input validates the password without a user, so validators that compare the
    password with the person's details (UserAttributeSimilarityValidator) are run here.
    """

    full_name = forms.CharField(max_length=200, required=True, strip=True)

    def clean(self):
        cleaned_data = super().clean()
        email = str(self.data.get("email") or "").strip().lower()
        request = context.request
        limited = email and request is not None
        if limited and not ratelimits.consume_per_email(request, action="signup_email", email=email):
            raise ImmediateHttpResponse(ratelimits.too_many_requests(request, action="signup_email", email=email))
        password = self.data.get("password")
        if isinstance(password, str) and password:
            person = User(email=email, full_name=cleaned_data.get("full_name") or "")
            similarity = [
                validator
                for validator in password_validation.get_default_password_validators()
                if isinstance(validator, password_validation.UserAttributeSimilarityValidator)
            ]
            try:
                password_validation.validate_password(password, user=person, password_validators=similarity)
            except forms.ValidationError as error:
                self.add_error("password" if "password" in self.fields else None, error)
        return cleaned_data

    def signup(self, request, user):
        """Called by allauth after the user is saved; the adapter already stored the full name."""
