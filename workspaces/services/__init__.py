"""Writes of the workspaces app, one module per subdomain: workspaces, members, invitations, onboarding."""
