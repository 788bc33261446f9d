"""Admins for the catalog: companies, vehicle models, officials, countries.

They live in the articles app because they show and move article links
(counts, mentioning articles, merging duplicates), and the companies app never
imports the articles app. A name that another entity has already asks the
editor to confirm it is a different entity; once a new entity or changed names
are saved, the articles that name them are re-linked (``relinking``).
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join

from companies.models import Company, Country, Official, VehicleModel
from portal.slugs import retire_slug

from ..access import can_publish, previewable_by
from ..catalog_changes import EMPTY, CatalogNames, NameMatch, footprint
from ..linking.patterns import GAP_MARKER
from ..merging import merge_entities
from ..suggestions import fold
from .accepting import admin_link
from .articles import search_any_case
from .changelist import PlainActionCheckbox
from .relinking import relink_when_committed

MENTIONS_SHOWN = 50


def mention_count(model, user) -> Coalesce:
    """How many articles ``user`` may see mention the entity (``articles.access``).

    Counted per entity through its link table's entity index, for the rows a list
    shows: a join of every link, grouped, cost each list view (and its count) a
    read of the whole link table.
    """
    links = model.articles.rel.through.objects.filter(entity=OuterRef("pk"))
    if not can_publish(user):
        links = links.filter(article__in=previewable_by(user))
    counted = links.order_by().values("entity").annotate(n=Count("*")).values("n")  # index only
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def has_gap(alias: str) -> bool:
    """«грузовики … Isuzu»: a pattern for the linker rather than a name."""
    return GAP_MARKER in alias or "..." in alias


class AliasesField(forms.CharField):
    """Aliases as one name per line instead of raw JSON."""

    widget = forms.Textarea(attrs={"rows": 4, "cols": 60})

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(value)
        return value

    def to_python(self, value):
        lines = (line.strip() for line in (value or "").splitlines())
        return list(dict.fromkeys(line for line in lines if line))


class EntityForm(forms.ModelForm):
    aliases = AliasesField(
        label="Другие названия",
        required=False,
        help_text=(
            "По одному на строке: другие названия и написания («Киргизия», «КР», "
            "«Tulpar Motors»). Склонять не нужно. «…» между словами разрешает до пяти "
            "слов между ними. После сохранения статьи, где встречаются названия "
            "сущности, перепроверяются сами: связи с ней появятся и исчезнут без "
            "«Перепроверить связи»."
        ),
    )
    # Shown (as a checkbox) only when a new name is another entity's already.
    confirm_other = forms.BooleanField(
        label="Да, это другая сущность", required=False, widget=forms.HiddenInput
    )

    def clean(self):
        data = super().clean()
        if data.get("confirm_other"):
            return data
        matches = self._names_elsewhere([data.get("name") or "", *(data.get("aliases") or [])])
        if matches:
            self.fields["confirm_other"].widget = forms.CheckboxInput()
            found = format_html_join(
                "; ", "«{}» — {}", ((name, admin_link(m.entity)) for name, m in matches)
            )
            self.add_error(
                "confirm_other",
                format_html(
                    "Такое название уже есть в каталоге: {}. Если это та же сущность, "
                    "добавьте название к ней. Если другая, отметьте «Да, это другая "
                    "сущность» и сохраните ещё раз.",
                    found,
                ),
            )
        return data

    def _names_elsewhere(self, names: list[str]) -> list[tuple[str, NameMatch]]:
        """(name, match) for each name new to this entity that another entity has."""
        # ``self.instance`` still holds the saved names: the form fills it in later.
        known = {fold(name) for name in self.instance.names} if self.instance.pk else set()
        new = [n for n in names if n.strip() and fold(n) not in known and not has_gap(n)]
        if not new:
            return []
        catalog = CatalogNames()
        return [
            (name, match)
            for name in dict.fromkeys(new)
            for match in catalog.entities_named(name, exclude=self.instance)
        ]


class EntityAdmin(PlainActionCheckbox, admin.ModelAdmin):
    form = EntityForm
    search_fields = ["name", "slug", "aliases"]
    list_per_page = 100
    # No second count of the whole catalog on each list view.
    show_full_result_count = False
    actions = ["merge_selected"]
    readonly_fields = ["mentioned_in"]

    def get_queryset(self, request):
        # Explicit order: with the count's GROUP BY the model's default ordering is
        # dropped, and the autocomplete view paginates this queryset as it is.
        return (
            super()
            .get_queryset(request)
            .annotate(n_articles=mention_count(self.model, request.user))
            .order_by("name")
        )

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            # What «mentioned in articles» may list for this user (``mentioned_in``
            # sees only the object, and the admin is shared between requests).
            obj.mentioning_articles = previewable_by(request.user, articles=obj.articles.all())
        return obj

    def get_search_results(self, request, queryset, search_term):
        return search_any_case(super().get_search_results, request, queryset, search_term)

    @admin.display(description="статей", ordering="n_articles")
    def article_count(self, obj):
        return obj.n_articles

    @admin.display(description="упоминается в статьях")
    def mentioned_in(self, obj):
        visible = getattr(obj, "mentioning_articles", None)
        if not obj.pk or visible is None:
            return "—"
        articles = visible.order_by("-published_at").only("pk", "title", "published_at")
        shown = list(articles[:MENTIONS_SHOWN])
        if not shown:
            return "пока нигде"
        rows = format_html_join(
            "",
            '<li><a href="{}">{}</a> ({})</li>',
            (
                (
                    reverse("admin:articles_article_change", args=[a.pk]),
                    a.title,
                    # The editor's day is Bishkek's, not UTC's (20:00 UTC is the next day).
                    date_format(timezone.localtime(a.published_at), "d.m.Y"),
                )
                for a in shown
            ),
        )
        total = obj.n_articles if hasattr(obj, "n_articles") else visible.count()
        more = f"<p>и ещё {total - len(shown)}</p>" if total > len(shown) else ""
        return format_html("<ul>{}</ul>{}", rows, format_html(more) if more else "")

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        if "confirm_other" not in fields:
            at = fields.index("aliases") + 1 if "aliases" in fields else len(fields)
            fields.insert(at, "confirm_other")
        return fields

    def save_model(self, request, obj, form, change):
        # Before the save: the articles that named the entity as it was.
        before = footprint(type(obj).objects.get(pk=obj.pk)) if change else EMPTY
        super().save_model(request, obj, form, change)
        if change and "slug" in form.changed_data:
            # The entity's page stays reachable at its old address.
            retire_slug(obj=obj, old_slug=form.initial.get("slug", ""))
        if not change or footprint(obj) != before:
            relink_when_committed(request, entity=obj, before=before)

    @admin.action(description="Объединить выбранные дубликаты", permissions=["change", "delete"])
    def merge_selected(self, request, queryset):
        entities = list(queryset.order_by("-n_articles", "pk"))
        if len(entities) < 2:
            self.message_user(request, "Выберите хотя бы две записи.", messages.WARNING)
            return None
        if "survivor" in request.POST:
            if not (self.has_change_permission(request) and self.has_delete_permission(request)):
                raise PermissionDenied
            chosen = next((e for e in entities if str(e.pk) == request.POST["survivor"]), None)
            if chosen is None:
                self.message_user(request, "Выберите, какую запись оставить.", messages.ERROR)
                return None
            duplicates = [e for e in entities if e.pk != chosen.pk]
            merge_entities(survivor=chosen, duplicates=duplicates)
            self.message_user(
                request,
                f"Объединено в «{chosen}»: {', '.join(str(d) for d in duplicates)}. "
                "Связи со статьями перенесены, старые адреса ведут на оставшуюся запись.",
                messages.SUCCESS,
            )
            return None
        return TemplateResponse(
            request,
            "admin/companies/merge.html",
            {
                **self.admin_site.each_context(request),
                "title": "Объединить дубликаты",
                "entities": entities,
                "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )


@admin.register(Country)
class CountryAdmin(EntityAdmin):
    list_display = ["name", "iso_code", "article_count", "slug"]
    fields = ["name", "slug", "iso_code", "aliases", "mentioned_in"]


@admin.register(Company)
class CompanyAdmin(EntityAdmin):
    list_display = ["name", "kind", "country", "article_count", "slug"]
    list_filter = ["kind", "country"]
    list_select_related = ["country"]
    autocomplete_fields = ["country", "parent"]
    fields = ["name", "slug", "kind", "country", "parent", "description", "aliases", "mentioned_in"]


@admin.register(VehicleModel)
class VehicleModelAdmin(EntityAdmin):
    list_display = ["name", "brand", "category", "article_count", "slug"]
    list_filter = ["category"]
    list_select_related = ["brand"]
    autocomplete_fields = ["brand", "plants"]
    fields = ["name", "slug", "brand", "category", "plants", "aliases", "mentioned_in"]


@admin.register(Official)
class OfficialAdmin(EntityAdmin):
    list_display = ["name", "position", "organization", "country", "article_count"]
    list_select_related = ["organization", "country"]
    autocomplete_fields = ["organization", "country"]
    fields = ["name", "slug", "position", "organization", "country", "aliases", "mentioned_in"]
