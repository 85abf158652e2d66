import factory

from accounts.tests.factories import UserFactory
from workspaces.models import Membership, Workspace


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
