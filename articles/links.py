"""An article's linked entities and tags, fetched together for its page.

The article page shows every linked entity and tag; prefetching the five
relations costs five queries and much ORM work. Here one UNION query reads
names and slugs, and the rows become unsaved model instances (enough for
names, URLs and schema.org types), grouped and sorted as the page shows them.
"""

from dataclasses import dataclass, field
from functools import cache

from companies.models import Entity
from portal.routers import read_connection

from .linking import LINK_KINDS
from .models import Article, Tag, TaggedArticle


@dataclass
class ArticleLinks:
    companies: list = field(default_factory=list)
    vehicle_models: list = field(default_factory=list)
    officials: list = field(default_factory=list)
    countries: list = field(default_factory=list)
    tags: list[Tag] = field(default_factory=list)

    @property
    def entities(self) -> list[Entity]:
        return [*self.companies, *self.vehicle_models, *self.officials, *self.countries]

    @classmethod
    def prefetched(cls, article: Article) -> "ArticleLinks":
        """From an article fetched with ``Article.objects.with_entities()``."""
        return cls(
            companies=list(article.companies.all()),
            vehicle_models=list(article.vehicle_models.all()),
            officials=list(article.officials.all()),
            countries=list(article.countries.all()),
            tags=list(article.tags.all()),
        )


@cache
def _sql() -> str:
    branches = []
    for model, through, attr in LINK_KINDS:
        # Only companies have a kind that matters on the page (government bodies).
        kind = "e.kind" if any(f.name == "kind" for f in model._meta.fields) else "''"
        branches.append(
            f"SELECT '{attr}', e.id, e.name, e.slug, {kind} FROM {through._meta.db_table} l "
            f"JOIN {model._meta.db_table} e ON e.id = l.entity_id WHERE l.article_id = %s"
        )
    branches.append(
        f"SELECT 'tags', t.id, t.name, t.slug, '' FROM {TaggedArticle._meta.db_table} l "
        f"JOIN {Tag._meta.db_table} t ON t.id = l.tag_id WHERE l.content_object_id = %s"
    )
    return " UNION ALL ".join(branches)


def article_links(article: Article) -> ArticleLinks:
    """Everything linked to ``article``, in one query."""
    models = {attr: model for model, _through, attr in LINK_KINDS}
    with read_connection().cursor() as cursor:
        cursor.execute(_sql(), [article.pk] * (len(LINK_KINDS) + 1))
        rows = cursor.fetchall()
    links = ArticleLinks()
    for attr, pk, name, slug, kind in sorted(rows, key=lambda row: row[2].casefold()):
        if attr == "tags":
            links.tags.append(Tag(id=pk, name=name, slug=slug))
            continue
        entity = models[attr](id=pk, name=name, slug=slug)
        if kind:
            entity.kind = kind
        getattr(links, attr).append(entity)
    return links
