"""Re-linking the articles a catalog change concerns, right after it is saved.

An editor who adds an entity, or changes its names, expects the articles that
name it to follow. Re-linking every article would take minutes on a large
archive, so only those that can mention the entity, before or after the
change, are re-linked (found by ``footprints``), newest first and at most
``MAX_ARTICLES`` of them per change; the report says when there were more.

``relink_for_entity`` is the one entry point: the admin calls it once the save
has committed, and a background job can call it the same way later. The linker
keeps every editor's link and removal, as always.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from companies.kinds import kind_of
from companies.models import Entity
from portal.cache import bump_content_version

from ..figures import figures_batch
from ..linking import POSITION_FIELDS, build_matcher, link_articles
from ..models import Article
from .footprints import EMPTY, Footprint, footprint
from .queries import text_filter

# Re-linked per change: a few seconds of work at most, inside the editor's request.
MAX_ARTICLES = 500
# Articles linked per batch: a fixed number of queries each, little memory.
BATCH_SIZE = 100
LINKING_FIELDS = ["title", "lead", "body", *POSITION_FIELDS]


@dataclass(frozen=True)
class RelinkReport:
    relinked: int  # articles re-linked
    changed: int  # of those, articles whose links changed
    more: bool  # more articles may name the entity: the newest were re-linked


def relink_for_entity(
    *, entity: Entity, before: Footprint = EMPTY, limit: int = MAX_ARTICLES
) -> RelinkReport:
    """Re-link the articles that may mention ``entity``, or mentioned it before
    the change (``before``: its footprint then), and those linked to it.

    Call after the change is saved (committed, if a job is to see it).
    """
    candidates = affected_articles(entity=entity, footprint=footprint(entity) | before)
    pks = list(candidates[: limit + 1])
    more, pks = len(pks) > limit, pks[:limit]
    if not pks:
        return RelinkReport(relinked=0, changed=0, more=False)
    matcher = build_matcher()
    changed = 0
    with figures_batch():
        for start in range(0, len(pks), BATCH_SIZE):
            batch = Article.objects.filter(pk__in=pks[start : start + BATCH_SIZE])
            results = link_articles(articles=list(batch.only(*LINKING_FIELDS)), matcher=matcher)
            changed += sum(result.changed for result in results.values())
    # The linker writes in bulk, which the page cache's signals do not see.
    bump_content_version()
    return RelinkReport(relinked=len(pks), changed=changed, more=more)


def affected_articles(*, entity: Entity, footprint: Footprint):
    """Keys of the articles whose text meets ``footprint`` or that are linked to
    ``entity``, newest first (a QuerySet: slice it)."""
    linked = kind_of(entity).links.objects.filter(entity=entity).values("article_id")
    return (
        Article.objects.filter(text_filter(footprint) | Q(pk__in=linked))
        .order_by("-published_at", "-pk")
        .values_list("pk", flat=True)
    )
