from django.contrib import admin

from ..linking import remove_link
from ..models import (
    Article,
    ArticleCompany,
    ArticleCountry,
    ArticleLink,
    ArticleOfficial,
    ArticleVehicleModel,
    LinkOrigin,
)


class LinkInline(admin.TabularInline):
    extra = 0
    autocomplete_fields = ["entity"]
    fields = ["entity", "origin"]
    readonly_fields = ["origin"]


class CompanyLinkInline(LinkInline):
    model = ArticleCompany


class VehicleModelLinkInline(LinkInline):
    model = ArticleVehicleModel


class OfficialLinkInline(LinkInline):
    model = ArticleOfficial


class CountryLinkInline(LinkInline):
    model = ArticleCountry


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "published_at", "source_key"]
    list_filter = ["status"]
    search_fields = ["title", "lead", "body"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    inlines = [CompanyLinkInline, VehicleModelLinkInline, OfficialLinkInline, CountryLinkInline]

    def save_formset(self, request, form, formset, change):
        if not issubclass(formset.model, ArticleLink):
            return super().save_formset(request, form, formset, change)
        links = formset.save(commit=False)
        # A link the editor deletes is remembered, so re-linking never restores it.
        for link in formset.deleted_objects:
            remove_link(article=link.article, entity=link.entity)
        for link in links:
            link.origin = LinkOrigin.EDITOR
            link.save()
