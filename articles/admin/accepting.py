"""The accept page of a suggested entity: a new catalog entity, or another name
of one the catalog already has.

A suggested name may be an entity the catalog knows under another name, in
another form or with a legal form («ОАО «Тулпар Моторс»», «Тулпар Моторса»).
The page looks the name up (``articles.catalog_changes.CatalogNames``) and,
when it finds such entities, offers three ways on: add the name to one of them
as an alias, create a new entity all the same, or cancel. A new entity is
created only once the editor has seen every entity its name matches.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from companies.kinds import KINDS
from companies.models import Company, Entity, VehicleModel
from portal.slugs import make_slug

from ..catalog_changes import CatalogNames, NameMatch, footprint
from ..models import EntitySuggestion
from ..suggestions import accept_suggestion, fold
from ..suggestions.decisions import AcceptResult, accept_as_alias
from .relinking import relink_when_committed

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
TEMPLATE = "admin/articles/entitysuggestion/accept.html"


def can_add(user, model: type[Entity]) -> bool:
    return user.has_perm(f"{model._meta.app_label}.add_{model._meta.model_name}")


def can_change(user, model: type[Entity]) -> bool:
    return user.has_perm(f"{model._meta.app_label}.change_{model._meta.model_name}")


def describe(entity: Entity) -> str:
    return f"{entity._meta.verbose_name} «{entity}»"


def admin_link(entity: Entity) -> str:
    opts = entity._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[entity.pk])
    return format_html('{} «<a href="{}">{}</a>»', opts.verbose_name, url, entity)


class AcceptForm(forms.Form):
    """A new entity made of the suggestion."""

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
    # The matches the page showed (``NameMatch.key``, comma-separated): creating
    # the entity after seeing them is the editor's «create all the same».
    seen = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, targets: list[str], catalog: CatalogNames, **kwargs):
        super().__init__(*args, **kwargs)
        self.catalog = catalog
        self.matches: list[NameMatch] = []
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
            self.matches = self.catalog.entities_named(name)
            seen = set(data.get("seen", "").split(","))
            if any(match.key not in seen for match in self.matches):
                self.add_error(
                    "name",
                    "Похоже, это уже есть в каталоге: "
                    + ", ".join(describe(match.entity) for match in self.matches)
                    + ". Добавьте название к существующей сущности или создайте новую всё равно.",
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


class AliasForm(forms.Form):
    """The suggestion as another name of an entity the catalog has."""

    entity = forms.ChoiceField(label="Сущность в каталоге", widget=forms.RadioSelect)
    alias = forms.CharField(
        label="Другое название",
        max_length=200,
        help_text=(
            "Добавится к другим названиям сущности, если она ещё не находится по нему "
            "в статьях. Склонять не нужно: статьи, где оно встречается, будут перепроверены."
        ),
    )

    def __init__(self, *args, matches: list[NameMatch], **kwargs):
        super().__init__(*args, **kwargs)
        self.matches = {match.key: match for match in matches}
        self.fields["entity"].choices = [(match.key, _choice_label(match)) for match in matches]

    def chosen(self) -> Entity:
        return self.matches[self.cleaned_data["entity"]].entity


def _choice_label(match: NameMatch) -> str:
    label = describe(match.entity)
    label = label[:1].upper() + label[1:]
    aliases = match.entity.names[1:]
    return f"{label} (другие названия: {', '.join(aliases)})" if aliases else label


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


def accept_page(model_admin, request, suggestion: EntitySuggestion):
    """The accept page and its two decisions: a new entity, or an alias of one."""
    user = request.user
    targets = [key for key, model in TARGETS.items() if can_add(user, model)]
    catalog = CatalogNames()
    matches = catalog.entities_named(suggestion.name)
    if not targets and not _aliasable(user, matches):
        raise PermissionDenied
    if suggestion.status == EntitySuggestion.Status.ACCEPTED:
        messages.warning(request, f"«{suggestion}» уже принято в каталог.")
        return HttpResponseRedirect(reverse("admin:articles_entitysuggestion_changelist"))

    alias_form = form = None
    if request.method == "POST" and "_alias" in request.POST:
        alias_form = AliasForm(request.POST, matches=_aliasable(user, matches))
        if alias_form.is_valid():
            return _add_alias(request, suggestion, alias_form)
    elif request.method == "POST":
        target = request.POST.get("target", "")
        if not targets or (target in TARGETS and target not in targets):
            raise PermissionDenied  # no add permission on that kind of entity
        form = AcceptForm(request.POST, targets=targets, catalog=catalog)
        if form.is_valid():
            return _create(request, suggestion, form)
        known = {match.key for match in matches}
        matches += [match for match in form.matches if match.key not in known]
    if form is None and targets:
        form = AcceptForm(
            initial=initial_for(suggestion, targets), targets=targets, catalog=catalog
        )
    if alias_form is None:
        aliasable = _aliasable(user, matches)
        initial = {"entity": aliasable[0].key if aliasable else "", "alias": suggestion.name}
        alias_form = AliasForm(initial=initial, matches=aliasable)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": f"Принять «{suggestion}»",
        "suggestion": suggestion,
        "form": form,
        "alias_form": alias_form,
        "matches": [(admin_link(match.entity), match.name) for match in matches],
        "seen": ",".join(match.key for match in matches),
        "occurrences": model_admin.occurrence_list(suggestion),
    }
    return TemplateResponse(request, TEMPLATE, context)


def _aliasable(user, matches: list[NameMatch]) -> list[NameMatch]:
    return [match for match in matches if can_change(user, type(match.entity))]


def _create(request, suggestion: EntitySuggestion, form: AcceptForm):
    result = accept_suggestion(suggestion=suggestion, entity=form.build_entity())
    messages.success(
        request,
        format_html(
            "В каталог добавлено: {}. Связано статей: {}.",
            admin_link(result.entity),
            result.linked_count,
        ),
    )
    relink_when_committed(request, entity=result.entity)
    return HttpResponseRedirect(reverse("admin:articles_entitysuggestion_changelist"))


def _add_alias(request, suggestion: EntitySuggestion, form: AliasForm):
    entity = form.chosen()
    before = footprint(entity)
    result = accept_as_alias(suggestion=suggestion, entity=entity, alias=form.cleaned_data["alias"])
    messages.success(request, _alias_message(result, form.cleaned_data["alias"]))
    relink_when_committed(request, entity=entity, before=before)
    return HttpResponseRedirect(reverse("admin:articles_entitysuggestion_changelist"))


def _alias_message(result: AcceptResult, alias: str) -> str:
    done = (
        "«{}» добавлено к другим названиям: {}."
        if result.alias_added
        else "По названию «{}» в статьях уже находится {}."
    )
    message = format_html(
        done + " Связано статей: {}.", alias, admin_link(result.entity), result.linked_count
    )
    if result.kept_removed:
        message = format_html(
            "{} В статьях, откуда редактор убрал эту сущность, она не восстановлена: {}.",
            message,
            len(result.kept_removed),
        )
    return message
