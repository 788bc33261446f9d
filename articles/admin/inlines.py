"""The article form's inlines: its tags and its links to entities of each kind.

The form costs a fixed number of queries however many rows the inlines show:
each inline reads its rows with their entity (or tag) in one query, every row
knows its article without asking the database again, and the autocomplete
widget shows the chosen entity from the row rather than looking it up (one
query per row otherwise). The links are read once per article object
(``article_links``) and shared with the mentions panel.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.utils.text import capfirst

from companies.kinds import KINDS, EntityKind

from ..models import Article, ArticleLink, TaggedArticle

_LINKS_MEMO = "_admin_links"


def article_links(article: Article, kind: EntityKind) -> list[ArticleLink]:
    """The article's links to entities of ``kind``, entities loaded, oldest first.

    Read once per article object: the form's inline and the mentions panel show
    the same rows. A new object (the next request, or after a save) reads again.
    """
    memo = article.__dict__.setdefault(_LINKS_MEMO, {})
    if kind.key not in memo:
        rows = list(kind.links.objects.filter(article=article).select_related("entity"))
        for row in rows:
            row.article = article
        memo[kind.key] = sorted(rows, key=lambda row: row.pk)
    return memo[kind.key]


class RowChoiceAutocomplete(AutocompleteSelect):
    """Shows the row's chosen object from the row itself: no query per row.

    Django's widget looks the selected value up in the database for every row;
    ``chosen`` is set by ``RowForm`` to the object the row already holds.
    """

    chosen = None

    def optgroups(self, name, value, attr=None):
        selected = {str(v) for v in value if str(v) not in self.choices.field.empty_values}
        if self.chosen is None or selected != {str(self.chosen.pk)}:
            return super().optgroups(name, value, attr)
        options = [] if self.is_required else [self.create_option(name, "", "", False, 0)]
        label = self.choices.field.label_from_instance(self.chosen)
        options.append(self.create_option(name, self.chosen.pk, label, selected, len(options)))
        return [(None, options, 0)]


class RowForm(forms.ModelForm):
    """Hands each autocomplete widget the object its row already holds."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = getattr(field.widget, "widget", field.widget)  # inside the «+» wrapper
            if not isinstance(widget, RowChoiceAutocomplete) or self.instance.pk is None:
                continue
            descriptor = getattr(type(self.instance), name, None)
            if descriptor is not None and descriptor.field.is_cached(self.instance):
                widget.chosen = getattr(self.instance, name)


class RowFormSet(forms.BaseInlineFormSet):
    """Rows that know their article (their ``__str__`` names it)."""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        if self.instance.pk is not None:
            setattr(form.instance, self.fk.name, self.instance)
        return form


class RowInline(admin.TabularInline):
    form = RowForm
    formset = RowFormSet
    extra = 0
    # The related objects the rows show, read with them.
    row_related = ()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = RowChoiceAutocomplete(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(*self.row_related)


class LinkFormSet(RowFormSet):
    """The rows are ``article_links``: read once, shared with the mentions panel."""

    kind: EntityKind

    def get_queryset(self):
        if self.instance.pk is None:
            return super().get_queryset()
        return article_links(self.instance, self.kind)


class LinkInline(RowInline):
    autocomplete_fields = ["entity"]
    fields = ["entity", "origin"]
    readonly_fields = ["origin"]
    classes = ["collapse"]
    row_related = ("entity",)


def link_inline(kind: EntityKind) -> type[LinkInline]:
    """The inline listing an article's links to entities of ``kind``."""
    formset = type(f"{kind.model.__name__}LinkFormSet", (LinkFormSet,), {"kind": kind})
    return type(
        f"{kind.model.__name__}LinkInline",
        (LinkInline,),
        {
            "model": kind.links,
            "formset": formset,
            "verbose_name_plural": f"{capfirst(kind.plural)} в статье",
        },
    )


LINK_INLINES = [link_inline(kind) for kind in KINDS]


class TagInline(RowInline):
    model = TaggedArticle
    extra = 1
    autocomplete_fields = ["tag"]
    row_related = ("tag",)
    verbose_name = "тег"
    verbose_name_plural = "Теги"
