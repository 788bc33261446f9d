"""The admin as this newsroom's desk: the apps an editor works in come first.

Django lists the admin's apps alphabetically by their names, which puts «Входящие»
after «Аутентификация» and the catalog before the news. The desk's order is written
here by app label, so the core names the apps without importing them; an app that
is not installed, or whose models the user may not see, is simply absent. The
header and title (the site's name) are set with the rest of the admin's Russian
(``speak_russian`` in ``articles/admin/russian.py``).

The front page opens with the apps' warnings (``desk_warnings.py``: sending that
failed or stalled, sources that stopped answering), in ``admin/desk_index.html``.
"""

from django.contrib.admin import AdminSite

from . import desk_warnings

# Incoming items first, then the articles made from them, then the catalog they
# link to; every other app after these, in Django's alphabetical order.
DESK_APP_ORDER = ("inbox", "articles", "companies", "following")


def desk_position(app_label: str) -> int:
    """Where an app stands on the desk: its place in ``DESK_APP_ORDER``, else after them."""
    try:
        return DESK_APP_ORDER.index(app_label)
    except ValueError:
        return len(DESK_APP_ORDER)


class DeskAdminSite(AdminSite):
    """Django's admin site with the desk's order of apps (index page and side menu)."""

    # Django's own front page with the warnings above the apps. A template of the
    # same name in portal/templates/ would not be found: django.contrib.admin comes
    # first in INSTALLED_APPS and its own admin/index.html would win.
    index_template = "admin/desk_index.html"

    def index(self, request, extra_context=None):
        context = {"desk_warnings": desk_warnings.warnings_for(request), **(extra_context or {})}
        return super().index(request, extra_context=context)

    def get_app_list(self, request, app_label=None):
        # ``sorted`` is stable: the apps after the desk's keep Django's order.
        apps = super().get_app_list(request, app_label)
        return sorted(apps, key=lambda app: desk_position(app["app_label"]))
