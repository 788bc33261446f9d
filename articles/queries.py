"""What the public article pages read from the database, beyond plain QuerySets.

Each function here is one query that the ORM would make several of, or make
slowly; each says why it is raw SQL. They read through ``read_connection()``
(the replica when there is one), hold the one per-database branch the pages
need, and take the published condition from ``ArticleQuerySet.published_sql``.
"""

import datetime as dt
from dataclasses import dataclass, field
from functools import cache

from django.db import connection

from companies.kinds import KINDS, EntityKind, kind_for_key
from companies.models import DailyMentions, Entity
from portal.routers import read_connection

from .figures.counting import day_start, local_day
from .models import Article, DailyTagUses, Tag, TaggedArticle

# --- An article's entities and tags ---------------------------------------------


@dataclass
class ArticleLinks:
    """An article's linked entities by kind (``EntityKind.key``), and its tags."""

    by_kind: dict[str, list[Entity]] = field(
        default_factory=lambda: {kind.key: [] for kind in KINDS}
    )
    tags: list[Tag] = field(default_factory=list)

    def of(self, kind: EntityKind) -> list[Entity]:
        return self.by_kind[kind.key]

    @property
    def entities(self) -> list[Entity]:
        return [entity for kind in KINDS for entity in self.of(kind)]

    def groups(self) -> list[tuple[EntityKind, list[Entity]]]:
        """The kinds the article links to, in page order, each with its entities."""
        return [(kind, self.of(kind)) for kind in KINDS if self.of(kind)]

    @classmethod
    def prefetched(cls, article: Article) -> "ArticleLinks":
        """From an article fetched with ``Article.objects.with_entities()``."""
        return cls(
            by_kind={kind.key: list(getattr(article, kind.key).all()) for kind in KINDS},
            tags=list(article.tags.all()),
        )


@cache
def _links_sql() -> str:
    branches = []
    for kind in KINDS:
        # Only companies have a kind that matters on the page (government bodies).
        company_kind = "e.kind" if any(f.name == "kind" for f in kind.model._meta.fields) else "''"
        branches.append(
            f"SELECT '{kind.key}', e.id, e.name, e.slug, {company_kind} "
            f"FROM {kind.links._meta.db_table} l "
            f"JOIN {kind.model._meta.db_table} e ON e.id = l.entity_id WHERE l.article_id = %s"
        )
    branches.append(
        f"SELECT 'tags', t.id, t.name, t.slug, '' FROM {TaggedArticle._meta.db_table} l "
        f"JOIN {Tag._meta.db_table} t ON t.id = l.tag_id WHERE l.content_object_id = %s"
    )
    return " UNION ALL ".join(branches)


def article_links(article: Article) -> ArticleLinks:
    """Everything linked to ``article``, in one query.

    Prefetching the five relations costs five queries and much ORM work; one
    UNION reads names and slugs, and the rows become unsaved model instances
    (enough for names, URLs and schema.org types), sorted by name.
    """
    with read_connection().cursor() as cursor:
        cursor.execute(_links_sql(), [article.pk] * (len(KINDS) + 1))
        rows = cursor.fetchall()
    links = ArticleLinks()
    for key, pk, name, slug, company_kind in sorted(rows, key=lambda row: row[2].casefold()):
        if key == "tags":
            links.tags.append(Tag(id=pk, name=name, slug=slug))
            continue
        kind = kind_for_key(key)
        entity = kind.model(id=pk, name=name, slug=slug)
        if company_kind:
            entity.kind = company_kind
        links.of(kind).append(entity)
    return links


# --- Related articles --------------------------------------------------------------

# A shared model or official says more about the story than a shared country;
# tags count like countries.
RELATED_WEIGHTS = {"vehicle_models": 3, "officials": 3, "companies": 2, "countries": 1}
TAG_WEIGHT = 1
# Per shared entity or tag only its most recent articles are candidates: a
# country in tens of thousands of articles then costs no more than a rare model,
# and recent stories are the related ones readers want.
RECENT_PER_LINK = 50


def _related_branch(table: str, article: str, target: str, weight: int, per_link: int) -> str:
    # The id of the per_link-th newest article sharing this link: an index
    # range bound on (target, article), computed once per shared link.
    threshold = (
        f"COALESCE((SELECT x.{article} FROM {table} x WHERE x.{target} = s.{target} "
        f"ORDER BY x.{article} DESC LIMIT 1 OFFSET {per_link - 1}), 0)"
    )
    return (
        f"SELECT o.{article} AS article_id, {weight} AS w FROM {table} s "
        f"JOIN {table} o ON o.{target} = s.{target} "
        f"WHERE s.{article} = %(article)s AND o.{article} <> %(article)s "
        f"AND o.{article} >= {threshold}"
    )


@cache
def _related_sql(published: str, per_link: int) -> str:
    branches = [
        _related_branch(
            kind.links._meta.db_table,
            "article_id",
            "entity_id",
            RELATED_WEIGHTS[kind.key],
            per_link,
        )
        for kind in KINDS
    ]
    tags = TaggedArticle._meta.db_table
    branches.append(_related_branch(tags, "content_object_id", "tag_id", TAG_WEIGHT, per_link))
    # The few scored candidates drive the join (CROSS JOIN keeps SQLite from
    # walking every published article instead); then each is looked up by id.
    return (
        "SELECT a.id, a.title, a.slug, a.lead, a.published_at, a.status, r.score FROM ("
        "SELECT article_id, SUM(w) AS score FROM ("
        + " UNION ALL ".join(branches)
        + ") shared GROUP BY article_id"
        f") r CROSS JOIN {Article._meta.db_table} a "
        f"WHERE a.id = r.article_id AND {published} "
        "ORDER BY r.score DESC, a.published_at DESC, a.id DESC LIMIT %(limit)s"
    )


