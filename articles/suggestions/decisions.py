"""Editors' decisions on suggestions: accept one into the catalog, or reject some.

An accepted name becomes an entity linked to every article it was found in, or,
when it names an entity the catalog has already, one of that entity's aliases;
a rejected name is never suggested again. Both are remembered by the scan, which
skips every name an editor has decided on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from companies.kinds import kind_of
from companies.models import Entity

from ..linking import Matcher, add_link, build_matcher, link_entities
from ..models import Article, EntitySuggestion, RejectedLink
from .known import covered, fold
from .organisations import own_name

if TYPE_CHECKING:
    from django.db.models import QuerySet


@dataclass
class AcceptResult:
    entity: Entity
    linked: list[Article] = field(default_factory=list)  # the linker found the name
    added: list[Article] = field(default_factory=list)  # it did not: linked as an editor
    # An editor had removed the entity from these: their decision stands.
    kept_removed: list[Article] = field(default_factory=list)
    alias_added: bool = False  # the name became one of the entity's aliases

    @property
    def linked_count(self) -> int:
        return len(self.linked) + len(self.added)


@transaction.atomic
def accept_suggestion(*, suggestion: EntitySuggestion, entity: Entity) -> AcceptResult:
    """Save ``entity`` (built from the suggestion) and link it to the suggestion's articles.

    Each article is re-linked, so the linker finds the new entity by its name
    and records where it stands in the body. Where it cannot (a form the
    linker does not recognise), the link is added as an editor's, since an
    editor confirmed the name there.
    """
    entity.save()
    result = AcceptResult(entity=entity)
    _link_articles(suggestion, result)
    _mark_accepted(suggestion, entity)
    return result


@transaction.atomic
def accept_as_alias(
    *, suggestion: EntitySuggestion, entity: Entity, alias: str = ""
) -> AcceptResult:
    """The suggestion names ``entity``, already in the catalog: add the name
    (``alias``, by default the suggestion's) to its aliases unless the linker
    finds the entity by it already, and link the entity to the suggestion's
    articles as ``accept_suggestion`` does. No new entity is made.
    """
    alias = " ".join((alias or suggestion.name).split())
    result = AcceptResult(entity=entity)
    if not _found_by(entity, alias):
        entity.aliases = [*entity.aliases, alias]
        entity.save(update_fields=["aliases"])
        result.alias_added = True
    _link_articles(suggestion, result)
    _mark_accepted(suggestion, entity)
    return result


def _found_by(entity: Entity, name: str) -> bool:
    """Whether ``name`` is one of the entity's names, give or take case, quotes,
    «ё», hyphens and a legal form, or a form of one the linker reads as it:
    an inflected form («Тулпар Моторса») as an alias would only clutter the list."""
    if fold(name) in {fold(known) for known in entity.names}:
        return True
    matcher = Matcher([entity])
    return any(covered(matcher, form) for form in {name, own_name(name).name} if form)


def _link_articles(suggestion: EntitySuggestion, result: AcceptResult) -> None:
    entity = result.entity
    links = kind_of(entity).links
    removed = set(
        RejectedLink.objects.filter(
            content_type=ContentType.objects.get_for_model(entity), object_id=entity.pk
        ).values_list("article_id", flat=True)
    )
    matcher = build_matcher()
    for article in Article.objects.filter(suggestions=suggestion).distinct().order_by("pk"):
        link_entities(article=article, matcher=matcher)
        if links.objects.filter(article=article, entity=entity).exists():
            result.linked.append(article)
        elif article.pk in removed:
            result.kept_removed.append(article)
        else:
            add_link(article=article, entity=entity)
            result.added.append(article)


def _mark_accepted(suggestion: EntitySuggestion, entity: Entity) -> None:
    suggestion.status = EntitySuggestion.Status.ACCEPTED
    suggestion.entity = entity
    suggestion.save(update_fields=["status", "entity_type", "entity_id", "updated_at"])


def reject_suggestions(*, suggestions: QuerySet[EntitySuggestion]) -> int:
    """Mark suggestions rejected: their names are never suggested again.

    Accepted ones are left alone (their entity is in the catalog already).
    """
    return suggestions.exclude(status=EntitySuggestion.Status.ACCEPTED).update(
        status=EntitySuggestion.Status.REJECTED, updated_at=timezone.now()
    )
