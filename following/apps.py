"""The following app's configuration: what it registers with the core at start-up."""

from django.apps import AppConfig


class FollowingConfig(AppConfig):
    name = "following"
    verbose_name = "Подписки читателей"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        """Tell the core (which never imports this app) what it needs to know."""
        from portal import desk_roles, desk_warnings

        from .desk import sending_warnings

        # Sending that failed or stalled is said on the admin's front page.
        desk_warnings.register(sending_warnings)
        # Editors see readers, subscriptions and messages (the address on a reader's
        # own page), and send a failed message again; they change none of them.
        desk_roles.grant(
            desk_roles.EDITOR,
            [
                "following.view_delivery",
                "following.resend_delivery",
                "following.view_reader",
                "following.view_subscription",
            ],
        )
