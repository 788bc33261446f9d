"""Figures for entity pages: mentions per month and entities mentioned together.

The article side is reached through the ``articles`` reverse relations, so this
app never imports the articles app.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import CharField, Count, Q, QuerySet, Value
from django.db.models.functions import TruncMonth
from django.utils import timezone

from .models import Company, Country, Entity, Official, VehicleModel

MONTH_NAMES = (
    "янв",
    "фев",
    "мар",
    "апр",
    "май",
    "июн",
    "июл",
    "авг",
    "сен",
    "окт",
    "ноя",
    "дек",
)
ENTITY_MODELS: tuple[type[Entity], ...] = (Company, VehicleModel, Official, Country)


def published_q(prefix: str = "articles__") -> Q:
    """Published articles, as the articles app defines them, seen from an entity."""
    return Q(**{f"{prefix}status": "published", f"{prefix}published_at__lte": timezone.now()})


@dataclass(frozen=True)
class MonthCount:
    month: dt.date
    count: int

    @property
    def label(self) -> str:
        return f"{MONTH_NAMES[self.month.month - 1]} {self.month.year}"


def mentions_by_month(entity: Entity, *, months: int = 12) -> list[MonthCount]:
    """Published articles mentioning ``entity`` in each of the last ``months`` months.

    The window ends with the month of the newest mention, so an entity that was
    in the news long ago still shows its busy months; months without mentions
    count zero.
    """
    rows = (
        entity.articles.published()
        .annotate(month=TruncMonth("published_at"))
        .values("month")
        .annotate(n=Count("id"))
        .order_by("-month")[:months]
    )
    counts = {
        row["month"].date() if hasattr(row["month"], "date") else row["month"]: row["n"]
        for row in rows
    }
    if not counts:
        return []
    last = max(counts)
    series = []
    year, month = last.year, last.month
    for _ in range(months):
        day = dt.date(year, month, 1)
        series.append(MonthCount(day, counts.get(day, 0)))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return series[::-1]


@dataclass(frozen=True)
class RelatedEntity:
    kind: str
    name: str
    slug: str
    count: int

    def get_absolute_url(self) -> str:
        model = next(m for m in ENTITY_MODELS if m._meta.model_name == self.kind)
        return model(slug=self.slug).get_absolute_url()


def related_entities(entity: Entity, *, limit: int = 10) -> list[RelatedEntity]:
    """Entities mentioned in the same published articles, most often first (one query)."""
    shared_articles = entity.articles.published().values("pk")
    parts: list[QuerySet] = []
    for model in ENTITY_MODELS:
        queryset = model.objects.filter(articles__in=shared_articles)
        if isinstance(entity, model):
            queryset = queryset.exclude(pk=entity.pk)
        parts.append(
            queryset.annotate(entity_kind=Value(model._meta.model_name, output_field=CharField()))
            .values_list("entity_kind", "name", "slug")
            .annotate(n=Count("articles"))
            .order_by()
        )
    combined = parts[0].union(*parts[1:], all=True).order_by("-n", "name")
    return [RelatedEntity(kind, name, slug, n) for kind, name, slug, n in combined[:limit]]


@dataclass(frozen=True)
class Bar:
    x: int
    y: int
    height: int
    month: MonthCount


CHART_HEIGHT = 56  # drawing area, in SVG units; the axis sits at its bottom
BAR_WIDTH = 16
BAR_STEP = 20


def chart_bars(months: list[MonthCount]) -> list[Bar]:
    """Bar geometry for the mentions chart, scaled to the busiest month."""
    peak = max((m.count for m in months), default=0) or 1
    bars = []
    for n, month in enumerate(months):
        height = round(month.count / peak * (CHART_HEIGHT - 4))
        bars.append(Bar(x=n * BAR_STEP, y=CHART_HEIGHT - height, height=height, month=month))
    return bars
