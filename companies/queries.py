"""What entity pages read from the database: mention counts, mentions per
month and the entities mentioned together.

The article side is reached through each entity's ``articles`` relation (its
manager's ``published()`` and ``published_sql()``), so this app never imports
the articles app and never spells out which articles are published. The two raw
queries are here because they were measured: see each one's docstring.
"""

import datetime as dt
from dataclasses import dataclass
from functools import cache

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from portal.paths import slug_url
from portal.routers import read_connection

from .kinds import KINDS, EntityKind, kind_named
from .models import Entity

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


def _articles(model: type[Entity]):
    """The article manager, reached through ``model``'s ``articles`` relation."""
    return model._meta.get_field("articles").related_model._default_manager


def published_mentions(model: type[Entity]):
    """An annotation: how many published articles mention each ``model`` entity.

    Every link of the entity is counted through the (entity_id, article_id) index
    alone, less the links to articles not public yet: drafts and scheduled articles
    are a small share, found through the (status, published_at, id) index, each
    set hashed once per query. Joining every link to its article instead reads the
    whole article table for a list of a hundred entities.
    """
    articles = _articles(model)
    counted = (
        model._meta.get_field("articles")
        .through.objects.filter(entity=OuterRef("pk"))
        .exclude(article__in=articles.drafts().values("pk"))
        .exclude(article__in=articles.scheduled().values("pk"))
        .order_by()
        .values("entity")
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(counted), 0)


def by_mentions(kind: EntityKind):
    """A kind's entities, the most mentioned first, each with ``mentions``."""
    return kind.model.objects.annotate(mentions=published_mentions(kind.model)).order_by(
        "-mentions", "name"
    )


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
        return slug_url(f"companies:{kind_named(self.kind).url_name}", self.slug)


# Co-mentions are counted over the entity's most recent articles: the ranking
# says who is in the news with it lately, and a country mentioned in tens of
# thousands of articles costs no more than a small company.
RECENT_ARTICLES = 500


@cache
def _related_sql(model: type[Entity], published: str) -> str:
    """One query over the link tables, reached through the ``articles`` relations.

    Raw SQL because it was measured: the ORM cannot say "the entity's newest
    ``RECENT_ARTICLES`` published articles, then every link of those" in one
    query, and per-kind ORM queries cost four round trips and a merge in Python.
    """
    own_links = model._meta.get_field("articles").through._meta.db_table
    articles = model._meta.get_field("articles").related_model._meta.db_table
    branches = []
    for kind in KINDS:
        not_itself = "AND e.id <> %(entity)s" if kind.model is model else ""
        branches.append(
            f"SELECT '{kind.name}', e.name, e.slug, COUNT(*) AS n "
            f"FROM {kind.links._meta.db_table} l JOIN {kind.model._meta.db_table} e "
            "ON e.id = l.entity_id "
            f"WHERE l.article_id IN (SELECT article_id FROM shared) {not_itself} "
            "GROUP BY e.id, e.name, e.slug"
        )
    return (
        "WITH shared AS ("
        f"SELECT l.article_id FROM {own_links} l JOIN {articles} a ON a.id = l.article_id "
        f"WHERE l.entity_id = %(entity)s AND {published} "
        f"ORDER BY l.article_id DESC LIMIT {RECENT_ARTICLES}) "
        + " UNION ALL ".join(branches)
        + " ORDER BY 4 DESC, 2 LIMIT %(limit)s"
    )


def related_entities(entity: Entity, *, limit: int = 10) -> list[RelatedEntity]:
    """Entities mentioned in the same published articles, most often first (one query)."""
    connection = read_connection()
    published, params = _articles(type(entity)).db_manager(connection.alias).published_sql("a")
    with connection.cursor() as cursor:
        cursor.execute(
            _related_sql(type(entity), published),
            {"entity": entity.pk, "limit": limit, **params},
        )
        return [RelatedEntity(kind, name, slug, n) for kind, name, slug, n in cursor.fetchall()]
