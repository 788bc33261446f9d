"""The inbox app's configuration: what it registers with the core at start-up."""

from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "inbox"
    verbose_name = "Входящие новости"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from portal import desk_warnings

        from .front_page import source_warnings

        # Sources that fail or fall silent are said on the admin's front page too.
        desk_warnings.register(source_warnings)
