from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Портал"

    def ready(self):
        from articles.models import (
            Article,
            ArticleCompany,
            ArticleCountry,
            ArticleOfficial,
            ArticleVehicleModel,
            RejectedLink,
            Tag,
            TaggedArticle,
        )
        from companies.models import Company, Country, Official, VehicleModel

        from .cache import watch_models

        # Cache infrastructure, not business logic (which stays in explicit calls):
        # a cached page must go stale on every write that can change a public
        # page, whoever makes it (admin, loader, shell, fixtures), and only the
        # ORM's signals see every one of them. Bulk writes call
        # portal.cache.bump_content_version() themselves.
        watch_models(
            [
                Article,
                Tag,
                TaggedArticle,
                ArticleCountry,
                ArticleCompany,
                ArticleVehicleModel,
                ArticleOfficial,
                RejectedLink,
                Country,
                Company,
                VehicleModel,
                Official,
            ]
        )
