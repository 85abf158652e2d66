from django.db import transaction

from accounts.models import User


@transaction.atomic
def update_profile(*, user: User, **fields) -> User:
    for name, value in fields.items():
        setattr(user, name, value)
    user.full_clean()
    user.save(update_fields=[*fields, "updated_at"])
    return user
