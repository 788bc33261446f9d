from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView

from portal.pagination import ForgivingPaginationMixin, window_page
from portal.slugs import RetiredSlugRedirectMixin

from .jsonld import entity_jsonld
from .models import Company, Country, Official, VehicleModel
from .stats import chart_bars, mentions_by_month, published_mentions, related_entities

TIMELINE_PAGE_SIZE = 20


class EntityDetailView(RetiredSlugRedirectMixin, DetailView):
    """An entity's facts, the published articles mentioning it, and its neighbours."""

    template_name = "companies/entity_detail.html"
    context_object_name = "entity"
    feed_url_name: str

    def get_context_data(self, **kwargs):
        entity = self.object
        articles = entity.articles.published().for_listing()
        page = window_page(articles, self.request.GET.get("page"), per_page=TIMELINE_PAGE_SIZE)
        return super().get_context_data(
            page_obj=page,
            articles=page.object_list,
            related=related_entities(entity),
            bars=chart_bars(mentions_by_month(entity)),
            jsonld=entity_jsonld(entity, base_url=self.request.build_absolute_uri("/").rstrip("/")),
            feed_url_name=self.feed_url_name,
            **kwargs,
        )


class CompanyDetailView(EntityDetailView):
    queryset = Company.objects.select_related("country", "parent").prefetch_related(
        "assembled_models", "brand_models"
    )
    feed_url_name = "articles:company_feed"


class VehicleModelDetailView(EntityDetailView):
    queryset = VehicleModel.objects.select_related("brand").prefetch_related("plants")
    feed_url_name = "articles:vehicle_model_feed"


class OfficialDetailView(EntityDetailView):
    queryset = Official.objects.select_related("organization", "country")
    feed_url_name = "articles:official_feed"


class CountryDetailView(EntityDetailView):
    model = Country
    feed_url_name = "articles:country_feed"


class EntityListView(ForgivingPaginationMixin, ListView):
    """Every entity of one kind with the number of published articles mentioning it."""

    template_name = "companies/entity_list.html"
    context_object_name = "entities"
    paginate_by = 100
    title: str

    def get_queryset(self):
        return self.model.objects.annotate(mentions=published_mentions(self.model)).order_by(
            "-mentions", "name"
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=self.title, **kwargs)


class CompanyListView(EntityListView):
    model = Company
    title = _("Компании")


class VehicleModelListView(EntityListView):
    model = VehicleModel
    title = _("Модели техники")


class OfficialListView(EntityListView):
    model = Official
    title = _("Персоны")


class CountryListView(EntityListView):
    model = Country
    title = _("Страны")
