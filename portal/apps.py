"""The core's app config: it has nothing to set up; the apps register with it."""

from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The core. It imports no app: each app's ``ready()`` tells it what it needs
    to know (the models the page cache watches, when content changes by itself,
    the sitemap sections)."""

    name = "portal"
    verbose_name = "Портал"
