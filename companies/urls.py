from django.urls import path

from . import views

app_name = "companies"

urlpatterns = [
    path("companies/", views.CompanyListView.as_view(), name="company_list"),
    path("companies/<slug:slug>/", views.CompanyDetailView.as_view(), name="company"),
    path("models/", views.VehicleModelListView.as_view(), name="vehicle_model_list"),
    path("models/<slug:slug>/", views.VehicleModelDetailView.as_view(), name="vehicle_model"),
    path("officials/", views.OfficialListView.as_view(), name="official_list"),
    path("officials/<slug:slug>/", views.OfficialDetailView.as_view(), name="official"),
    path("countries/", views.CountryListView.as_view(), name="country_list"),
    path("countries/<slug:slug>/", views.CountryDetailView.as_view(), name="country"),
]
