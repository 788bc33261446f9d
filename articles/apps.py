"""The articles app's config: what it registers with the core at start-up."""

from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Новости"

    def ready(self):
        """Tell the core (which never imports this app) what it needs to know."""
        from companies.kinds import KINDS
        from portal import cache, sitemaps

        from .figures import hooks as figure_hooks
        from .models import Article, RejectedLink, Tag, TaggedArticle
        from .sitemaps import ArticleSitemap, TagSitemap

        # Cache infrastructure, not business logic (which stays in explicit calls):
        # a cached page must go stale on every write that can change a public
        # page, whoever makes it (admin, loader, shell, fixtures), and only the
        # ORM's signals see every one of them. Bulk writes call
        # portal.cache.bump_content_version() themselves.
        cache.watch_models(
            [Article, Tag, TaggedArticle, *(kind.links for kind in KINDS), RejectedLink]
        )
        # Mentions per entity and uses per tag per day, kept as data: counted
        # again on every write that touches them, whoever makes it.
        figure_hooks.connect()
        # A scheduled article comes out without any write: pages rendered before
        # must not outlive that moment.
        cache.register_next_change(lambda after: Article.objects.next_publication(after=after))

        # The front page and the archive lead the pages section; the articles come
        # right after it, the tags after the catalog's sections.
        sitemaps.register_pages(["articles:home", "articles:archive"], place=sitemaps.Place.FIRST)
        sitemaps.register_section("articles", ArticleSitemap, place=sitemaps.Place.FIRST)
        sitemaps.register_section("tags", TagSitemap, place=sitemaps.Place.LAST)
