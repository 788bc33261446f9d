"""Editors' decisions on suggestions: accept one into the catalog, or reject some.

An accepted name becomes an entity linked to every article it was found in; a
rejected name is never suggested again. Both are remembered by the scan, which
skips every name an editor has decided on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from companies.kinds import kind_of
from companies.models import Entity

from ..linking import add_link, build_matcher, link_entities
from ..models import Article, EntitySuggestion

if TYPE_CHECKING:
    from django.db.models import QuerySet


@dataclass
class AcceptResult:
    entity: Entity
    linked: list[Article] = field(default_factory=list)  # the linker found the name
    added: list[Article] = field(default_factory=list)  # it did not: linked as an editor


@transaction.atomic
def accept_suggestion(*, suggestion: EntitySuggestion, entity: Entity) -> AcceptResult:
    """Save ``entity`` (built from the suggestion) and link it to the suggestion's articles.

    Each article is re-linked, so the linker finds the new entity by its name
    and records where it stands in the body. Where it cannot (a form the
    linker does not recognise), the link is added as an editor's, since an
    editor confirmed the name there.
    """
    entity.save()
    links = kind_of(entity).links
    matcher = build_matcher()
    result = AcceptResult(entity=entity)
    for article in Article.objects.filter(suggestions=suggestion).distinct().order_by("pk"):
        link_entities(article=article, matcher=matcher)
        if links.objects.filter(article=article, entity=entity).exists():
            result.linked.append(article)
        else:
            add_link(article=article, entity=entity)
            result.added.append(article)
    suggestion.status = EntitySuggestion.Status.ACCEPTED
    suggestion.entity = entity
    suggestion.save(update_fields=["status", "entity_type", "entity_id", "updated_at"])
    return result


def reject_suggestions(*, suggestions: QuerySet[EntitySuggestion]) -> int:
    """Mark suggestions rejected: their names are never suggested again.

    Accepted ones are left alone (their entity is in the catalog already).
    """
    return suggestions.exclude(status=EntitySuggestion.Status.ACCEPTED).update(
        status=EntitySuggestion.Status.REJECTED, updated_at=timezone.now()
    )
