"""Related articles, ranked by the entities and tags they share with an article."""

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
    (ArticleVehicleModel, "entity_id", 3),
    (ArticleOfficial, "entity_id", 3),
    (ArticleCompany, "entity_id", 2),
    (ArticleCountry, "entity_id", 1),
)
TAG_WEIGHT = 1


def related_articles(article: Article, *, limit: int = 5) -> list[Article]:
    """Published articles sharing the most entities and tags with ``article``.

    One query: the shared entities and tags are scored per article in SQL, so
    the cost does not depend on how many links the article has.
    """
    branches, params = [], []
    for through, column, weight in WEIGHTS:
        table = through._meta.db_table
        branches.append(
            f"SELECT o.article_id, {weight} AS w FROM {table} o "
            f"JOIN {table} s ON s.{column} = o.{column} "
            "WHERE s.article_id = %s AND o.article_id <> %s"
        )
        params += [article.pk, article.pk]
    tagged = TaggedArticle._meta.db_table
    branches.append(
        f"SELECT o.content_object_id, {TAG_WEIGHT} FROM {tagged} o "
        f"JOIN {tagged} s ON s.tag_id = o.tag_id "
        "WHERE s.content_object_id = %s AND o.content_object_id <> %s"
    )
    params += [article.pk, article.pk]
    article_table = Article._meta.db_table
    sql = (
        f"SELECT a.id, a.title, a.slug, a.lead, a.published_at, a.status, r.score "
        f"FROM {article_table} a JOIN ("
        "SELECT article_id, SUM(w) AS score FROM ("
        + " UNION ALL ".join(branches)
        + ") shared GROUP BY article_id"
        ") r ON r.article_id = a.id "
        "WHERE a.status = %s AND a.published_at <= %s "
        "ORDER BY r.score DESC, a.published_at DESC, a.id DESC LIMIT %s"
    )
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    params += [Article.Status.PUBLISHED, now, limit]
    return list(Article.objects.raw(sql, params))
