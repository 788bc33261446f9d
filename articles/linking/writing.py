"""The links between articles and entities in the database.

Links remember who made them (``LinkOrigin``). The linker adds and removes
only its own links; an editor's added links stay, and an editor's removals
(``RejectedLink``) are never re-added. Articles are linked one at a time
(``link_entities``, when an editor saves) or by the batch (``link_articles``,
``sync_links``, for the loader and ``relink``) in a fixed number of queries.
Linking stores where each entity is mentioned (``Article.mentions``) as well.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain

from django.contrib.contenttypes.models import ContentType
from django.db import connections, models, router, transaction

from companies.kinds import KINDS, EntityKind, kind_of
from companies.models import Entity

from ..figures import note_articles
from ..models import Article, LinkOrigin, RejectedLink
from .matcher import EntityKey, Matcher, build_matcher
from .mentions import POSITION_FIELDS, find_mentions

# Article pk -> entity pks, for one kind.
_PerArticle = dict[int, list[int]]


@dataclass
class LinkResult:
    added: list[Entity] = field(default_factory=list)
    removed: list[Entity] = field(default_factory=list)
    # Every entity linked to the article afterwards, the editors' links included.
    linked: set[EntityKey] = field(default_factory=set)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed)


@transaction.atomic
def link_entities(*, article: Article, matcher: Matcher | None = None) -> LinkResult:
    """Bring the linker's links of ``article`` in line with its text.

    Adds entities the text mentions, drops the linker's own links the text no
    longer supports, and leaves every editor decision alone. The mention
    positions are stored too.
    """
    matcher = matcher or build_matcher()
    mentions = find_mentions(article=article, matcher=matcher)
    mentions.store(article)
    Article.objects.filter(pk=article.pk).update(
        **{name: getattr(article, name) for name in POSITION_FIELDS}
    )
    return sync_links(found={article.pk: mentions.found}, matcher=matcher)[article.pk]


def link_articles(*, articles: Sequence[Article], matcher: Matcher) -> dict[int, LinkResult]:
    """``link_entities`` for a batch of saved articles, in a fixed number of queries.

    Mention positions are written only where they changed.
    """
    found: dict[int, set[EntityKey]] = {}
    changed_positions = []
    for article in articles:
        mentions = find_mentions(article=article, matcher=matcher)
        found[article.pk] = mentions.found
        if mentions.store(article):
            changed_positions.append(article)
    with transaction.atomic():
        Article.objects.bulk_update(changed_positions, POSITION_FIELDS)
        return sync_links(found=found, matcher=matcher)


def refresh_positions(*, batch_size: int = 500) -> int:
    """Store the mention positions of articles that have none; how many.

    Articles written before positions covered the headline and the lead (the
    migration left them empty), or by code that bypassed the linker, get them
    here, so the article page can link their first mentions. Links are left as
    they are: only ``relink`` changes those.
    """
    # The keys first: the rows leave the filter as they are written.
    pks = list(Article.objects.filter(mentions_hash="").order_by("pk").values_list("pk", flat=True))
    if not pks:
        return 0  # no catalog to compile
    matcher = build_matcher()
    with transaction.atomic():
        for start in range(0, len(pks), batch_size):
            batch = list(
                Article.objects.filter(pk__in=pks[start : start + batch_size]).only(
                    "title", "lead", "body"
                )
            )
            for article in batch:
                find_mentions(article=article, matcher=matcher).store(article)
            Article.objects.bulk_update(batch, POSITION_FIELDS)
    return len(pks)


def sync_links(
    *,
    found: Mapping[int, set[EntityKey]],
    matcher: Matcher | None = None,
    new: bool = False,
) -> dict[int, LinkResult]:
    """The linker's links of many articles (by pk) in line with what their text names.

    A fixed number of queries whatever the number of articles: the caller keeps
    batches to a few hundred. ``new`` says the articles were just created, so
    they have no links and no editor's removals to read. Call inside a
    transaction (the loader's, or ``link_entities``).
    """
    ids = list(found)
    results = {pk: LinkResult() for pk in ids}
    rejected = {} if new else _rejected_keys(ids)
    for kind in KINDS:
        existing = {} if new else _existing_links(kind, ids)
        to_create: list[tuple[int, int, str]] = []
        stale_links: list[int] = []
        added: _PerArticle = {}
        removed: _PerArticle = {}
        for article_id in ids:
            wanted = {pk for model, pk in found[article_id] if model is kind.model}
            wanted -= rejected.get((article_id, kind.model), set())
            links = existing.get(article_id, {})
            new_ids = sorted(wanted - links.keys())
            stale = [
                entity_id
                for entity_id, (_pk, origin) in links.items()
                if origin == LinkOrigin.LINKER and entity_id not in wanted
            ]
            to_create += [(article_id, pk, LinkOrigin.LINKER.value) for pk in new_ids]
            stale_links += [links[entity_id][0] for entity_id in stale]
            added[article_id], removed[article_id] = new_ids, stale
            kept = (links.keys() - set(stale)) | wanted
            results[article_id].linked |= {(kind.model, pk) for pk in kept}
        insert_rows(kind.links, ["article", "entity", "origin"], to_create)
        if stale_links:
            kind.links.objects.filter(pk__in=stale_links).delete()
        _report(results, kind, added, removed, matcher)
    # ``insert_rows`` sends no signals: the figures learn of the new links here.
    note_articles(article_ids=[pk for pk, result in results.items() if result.changed])
    return results


def _existing_links(kind: EntityKind, ids: list[int]) -> dict[int, dict[int, tuple[int, str]]]:
    """Article pk -> entity pk -> the link row's pk and origin."""
    existing: dict[int, dict[int, tuple[int, str]]] = defaultdict(dict)
    rows = kind.links.objects.filter(article_id__in=ids).values_list(
        "pk", "article_id", "entity_id", "origin"
    )
    for pk, article_id, entity_id, origin in rows:
        existing[article_id][entity_id] = (pk, origin)
    return existing


def _report(
    results: dict[int, LinkResult],
    kind: EntityKind,
    added: _PerArticle,
    removed: _PerArticle,
    matcher: Matcher | None,
) -> None:
    """Each article's added and removed entities of ``kind``, read in one query at most."""
    pks = [*chain.from_iterable(added.values()), *chain.from_iterable(removed.values())]
    entities = _entities(kind.model, pks, matcher)
    for article_id, result in results.items():
        result.added += _by_name(entities, added[article_id])
        result.removed += _by_name(entities, removed[article_id])


def _entities(
    model: type[Entity], pks: Iterable[int], matcher: Matcher | None
) -> dict[int, Entity]:
    known = matcher.entities if matcher else {}
    result = {pk: known[(model, pk)] for pk in set(pks) if (model, pk) in known}
    missing = set(pks) - result.keys()
    if missing:
        result |= model.objects.in_bulk(missing)
    return result


def _by_name(entities: dict[int, Entity], pks: list[int]) -> list[Entity]:
    # The order the catalog lists them in (``Entity.Meta.ordering``).
    return sorted((entities[pk] for pk in pks), key=lambda e: (e.name, e.pk))


def _rejected_keys(article_ids: list[int]) -> dict[tuple[int, type[Entity]], set[int]]:
    """The entities editors removed, by article pk and entity model."""
    rejected: dict[tuple[int, type[Entity]], set[int]] = defaultdict(set)
    rows = RejectedLink.objects.filter(article_id__in=article_ids).values_list(
        "article_id", "content_type_id", "object_id"
    )
    for article_id, ct_id, object_id in rows:
        model = ContentType.objects.get_for_id(ct_id).model_class()
        rejected[(article_id, model)].add(object_id)
    return rejected


def insert_rows(model: type[models.Model], fields: list[str], rows: list[tuple]) -> None:
    """INSERT ``rows`` (values of ``fields``, in order) into ``model``'s table.

    For the many small link and tag rows of a batch: ``bulk_create`` builds a
    model instance and compiles every value of every row, which took most of a
    load's writing time. Rows go many to a statement (one statement per row
    costs PostgreSQL a round of parsing and planning each). Like
    ``bulk_create``, it sends no signals.
    """
    if not rows:
        return
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in fields)
    row = f"({', '.join(['%s'] * len(fields))})"
    per_statement = min(1000, (connection.features.max_query_params or 65535) // len(fields))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            cursor.execute(
                f"INSERT INTO {quote(model._meta.db_table)} ({columns}) "
                f"VALUES {', '.join([row] * len(chunk))}",
                [value for values in chunk for value in values],
            )


@transaction.atomic
def add_link(*, article: Article, entity: Entity) -> None:
    """An editor links ``entity``: the link stays whatever the text says."""
    kind_of(entity).links.objects.update_or_create(
        article=article, entity=entity, defaults={"origin": LinkOrigin.EDITOR}
    )
    RejectedLink.objects.filter(
        article=article,
        content_type=ContentType.objects.get_for_model(entity),
        object_id=entity.pk,
    ).delete()


@transaction.atomic
def remove_link(*, article: Article, entity: Entity) -> None:
    """An editor unlinks ``entity``: re-linking will not bring it back."""
    kind_of(entity).links.objects.filter(article=article, entity=entity).delete()
    RejectedLink.objects.get_or_create(
        article=article,
        content_type=ContentType.objects.get_for_model(entity),
        object_id=entity.pk,
    )
