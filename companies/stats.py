"""Figures for entity pages: mentions per month and entities mentioned together.

The article side is reached through the ``articles`` reverse relations, so this
app never imports the articles app.
"""

import datetime as dt
from dataclasses import dataclass
from functools import cache

from django.db import connection
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from portal.paths import slug_url
from portal.routers import read_connection

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


def published_mentions(model: type[Entity]):
    """An annotation: how many published articles mention each ``model`` entity.

    Every link of the entity is counted through the (entity_id, article_id) index
    alone, less the links to articles not public yet: drafts and scheduled articles
    are a small share, found through the (status, published_at, id) index, each
    set hashed once per query. Joining every link to its article instead reads the
    whole article table for a list of a hundred entities.
    """
    relation = model._meta.get_field("articles")
    articles = relation.related_model._default_manager
    # "status IN (…)" rather than "status <> …", so the index finds them.
    statuses = articles.model._meta.get_field("status").choices
    unpublished = [value for value, _label in statuses if value != "published"]
    drafts = articles.filter(status__in=unpublished).values("pk")
    scheduled = articles.filter(status="published", published_at__gt=timezone.now()).values("pk")
    counted = (
        relation.through.objects.filter(entity=OuterRef("pk"))
        .exclude(article__in=drafts)
        .exclude(article__in=scheduled)
        .order_by()
        .values("entity")
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(counted), 0)


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
    count zero. Two queries: the newest mention, then the counts inside the
    window only (a country has tens of thousands of older mentions).
    """
    published = entity.articles.published()
    newest = published.order_by("-published_at").values_list("published_at", flat=True).first()
    if newest is None:
        return []
    last = timezone.localtime(newest).date().replace(day=1)
    first = _months_before(last, months - 1)
    start = dt.datetime.combine(first, dt.time.min, tzinfo=timezone.get_current_timezone())
    rows = (
        published.filter(published_at__gte=start)
        .annotate(month=TruncMonth("published_at"))
        .values("month")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = {
        timezone.localtime(row["month"]).date()
        if isinstance(row["month"], dt.datetime)
        else row["month"]: row["n"]
        for row in rows
    }
    return [
        MonthCount(month, counts.get(month, 0))
        for month in (_months_before(last, back) for back in range(months - 1, -1, -1))
    ]


def _months_before(month: dt.date, count: int) -> dt.date:
    index = month.year * 12 + month.month - 1 - count
    return dt.date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class RelatedEntity:
    kind: str
    name: str
    slug: str
    count: int

    def get_absolute_url(self) -> str:
        model = next(m for m in ENTITY_MODELS if m._meta.model_name == self.kind)
        return slug_url(f"companies:{model.url_name}", self.slug)


# Co-mentions are counted over the entity's most recent articles: the ranking
# says who is in the news with it lately, and a country mentioned in tens of
# thousands of articles costs no more than a small company.
RECENT_ARTICLES = 500


@cache
def _related_sql(model: type[Entity]) -> str:
    """One query over the link tables, reached through the ``articles`` relations."""
    own_links = model._meta.get_field("articles").through._meta.db_table
    articles = model._meta.get_field("articles").related_model._meta.db_table
    branches = []
    for other in ENTITY_MODELS:
        links = other._meta.get_field("articles").through._meta.db_table
        not_itself = "AND e.id <> %(entity)s" if other is model else ""
        branches.append(
            f"SELECT '{other._meta.model_name}', e.name, e.slug, COUNT(*) AS n "
            f"FROM {links} l JOIN {other._meta.db_table} e ON e.id = l.entity_id "
            f"WHERE l.article_id IN (SELECT article_id FROM shared) {not_itself} "
            "GROUP BY e.id, e.name, e.slug"
        )
    return (
        "WITH shared AS ("
        f"SELECT l.article_id FROM {own_links} l JOIN {articles} a ON a.id = l.article_id "
        "WHERE l.entity_id = %(entity)s AND a.status = 'published' AND a.published_at <= %(now)s "
        f"ORDER BY l.article_id DESC LIMIT {RECENT_ARTICLES}) "
        + " UNION ALL ".join(branches)
        + " ORDER BY 4 DESC, 2 LIMIT %(limit)s"
    )


def related_entities(entity: Entity, *, limit: int = 10) -> list[RelatedEntity]:
    """Entities mentioned in the same published articles, most often first (one query)."""
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with read_connection().cursor() as cursor:
        cursor.execute(
            _related_sql(type(entity)), {"entity": entity.pk, "now": now, "limit": limit}
        )
        return [RelatedEntity(kind, name, slug, n) for kind, name, slug, n in cursor.fetchall()]


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
