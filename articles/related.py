"""Related articles, ranked by the entities and tags they share with an article."""

from functools import cache

from django.db import connection
from django.utils import timezone

from .models import (
    Article,
    ArticleCompany,
    ArticleCountry,
    ArticleOfficial,
    ArticleVehicleModel,
    TaggedArticle,
)

# A shared model or official says more about the story than a shared country.
WEIGHTS = (
    (ArticleVehicleModel, "article_id", "entity_id", 3),
    (ArticleOfficial, "article_id", "entity_id", 3),
    (ArticleCompany, "article_id", "entity_id", 2),
    (ArticleCountry, "article_id", "entity_id", 1),
    (TaggedArticle, "content_object_id", "tag_id", 1),
)
# Per shared entity or tag only its most recent articles are candidates: a
# country in tens of thousands of articles then costs no more than a rare model,
# and recent stories are the related ones readers want.
RECENT_PER_LINK = 50


@cache
def _sql() -> str:
    branches = []
    for through, article, target, weight in WEIGHTS:
        table = through._meta.db_table
        # The id of the RECENT_PER_LINK-th newest article sharing this link: an
        # index range bound on (target, article), computed once per shared link.
        threshold = (
            f"COALESCE((SELECT x.{article} FROM {table} x WHERE x.{target} = s.{target} "
            f"ORDER BY x.{article} DESC LIMIT 1 OFFSET {RECENT_PER_LINK - 1}), 0)"
        )
        branches.append(
            f"SELECT o.{article} AS article_id, {weight} AS w FROM {table} s "
            f"JOIN {table} o ON o.{target} = s.{target} "
            f"WHERE s.{article} = %(article)s AND o.{article} <> %(article)s "
            f"AND o.{article} >= {threshold}"
        )
    # The few scored candidates drive the join (CROSS JOIN keeps SQLite from
    # walking every published article instead); then each is looked up by id.
    return (
        "SELECT a.id, a.title, a.slug, a.lead, a.published_at, a.status, r.score FROM ("
        "SELECT article_id, SUM(w) AS score FROM ("
        + " UNION ALL ".join(branches)
        + ") shared GROUP BY article_id"
        f") r CROSS JOIN {Article._meta.db_table} a "
        "WHERE a.id = r.article_id AND a.status = %(published)s AND a.published_at <= %(now)s "
        "ORDER BY r.score DESC, a.published_at DESC, a.id DESC LIMIT %(limit)s"
    )


def related_articles(article: Article, *, limit: int = 5) -> list[Article]:
    """Published articles sharing the most entities and tags with ``article``.

    One query: the shared entities and tags are scored per article in SQL, over
    a bounded number of candidates per link, so the cost does not grow with the
    corpus or with how many links the article has.
    """
    params = {
        "article": article.pk,
        "published": Article.Status.PUBLISHED,
        "now": connection.ops.adapt_datetimefield_value(timezone.now()),
        "limit": limit,
    }
    return list(Article.objects.raw(_sql(), params))
