"""The «Входящие» list's filters: state (discarded items hidden unless asked for),
the entities items name (one filter per catalog kind, through ``ItemEntity``),
tags, and story groups."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType

from companies.kinds import KINDS, EntityKind

from ..models import InboxItem, ItemEntity, ItemTag

ALL_STATES = "all"


class StateFilter(admin.SimpleListFilter):
    """New and drafted items by default; the discarded ones when asked for."""

    title = "состояние"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [*InboxItem.State.choices, (ALL_STATES, "все, с отклонёнными")]

    def choices(self, changelist):
        choices = list(super().choices(changelist))
        choices[0]["display"] = "кроме отклонённых"
        return choices

    def queryset(self, request, queryset):
        value = self.value()
        if value == ALL_STATES:
            return queryset
        if value in InboxItem.State.values:
            return queryset.filter(state=value)
        return queryset.exclude(state=InboxItem.State.DISCARDED)


class TagFilter(admin.SimpleListFilter):
    title = "тег"
    parameter_name = "tag"

    def lookups(self, request, model_admin):
        names = ItemTag.objects.order_by("name").values_list("name", flat=True).distinct()
        return [(name, name) for name in names]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(tags__name=self.value()).distinct()
        return queryset


class GroupFilter(admin.SimpleListFilter):
    """Items in a story with others, alone, or one story's items (the group row's link)."""

    title = "сюжет"
    parameter_name = "group"

    def lookups(self, request, model_admin):
        choices = [("any", "сюжеты из нескольких источников"), ("none", "отдельные материалы")]
        if (self.value() or "").isdigit():
            choices.append((self.value(), f"Сюжет №{self.value()}"))
        return choices

    def queryset(self, request, queryset):
        value = self.value() or ""
        if value == "any":
            return queryset.filter(group__isnull=False)
        if value == "none":
            return queryset.filter(group__isnull=True)
        if value.isdigit():
            return queryset.filter(group_id=int(value))
        return queryset

    def one_story(self) -> bool:
        """Whether the list shows one story's items, each on its own row."""
        return (self.value() or "").isdigit()


class EntityFilter(admin.SimpleListFilter):
    """Items naming one entity of ``kind``; the choices are the entities items name."""

    kind: EntityKind

    def lookups(self, request, model_admin):
        mentioned = ItemEntity.objects.filter(entity_type=self.content_type()).values("entity_id")
        entities = self.kind.model.objects.filter(pk__in=mentioned).order_by("name")
        return [(str(entity.pk), entity.name) for entity in entities]

    def queryset(self, request, queryset):
        if (self.value() or "").isdigit():
            return queryset.filter(
                entity_links__entity_type=self.content_type(),
                entity_links__entity_id=int(self.value()),
            ).distinct()
        return queryset

    def content_type(self) -> ContentType:
        return ContentType.objects.get_for_model(self.kind.model)


def entity_filter(kind: EntityKind) -> type[EntityFilter]:
    """The filter of one catalog kind, named by the kind (``?company=3``)."""
    return type(
        f"{kind.model.__name__}Filter",
        (EntityFilter,),
        {"kind": kind, "title": kind.label, "parameter_name": kind.name},
    )


ENTITY_FILTERS = [entity_filter(kind) for kind in KINDS]
