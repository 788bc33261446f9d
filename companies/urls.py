from django.urls import path

from . import views

app_name = "companies"

urlpatterns = [
    path("companies/<slug:slug>/", views.CompanyDetailView.as_view(), name="company"),
    path("models/<slug:slug>/", views.VehicleModelDetailView.as_view(), name="vehicle_model"),
    path("officials/<slug:slug>/", views.OfficialDetailView.as_view(), name="official"),
    path("countries/<slug:slug>/", views.CountryDetailView.as_view(), name="country"),
]
