from django.views.generic import DetailView, ListView

from .models import Company, Country, Official, VehicleModel


class EntityDetailView(DetailView):
    """An entity's facts and the published articles that mention it."""

    template_name = "companies/entity_detail.html"
    context_object_name = "entity"
    articles_shown = 30

    def get_context_data(self, **kwargs):
        articles = self.object.articles.published().for_listing()[: self.articles_shown]
        return super().get_context_data(articles=articles, **kwargs)


class CompanyDetailView(EntityDetailView):
    queryset = Company.objects.select_related("country", "parent").prefetch_related(
        "assembled_models", "brand_models"
    )


class VehicleModelDetailView(EntityDetailView):
    queryset = VehicleModel.objects.select_related("brand").prefetch_related("plants")


class OfficialDetailView(EntityDetailView):
    queryset = Official.objects.select_related("organization", "country")


class CountryDetailView(EntityDetailView):
    model = Country


class CompanyListView(ListView):
    model = Company


class VehicleModelListView(ListView):
    model = VehicleModel


class OfficialListView(ListView):
    model = Official


class CountryListView(ListView):
    model = Country
