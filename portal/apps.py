"""The core's app config: it has nothing to set up; the apps register with it."""

from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig


class PortalConfig(AppConfig):
    """The core. It imports no app: each app's ``ready()`` tells it what it needs
    to know (the models the page cache watches, when content changes by itself,
    the sitemap sections)."""

    name = "portal"
    verbose_name = "Портал"


class DeskAdminConfig(AdminConfig):
    """``django.contrib.admin`` with the desk's site as ``admin.site``
    (``portal/admin_site.py``: the apps in the newsroom's order)."""

    default_site = "portal.admin_site.DeskAdminSite"
