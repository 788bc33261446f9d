"""What entity pages read from the database: mention counts, mentions per
month and the entities mentioned together.

The article side is reached through each entity's ``articles`` relation (its
manager's ``published()``, ``scheduled()`` and ``published_sql()``), so this app
never imports the articles app and never spells out which articles are published.
Counts come from the stored figures (``DailyMentions``, ``MentionTotals``), which
the articles app keeps up to date. The raw query is here because it was
measured: see its docstring.
"""

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from functools import cache

from django.db.models import Case, Count, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from portal.paths import slug_url
from portal.routers import read_connection

from .kinds import KINDS, EntityKind, kind_named
from .models import DailyMentions, Entity, MentionTotals

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


def _tomorrow() -> dt.datetime:
    """The first moment of the next day in the site's time zone: the stored
    counts of days up to today hold the articles scheduled for later today."""
    today = timezone.localdate()
    return dt.datetime.combine(
        today + dt.timedelta(days=1), dt.time.min, tzinfo=timezone.get_current_timezone()
    )


def published_mentions(model: type[Entity]):
    """An annotation: how many published articles mention each ``model`` entity.

    The stored total (``MentionTotals``, one row per entity) less the links of
    scheduled articles, counted once for the kind in a query of their own
    (scheduled articles are few, found through the (status, published_at, id)
    index) and written into the annotation: a list of hundreds of entities then
    reads one small row each, not every link of a country.
    """
    stored = MentionTotals.objects.filter(kind=model._meta.model_name, entity_id=OuterRef("pk"))
    total = Coalesce(Subquery(stored.values("count")[:1]), 0)
    not_yet = _articles(model).scheduled().values("pk")
    later = (
        model._meta.get_field("articles")
        .through.objects.filter(article__in=not_yet)
        .values_list("entity_id")
        .annotate(n=Count("*"))
        .order_by()
    )
    by_count: dict[int, list[int]] = {}
    for entity_id, n in later:
        by_count.setdefault(n, []).append(entity_id)
    if not by_count:
        return total
    later_links = Case(
        *(When(pk__in=ids, then=Value(n)) for n, ids in sorted(by_count.items())),
        default=Value(0),
    )
    return total - later_links


def by_mentions(kind: EntityKind):
    """A kind's entities, the most mentioned first, each with ``mentions``
    (one query for the scheduled articles' links when called)."""
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


# Stored counts read for the chart: one row per day at most, so this many
# newest rows cover the twelve months ending with the newest mention.
CHART_ROWS = 400


def mentions_by_month(entity: Entity, *, months: int = 12) -> list[MonthCount]:
    """Published articles mentioning ``entity`` in each of the last ``months`` months.

    The window ends with the month of the newest mention, so an entity that was
    in the news long ago still shows its busy months; months without mentions
    count zero. Two queries: the entity's newest stored counts per day
    (``DailyMentions``, up to today), and its articles scheduled for later
    today, which those count and readers must not see yet.
    """
    rows = list(
        DailyMentions.objects.filter(
            kind=type(entity)._meta.model_name,
            entity_id=entity.pk,
            day__lte=timezone.localdate(),
        )
        .order_by("-day")
        .values_list("day", "count")[:CHART_ROWS]
    )
    not_yet = entity.articles.scheduled().filter(published_at__lt=_tomorrow())
    by_day = Counter(dict(rows))
    for moment in not_yet.values_list("published_at", flat=True):
        by_day[timezone.localtime(moment).date()] -= 1
    days = [day for day, count in by_day.items() if count > 0]
    if not days:
        return []
    last = max(days).replace(day=1)
    counts = Counter()
    for day in days:
        counts[day.replace(day=1)] += by_day[day]
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


# Co-mentions are counted over the entity's most recent published articles:
# the box says who is in the news with it lately (its caption says so), and a
# hub mentioned in most of the archive costs no more than a small company. Each
# window article costs one probe of each link table's (article, entity) index,
# so the page's time grows with this number, not with the archive: 300 measured
# about 3.5 ms at 100,000 articles on PostgreSQL, 500 about 5 ms.
RECENT_ARTICLES = 300


@cache
def _related_sql(model: type[Entity], published: str, window: int) -> str:
    """One query over the link tables, reached through the ``articles`` relations.

    Raw SQL because it was measured: the ORM cannot say "the entity's newest
    ``window`` published articles, then every link of those" in one query, and
    per-kind ORM queries cost four round trips and a merge in Python. "Newest"
    is the highest article ids: the link index (entity, article) yields the
    window in order, index-only, with no sort of a hub's tens of thousands of links.

    The statement is prepared per connection (``DATABASE_PREPARED_STATEMENTS``),
    and after five runs PostgreSQL may plan it once for any entity. So the
    query leaves the planner no other plan: whether an article is published is
    a subquery per link (it cannot become a join, which for the generic plan was
    a hash join of a hub's 85,000 links with every published article: 300 ms),
    and the window is a number written into the SQL, not a parameter whose size
    the planner would guess.
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
        f"WITH shared AS (SELECT l.article_id FROM {own_links} l "
        f"WHERE l.entity_id = %(entity)s "
        f"AND (SELECT {published} FROM {articles} a WHERE a.id = l.article_id) "
        f"ORDER BY l.article_id DESC LIMIT {int(window)}) "
        + " UNION ALL ".join(branches)
        + " ORDER BY 4 DESC, 2 LIMIT %(limit)s"
    )


def related_entities(
    entity: Entity, *, limit: int = 10, window: int = RECENT_ARTICLES
) -> list[RelatedEntity]:
    """Entities mentioned together with ``entity`` in its ``window`` newest
    published articles (highest ids), most often first, then by name (one query)."""
    connection = read_connection()
    published, params = _articles(type(entity)).db_manager(connection.alias).published_sql("a")
    with connection.cursor() as cursor:
        cursor.execute(
            _related_sql(type(entity), published, window),
            {"entity": entity.pk, "limit": limit, **params},
        )
        return [RelatedEntity(kind, name, slug, n) for kind, name, slug, n in cursor.fetchall()]
