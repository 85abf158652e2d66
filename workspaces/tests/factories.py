import hashlib
import secrets
from datetime import timedelta

import factory
from django.utils import timezone

from accounts.tests.factories import UserFactory
from workspaces.models import ActivityEvent, Invitation, Membership, Workspace


class WorkspaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workspace
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Workspace {n}")
    slug = factory.Sequence(lambda n: f"workspace-{n}")
    owner = factory.SubFactory(UserFactory)

    @factory.post_generation
    def owner_membership(workspace, create, extracted, **kwargs):
        if create:
            Membership.objects.get_or_create(
                workspace=workspace, user=workspace.owner, defaults={"role": Membership.Role.OWNER}
            )


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    workspace = factory.SubFactory(WorkspaceFactory)
    user = factory.SubFactory(UserFactory)
    role = Membership.Role.EDITOR


class InvitationFactory(factory.django.DjangoModelFactory):
    """A pending invitation. The raw token is on `invitation.token` (only its hash is stored)."""

    class Meta:
        model = Invitation
        skip_postgeneration_save = True

    workspace = factory.SubFactory(WorkspaceFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.com")
    role = Membership.Role.EDITOR
    invited_by = factory.LazyAttribute(lambda invitation: invitation.workspace.owner)
    token = factory.LazyFunction(lambda: secrets.token_urlsafe(32))
    token_hash = factory.LazyAttribute(lambda invitation: hashlib.sha256(invitation.token.encode()).hexdigest())
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))

    @classmethod
    def _create(cls, model_class, *args, token=None, **kwargs):
        invitation = super()._create(model_class, *args, **kwargs)
        invitation.token = token
        return invitation


class ActivityEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActivityEvent

    workspace = factory.SubFactory(WorkspaceFactory)
    actor = factory.LazyAttribute(lambda event: event.workspace.owner)
    verb = ActivityEvent.Verb.WORKSPACE_UPDATED
