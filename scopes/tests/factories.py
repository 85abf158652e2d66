import factory

from scopes import counts
from scopes.models import Comment, Favourite, Project, Scope, ScopeSection
from workspaces.tests.factories import WorkspaceFactory

# Children accept `workspace=` and build their parent scope there; without it, in a fresh workspace.
_parent_workspace = factory.LazyAttribute(lambda scope: scope.factory_parent.workspace or WorkspaceFactory())


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    workspace = factory.SubFactory(WorkspaceFactory)
    name = factory.Sequence(lambda n: f"Project {n}")
    client_name = factory.Faker("company")


class ScopeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Scope

    workspace = factory.SubFactory(WorkspaceFactory)
    title = factory.Sequence(lambda n: f"Scope {n}")
    client_name = factory.Faker("company")
    summary = factory.Faker("paragraph")
    created_by = factory.SelfAttribute("workspace.owner")


class _CountedChild(factory.django.DjangoModelFactory):
    """Sections and comments made here keep their scope's stored counts current, as the services do."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        instance = super()._create(model_class, *args, **kwargs)
        counts.refresh(instance.scope_id)
        return instance


class ScopeSectionFactory(_CountedChild):
    """`ScopeSectionFactory(workspace=ws)` makes a scope in `ws`; positions continue after existing sections."""

    class Meta:
        model = ScopeSection

    class Params:
        workspace = None

    scope = factory.SubFactory(ScopeFactory, workspace=_parent_workspace)
    title = factory.Sequence(lambda n: f"Section {n}")
    content = factory.Faker("paragraph")
    position = factory.LazyAttribute(lambda section: ScopeSection.objects.filter(scope=section.scope).count())


class CommentFactory(_CountedChild):
    class Meta:
        model = Comment

    class Params:
        workspace = None

    scope = factory.SubFactory(ScopeFactory, workspace=_parent_workspace)
    author = factory.SelfAttribute("scope.workspace.owner")
    body = factory.Faker("sentence")


class FavouriteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Favourite

    class Params:
        workspace = None

    scope = factory.SubFactory(ScopeFactory, workspace=_parent_workspace)
    user = factory.SelfAttribute("scope.workspace.owner")
