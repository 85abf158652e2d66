from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django import forms

from accounts import audit, ratelimits
from accounts.models import AuthEvent


class AccountAdapter(DefaultAccountAdapter):
    """Orbit's allauth account adapter: full name at sign-up, per-email sign-in limit, audit of refusals."""

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        full_name = (form.cleaned_data.get("full_name") or "").strip() if hasattr(form, "cleaned_data") else ""
        if full_name:
            user.full_name = full_name
        if commit:
            user.save()
        return user

    def pre_authenticate(self, request, **credentials):
        email = (credentials.get("email") or "").strip().lower()
        if email and not ratelimits.consume_per_email(request, action="login_email", email=email):
            audit.record(kind=AuthEvent.Kind.LOGIN_FAILED, request=request, email=email, reason="rate_limited")
            raise ImmediateHttpResponse(ratelimits.too_many_requests(request, action="login_email", email=email))
        try:
            super().pre_authenticate(request, **credentials)
        except forms.ValidationError:  # allauth's failed-login lockout: too_many_login_attempts
            audit.record(
                kind=AuthEvent.Kind.LOGIN_FAILED, request=request, email=email, reason="too_many_login_attempts"
            )
            raise

    def send_password_reset_mail(self, user, email, context):
        audit.record(kind=AuthEvent.Kind.PASSWORD_RESET_REQUESTED, request=self.request, user=user, email=email)
        return super().send_password_reset_mail(user, email, context)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        name = " ".join(part for part in [data.get("first_name"), data.get("last_name")] if part) or data.get(
            "name", ""
        )
        if name and not user.full_name:
            user.full_name = name
        return user
