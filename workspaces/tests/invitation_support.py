"""Shared by the invitation tests: URLs, the link in the last mail, accepting, and what a refusal must not touch."""

import re

from django.conf import settings
from django.core import mail

from workspaces.models import ActivityEvent, Invitation, Membership

LINK = re.compile(re.escape(settings.FRONTEND_URL) + r"/invitations/(\S+)")


def invitations_url(workspace):
    return f"/api/workspaces/{workspace.pk}/invitations/"


def token_from_last_mail() -> str:
    assert mail.outbox, "no mail was sent"
    match = LINK.search(mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)


def accept(client, token):
    return client.post(f"/api/invitations/{token}/accept/")


def everything():
    """What a refused invitation call must leave as it was: invitations, memberships and the activity feed."""
    return Invitation.objects.all(), Membership.objects.all(), ActivityEvent.objects.all()
