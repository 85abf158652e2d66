from django.apps import AppConfig


class WorkspacesConfig(AppConfig):
    name = "workspaces"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from billing.plans import register_usage
        from workspaces.selectors import count_seats

        # Members and pending invitations share the plan's "members" seats.
        register_usage("members", count_seats)
