"""The catalog in the sitemaps: a section per entity kind (``/sitemap-companies.xml``
and so on, named by the kind's ``path``); the kinds' list pages go in the core's
pages section (see ``CompaniesConfig.ready``)."""

from django.contrib.sitemaps import Sitemap

from .kinds import EntityKind


class EntitySitemap(Sitemap):
    """Every entity of one kind."""

    def __init__(self, kind: EntityKind):
        self.kind = kind

    def items(self):
        # Every entity has a page, even before an article mentions it.
        return self.kind.model.objects.only("slug").order_by("slug")
