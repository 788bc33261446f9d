"""Admin for suggested entities: accept one into the catalog, or reject it.

Suggestions are made by ``manage.py suggest_entities`` (natasha runs there,
never in a web worker); editors only decide here.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_POST

from companies.kinds import KINDS
from companies.models import Company, Entity, VehicleModel
from portal.slugs import make_slug

from ..models import EntitySuggestion, SuggestionOccurrence
from ..suggestions import accept_suggestion, fold, reject_suggestions
from .wording import plural

# What a suggestion may become, by the entity page's URL name, in page order.
TARGETS: dict[str, type[Entity]] = {kind.url_name: kind.model for kind in KINDS}
DEFAULT_TARGET = {
    EntitySuggestion.Kind.PERSON: "official",
    EntitySuggestion.Kind.ORGANISATION: "company",
    EntitySuggestion.Kind.PLACE: "country",
    EntitySuggestion.Kind.VEHICLE_MODEL: "vehicle_model",
}
# A first word that makes «государственный орган» the likely kind of company.
GOVERNMENT_WORDS = frozenset(["министерство", "правительство", "минпромторг", "минэкономики"])


def can_add(user, model: type[Entity]) -> bool:
    return user.has_perm(f"{model._meta.app_label}.add_{model._meta.model_name}")


class AcceptForm(forms.Form):
    target = forms.ChoiceField(label="Добавить в каталог как", widget=forms.RadioSelect)
    name = forms.CharField(
        label="Название",
        max_length=200,
        help_text="Как на странице сущности, в именительном падеже. Для модели — «Марка Модель».",
    )
    slug = forms.SlugField(
        label="Слаг",
        max_length=100,
        help_text="Латиницей, часть адреса страницы: tsentralnaia-aziia.",
    )
    company_kind = forms.ChoiceField(
        label="Вид компании",
        choices=Company.Kind.choices,
        initial=Company.Kind.OTHER,
        required=False,
        help_text="Только для компании.",
    )
    brand = forms.ModelChoiceField(
        label="Марка",
        queryset=Company.objects.brands(),
        required=False,
        help_text="Только для модели техники: марка из каталога.",
    )

    def __init__(self, *args, targets: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [
            (key, TARGETS[key]._meta.verbose_name.capitalize()) for key in targets
        ]

    def clean(self):
        data = super().clean()
        model = TARGETS.get(data.get("target", ""))
        if model is None:
            return data
        if model is VehicleModel and not data.get("brand"):
            self.add_error("brand", "У модели техники должна быть марка.")
        if model is Company and not data.get("company_kind"):
            self.add_error("company_kind", "Выберите вид компании.")
        slug, name = data.get("slug"), data.get("name")
        if slug and model.objects.filter(slug=slug).exists():
            self.add_error("slug", "Такой слаг уже занят: выберите другой.")
        if name:
            same = next((e for e in model.objects.all() if fold(name) in map(fold, e.names)), None)
            if same is not None:
                self.add_error(
                    "name",
                    f"В каталоге уже есть «{same.name}» с таким названием: "
                    "отклоните предложение или добавьте сущности другое название.",
                )
        return data

    def build_entity(self) -> Entity:
        data = self.cleaned_data
        model = TARGETS[data["target"]]
        entity = model(name=data["name"], slug=data["slug"])
        if model is Company:
            entity.kind = data["company_kind"]
        elif model is VehicleModel:
            entity.brand = data["brand"]
        return entity


def initial_for(suggestion: EntitySuggestion, targets: list[str]) -> dict:
    words = suggestion.name.split()
    first = fold(words[0]) if words else ""
    brand = next(
        (company for company in Company.objects.brands() if first in map(fold, company.names)),
        None,
    )
    target = DEFAULT_TARGET.get(suggestion.kind, "company")
    return {
        "target": target if target in targets else targets[0],
        "name": suggestion.name,
        "slug": make_slug(suggestion.name),
        "company_kind": (
            Company.Kind.GOVERNMENT_BODY if first in GOVERNMENT_WORDS else Company.Kind.OTHER
        ),
        "brand": brand,
    }


@admin.register(EntitySuggestion)
class EntitySuggestionAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "status", "mentions", "article_count", "decide"]
    list_filter = ["status", "kind"]
    search_fields = ["name"]
    actions = ["reject_selected"]
    fields = ["name", "kind", "status", "mentions", "accepted_entity", "occurrence_list"]
    readonly_fields = fields

    def get_queryset(self, request):
        # Counted in the list's one query, not once per row.
        return (
            super()
            .get_queryset(request)
            .annotate(article_count=Count("occurrences__article", distinct=True))
        )

    def has_add_permission(self, request):
        return False  # suggestions come from ``manage.py suggest_entities``

    def has_delete_permission(self, request, obj=None):
        # A deleted suggestion comes back with the next scan, and a deleted
        # rejection forgets the decision: editors reject instead.
        return False

    @admin.display(description="статей", ordering="article_count")
    def article_count(self, obj):
        return obj.article_count

    @admin.display(description="")
    def decide(self, obj):
        if obj.status == EntitySuggestion.Status.ACCEPTED:
            return ""
        url = reverse("admin:articles_entitysuggestion_accept", args=[obj.pk])
        return format_html('<a href="{}">Принять…</a>', url)

    @admin.display(description="сущность в каталоге")
    def accepted_entity(self, obj):
        entity = obj.entity
        if entity is None:
            return "—"
        opts = entity._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[entity.pk])
        return format_html('{}: <a href="{}">{}</a>', opts.verbose_name, url, entity)

    @admin.display(description="где найдено")
    def occurrence_list(self, obj):
        occurrences = (
            SuggestionOccurrence.objects.filter(suggestion=obj)
            .select_related("article")
            .only("sentence", "article__title", "article__published_at")
            .order_by("-article__published_at", "article_id", "pk")
        )
        items = format_html_join(
            "",
            '<li><a href="{}">{}</a>: «{}»</li>',
            (
                (
                    reverse("admin:articles_article_change", args=[o.article_id]),
                    o.article.title,
                    o.sentence,
                )
                for o in occurrences
            ),
        )
        return format_html("<ul>{}</ul>", items) if items else "—"

    @admin.action(description="Отклонить выбранные", permissions=["change"])
    def reject_selected(self, request, queryset):
        count = reject_suggestions(suggestions=queryset)
        never_again = plural(
            count, "Оно больше не появится", "Они больше не появятся", "Они больше не появятся"
        )
        messages.success(request, f"Отклонено предложений: {count}. {never_again}.")

    # --- Decision views -------------------------------------------------------

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:object_id>/accept/",
                view(self.accept_view),
                name="articles_entitysuggestion_accept",
            ),
            path(
                "<int:object_id>/reject/",
                view(require_POST(self.reject_view)),
                name="articles_entitysuggestion_reject",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Everything is read-only: decisions go through the accept and reject buttons.
        extra_context = {
            "title": "Предложенная сущность",
            **(extra_context or {}),
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def reject_view(self, request, object_id):
        suggestion = get_object_or_404(EntitySuggestion, pk=object_id)
        if not self.has_change_permission(request, suggestion):
            raise PermissionDenied
        if reject_suggestions(suggestions=EntitySuggestion.objects.filter(pk=suggestion.pk)):
            messages.success(request, f"«{suggestion}» отклонено и больше не будет предложено.")
        else:
            messages.warning(request, f"«{suggestion}» уже принято в каталог.")
        return HttpResponseRedirect(reverse("admin:articles_entitysuggestion_changelist"))

    def accept_view(self, request, object_id):
        suggestion = get_object_or_404(EntitySuggestion, pk=object_id)
        if not self.has_change_permission(request, suggestion):
            raise PermissionDenied
        targets = [key for key, model in TARGETS.items() if can_add(request.user, model)]
        if not targets:
            raise PermissionDenied
        changelist = reverse("admin:articles_entitysuggestion_changelist")
        if suggestion.status == EntitySuggestion.Status.ACCEPTED:
            messages.warning(request, f"«{suggestion}» уже принято в каталог.")
            return HttpResponseRedirect(changelist)

        if request.method == "POST":
            target = request.POST.get("target", "")
            if target in TARGETS and target not in targets:
                raise PermissionDenied  # no add permission on that kind of entity
            form = AcceptForm(request.POST, targets=targets)
            if form.is_valid():
                result = accept_suggestion(suggestion=suggestion, entity=form.build_entity())
                entity = result.entity
                opts = entity._meta
                url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[entity.pk])
                messages.success(
                    request,
                    format_html(
                        'В каталог добавлено: {} «<a href="{}">{}</a>». Связано статей: {}.',
                        opts.verbose_name,
                        url,
                        entity,
                        len(result.linked) + len(result.added),
                    ),
                )
                return HttpResponseRedirect(changelist)
        else:
            form = AcceptForm(initial=initial_for(suggestion, targets), targets=targets)

        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Принять «{suggestion}»",
            "suggestion": suggestion,
            "form": form,
            "occurrences": self.occurrence_list(suggestion),
        }
        return TemplateResponse(request, "admin/articles/entitysuggestion/accept.html", context)