def related_articles(
    article: Article, *, limit: int = 5, per_link: int = RECENT_PER_LINK
) -> list[Article]:
    """Published articles sharing the most entities and tags with ``article``.

    One query: the shared entities and tags are scored per article in SQL, over
    the newest ``per_link`` candidates per shared entity or tag, so the cost does
    not grow with the corpus or with how many links the article has. Raw SQL
    because the ORM cannot bound the candidates per link.
    """
    published, params = Article.objects.published_sql("a")
    params |= {"article": article.pk, "limit": limit}
    return list(Article.objects.raw(_related_sql(published, per_link), params))


# --- The home page's busiest entities and tags -------------------------------------

# The figures are read from the stored counts per day (``articles.figures``),
# not counted from the links: a window of eight weeks holds tens of thousands of
# links at 100,000 articles, and at most a row per entity and day of counts.


def _scheduled_branch(links: str, article: str, subject: str) -> str:
    """SQL: -1 per link of an article counted on a day of the window but not
    out yet (scheduled for later on its last day)."""
    not_yet, _params = Article.objects.scheduled_sql("a")
    return (
        f"SELECT l.{subject} AS id, -1 AS n FROM {links} l "
        f"JOIN {Article._meta.db_table} a ON a.id = l.{article} "
        f"WHERE {not_yet} AND a.published_at < %(until)s"
    )


def _window_params(window: "DayWindow", limit: int) -> dict:
    _published, params = Article.objects.published_sql("a")
    ops = connection.ops
    return {
        **params,
        "first": ops.adapt_datefield_value(window.first),
        "last": ops.adapt_datefield_value(window.last),
        "until": ops.adapt_datetimefield_value(day_start(window.last + dt.timedelta(days=1))),
        "limit": limit,
    }


@dataclass(frozen=True)
class DayWindow:
    """The days (site time zone) the home page's figures count, both included."""

    first: dt.date
    last: dt.date

    @classmethod
    def ending(cls, moment: dt.datetime, *, days: int) -> "DayWindow":
        last = local_day(moment)
        return cls(first=last - dt.timedelta(days=days - 1), last=last)


@cache
def _busiest_sql() -> str:
    """Per kind, the entities with the most mentions in the window: the stored
    counts of its days, less the links of articles not out yet. One query for
    every kind, each with its own LIMIT (inside a subquery, so SQLite accepts
    the LIMIT in a UNION)."""
    mentions = DailyMentions._meta.db_table
    branches = []
    for kind in KINDS:
        if not kind.on_home_page:
            continue
        counted = (
            f"SELECT entity_id AS id, count AS n FROM {mentions} WHERE kind = '{kind.name}' "
            "AND day >= %(first)s AND day <= %(last)s UNION ALL "
            + _scheduled_branch(kind.links._meta.db_table, "article_id", "entity_id")
        )
        branches.append(
            f"SELECT * FROM (SELECT '{kind.key}' AS kind, e.name, e.slug, SUM(f.n) AS mentions "
            f"FROM ({counted}) f JOIN {kind.model._meta.db_table} e ON e.id = f.id "
            "GROUP BY e.id, e.name, e.slug HAVING SUM(f.n) > 0 "
            f"ORDER BY mentions DESC, e.name LIMIT %(limit)s) {kind.key}"
        )
    return " UNION ALL ".join(branches)


def busiest_entities(*, window: DayWindow, limit: int = 5) -> dict[str, list]:
    """Per kind shown on the home page (by key), the entities most mentioned by
    published articles of ``window``, with their counts, in one query."""
    with read_connection().cursor() as cursor:
        cursor.execute(_busiest_sql(), _window_params(window, limit))
        rows = cursor.fetchall()
    grouped: dict[str, list] = {kind.key: [] for kind in KINDS if kind.on_home_page}
    for key, name, slug, mentions in sorted(rows, key=lambda row: (-row[3], row[1])):
        grouped[key].append((kind_for_key(key).model(name=name, slug=slug), mentions))
    return grouped


def popular_tags(*, window: DayWindow, limit: int = 12) -> list[Tag]:
    """The tags most used by published articles of ``window`` (one query over
    the stored counts, like ``busiest_entities``)."""
    counted = (
        f"SELECT tag_id AS id, count AS n FROM {DailyTagUses._meta.db_table} "
        "WHERE day >= %(first)s AND day <= %(last)s UNION ALL "
        + _scheduled_branch(TaggedArticle._meta.db_table, "content_object_id", "tag_id")
    )
    sql = (
        f"SELECT t.id, t.name, t.slug, SUM(f.n) AS uses FROM ({counted}) f "
        f"JOIN {Tag._meta.db_table} t ON t.id = f.id GROUP BY t.id, t.name, t.slug "
        "HAVING SUM(f.n) > 0 ORDER BY uses DESC, t.name LIMIT %(limit)s"
    )
    with read_connection().cursor() as cursor:
        cursor.execute(sql, _window_params(window, limit))
        rows = cursor.fetchall()
    tags = []
    for pk, name, slug, uses in rows:
        tag = Tag(id=pk, name=name, slug=slug)
        tag.uses = uses
        tags.append(tag)
    return tags
