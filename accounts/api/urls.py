"""Mounted at /api/ by orbit.urls. Sign-in itself is allauth's headless API under /_allauth/ (its own paths)."""

from django.urls import path

from accounts.api import views

urlpatterns = [
    path("me/", views.MeView.as_view(), name="me"),
    path("auth/token/", views.TokenExchangeView.as_view(), name="auth-token-exchange"),
    path("auth/logout/", views.LogoutView.as_view(), name="auth-logout"),
]
