from django.contrib import admin

from .models import Company, Country, Official, VehicleModel


class EntityAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug", "aliases"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Country)
class CountryAdmin(EntityAdmin):
    list_display = ["name", "iso_code", "slug"]


@admin.register(Company)
class CompanyAdmin(EntityAdmin):
    list_display = ["name", "kind", "country", "slug"]
    list_filter = ["kind", "country"]
    autocomplete_fields = ["country", "parent"]


@admin.register(VehicleModel)
class VehicleModelAdmin(EntityAdmin):
    list_display = ["name", "brand", "category", "slug"]
    list_filter = ["category"]
    autocomplete_fields = ["brand", "plants"]


@admin.register(Official)
class OfficialAdmin(EntityAdmin):
    list_display = ["name", "position", "organization", "country"]
    autocomplete_fields = ["organization", "country"]
