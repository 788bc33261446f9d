"""The inbox app's configuration."""

from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "inbox"
    verbose_name = "Входящие новости"
    default_auto_field = "django.db.models.BigAutoField"
