"""The catalog app's config: what it registers with the core at start-up."""

from functools import partial

from django.apps import AppConfig


class CompaniesConfig(AppConfig):
    name = "companies"
    verbose_name = "Справочник отрасли"

    def ready(self):
        """Tell the core (which never imports this app) what it needs to know."""
        from portal import cache, sitemaps

        from .kinds import KINDS
        from .sitemaps import EntitySitemap

        # Entity pages, and every article page that links an entity, show its name
        # and details: a write to any entity makes cached pages stale.
        cache.watch_models([kind.model for kind in KINDS])

        # The list pages and a section per kind, in the kinds' order.
        sitemaps.register_pages([f"companies:{kind.url_name}_list" for kind in KINDS])
        for kind in KINDS:
            sitemaps.register_section(kind.path, partial(EntitySitemap, kind))
