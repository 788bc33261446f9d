"""The Tags admin: names in any letter case are one tag, and the server makes the slug.

No slug is filled in the browser (Django's prepopulate script transliterates
otherwise than ``portal.slugs.make_slug``, and keeps Cyrillic in a slug that
allows it): a blank slug is made on save (``Tag.save``).
"""

from django import forms
from django.contrib import admin
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from taggit.models import Tag as TaggitTag

from ..models import Tag, TaggedArticle
from .changelist import PlainActionCheckbox
from .forms import EnteredLine


class TagForm(forms.ModelForm):
    class Meta:
        model = Tag
        fields = ["name", "slug"]
        field_classes = {"name": EnteredLine}
        labels = {"name": "название"}


@admin.register(Tag)
class TagAdmin(PlainActionCheckbox, admin.ModelAdmin):
    form = TagForm
    list_display = ["name", "slug", "uses"]
    search_fields = ["name"]  # the search itself is ``get_search_results``
    ordering = ["name"]

    # No second count of every tag on each list view.
    show_full_result_count = False

    def get_queryset(self, request):
        # Counted per tag through the (tag, article) index, for the rows shown: a
        # join of every tagging, grouped, read them all on each list view.
        uses = (
            TaggedArticle.objects.filter(tag=OuterRef("pk"))
            .order_by()
            .values("tag")
            .annotate(n=Count("*"))
            .values("n")
        )
        return (
            super()
            .get_queryset(request)
            .annotate(n=Coalesce(Subquery(uses, output_field=IntegerField()), 0))
        )

    def get_search_results(self, request, queryset, search_term):
        # Also the article form's autocomplete. Compares the folded name, as
        # SQLite's LIKE would miss «выставки» in «Выставки».
        return queryset.matching(search_term), False

    @admin.display(description="статей", ordering="n")
    def uses(self, obj):
        return obj.n


# taggit registers an admin for its own Tag model, which no article uses: a tag
# made there would be a second «Теги» list that never reaches the site.
if admin.site.is_registered(TaggitTag):
    admin.site.unregister(TaggitTag)
