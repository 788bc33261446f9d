"""The following app's configuration."""

from django.apps import AppConfig


class FollowingConfig(AppConfig):
    name = "following"
    verbose_name = "Подписки читателей"
    default_auto_field = "django.db.models.BigAutoField"
