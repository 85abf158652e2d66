import factory
from allauth.account.models import EmailAddress

from accounts.models import User

DEFAULT_PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    full_name = factory.Faker("name")
    password = factory.django.Password(DEFAULT_PASSWORD)

    @factory.post_generation
    def verified(user, create, extracted, **kwargs):
        """A verified primary EmailAddress unless `verified=False` is passed."""
        if create:
            EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=extracted is not False)
