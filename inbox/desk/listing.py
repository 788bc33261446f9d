"""The «Входящие» list's order and its story rows.

New items come first, then the rest, newest first. A story told by several sources
is one row: its newest item among those the filters let through, with «ещё из N
источников» leading to the story's other items (the group filter). Both are
annotations on the list's own query, so a page of the list costs the same few
queries however many stories it holds.
"""

from __future__ import annotations

from django.contrib.admin.views.main import ChangeList
from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from ..models import InboxItem

DESK_ORDER = ["desk_rank", "-received_at", "-pk"]


def with_desk_rank(queryset: QuerySet[InboxItem]) -> QuerySet[InboxItem]:
    """``desk_rank``: 0 for a new item, 1 for the others, to list the new ones first."""
    rank = Case(When(state=InboxItem.State.NEW, then=Value(0)), default=Value(1))
    return queryset.annotate(desk_rank=rank)


def with_other_sources(queryset: QuerySet[InboxItem]) -> QuerySet[InboxItem]:
    """``other_sources``: how many other sources tell the item's story (discarded
    items not counted), 0 for an item alone."""
    others = (
        InboxItem.objects.filter(group=OuterRef("group"))
        .exclude(pk=OuterRef("pk"))
        .exclude(source=OuterRef("source"))
        .exclude(state=InboxItem.State.DISCARDED)
        .order_by()
        .values("group")
        .annotate(n=Count("source", distinct=True))
        .values("n")
    )
    counted = Coalesce(Subquery(others, output_field=IntegerField()), Value(0))
    return queryset.annotate(other_sources=counted)


def one_row_per_story(queryset: QuerySet[InboxItem]) -> QuerySet[InboxItem]:
    """Leave out every item whose story has a newer item among ``queryset``."""
    newer = queryset.filter(group=OuterRef("group"), pk__gt=OuterRef("pk"))
    return queryset.exclude(Exists(newer.order_by().values("pk")))


class DeskChangeList(ChangeList):
    """Django's change list with the stories collapsed, unless it shows one story."""

    def get_queryset(self, request, exclude_parameters=None):
        queryset = super().get_queryset(request, exclude_parameters)
        if exclude_parameters is None and not self._shows_one_story():
            queryset = one_row_per_story(queryset)
        return with_other_sources(queryset)

    def _shows_one_story(self) -> bool:
        return any(getattr(spec, "one_story", lambda: False)() for spec in self.filter_specs)
