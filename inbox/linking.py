"""What an item names: the articles' linker and suggester, run on inbox items.

An item is read as the article it would become (an unsaved ``Article`` with its
headline, lead and body), so the positions are the ones the article admin
highlights and the links the ones the draft will get. The inbox keeps them in its
own rows (``ItemEntity``, ``ItemSuggestion``, ``InboxItem.mentions``).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from articles.linking import Matcher, build_matcher, find_mentions
from articles.models import Article
from articles.suggestions.candidates import find_candidates, one_per_sentence
from articles.suggestions.known import KnownNames, build_known_names
from articles.suggestions.scanning import article_text

from .models import InboxItem, ItemEntity, ItemSuggestion


def as_article(item: InboxItem) -> Article:
    """The draft ``item`` would become, for the linker's eyes only (never saved)."""
    return Article(title=item.title, lead=item.lead, body=item.body)


def link_items(*, item_ids: Sequence[int], matcher: Matcher | None = None) -> int:
    """Find the catalog's entities in the items and store them; how many items changed.

    Items linked already for their current text are left alone."""
    items = InboxItem.objects.filter(pk__in=item_ids).only("title", "lead", "body", "linked_hash")
    matcher = matcher or build_matcher()
    changed = 0
    for item in items:
        article = as_article(item)
        if item.linked_hash == article.text_hash():
            continue
        mentions = find_mentions(article=article, matcher=matcher)
        rows = [
            ItemEntity(
                item=item,
                entity_type=ContentType.objects.get_for_model(model),
                entity_id=pk,
            )
            for model, pk in sorted(mentions.found, key=lambda key: (key[0].__name__, key[1]))
        ]
        with transaction.atomic():
            ItemEntity.objects.filter(item=item).delete()
            ItemEntity.objects.bulk_create(rows)
            InboxItem.objects.filter(pk=item.pk).update(
                mentions=mentions.positions, linked_hash=mentions.positions_hash
            )
        changed += 1
    return changed


def suggest_for_items(*, item_ids: Sequence[int], known: KnownNames | None = None) -> int:
    """Names the catalog lacks in the items, stored per item; how many were found."""
    known = known or build_known_names()
    found = 0
    for item in InboxItem.objects.filter(pk__in=item_ids).only("title", "lead", "body"):
        candidates = one_per_sentence(find_candidates(article_text(as_article(item)), known=known))
        rows = [
            ItemSuggestion(item=item, name=c.name, kind=c.kind, sentence=c.sentence)
            for c in candidates
        ]
        with transaction.atomic():
            ItemSuggestion.objects.filter(item=item).delete()
            ItemSuggestion.objects.bulk_create(rows)
        found += len(rows)
    return found
