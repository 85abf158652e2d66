from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Orbit's allauth account adapter: full name at sign-up."""

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        full_name = (form.cleaned_data.get("full_name") or "").strip() if hasattr(form, "cleaned_data") else ""
        if full_name:
            user.full_name = full_name
        if commit:
            user.save()
        return user


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        name = " ".join(part for part in [data.get("first_name"), data.get("last_name")] if part) or data.get(
            "name", ""
        )
        if name and not user.full_name:
            user.full_name = name
        return user
