"""The only two places the evaluation calls into the project: the linker and the suggester.

How the linker reports positions is changing (the lead and the headline get
positions of their own), so the call is kept in one small function: when the
project's interface changes, only ``linked_mentions`` does.
"""

from __future__ import annotations

from dataclasses import dataclass

from articles.linking import Matcher, find_mentions
from articles.models import Article
from articles.suggestions import KnownNames, article_text, find_candidates, one_per_sentence
from companies.kinds import kind_named
from companies.models import Entity

from .spans import Span


@dataclass(frozen=True)
class Predicted:
    """A mention the linker reported."""

    span: Span
    entity: str  # "kind:slug"
    text: str


def entity_ref(entity: Entity) -> str:
    """How annotations name an entity: its model's name and its slug, «company:chevrolet»."""
    return f"{entity._meta.model_name}:{entity.slug}"


def linked_mentions(*, matcher: Matcher, article: Article) -> list[Predicted]:
    """Every mention the linker stores for the article (``find_mentions``, the call
    the loader, the admin and ``relink`` make), positioned in the headline (piece 0),
    the lead (1) or a body block (2 onwards)."""
    texts = article.mention_texts()
    return [
        Predicted(
            Span(n, start, end),
            entity_ref(matcher.entities[(kind_named(label).model, pk)]),
            texts[n][start:end],
        )
        for n, start, end, label, pk in find_mentions(article=article, matcher=matcher).positions
    ]


def suggested_names(*, article: Article, known: KnownNames) -> list[str]:
    """The names ``suggest_entities`` would store for the article, in order."""
    candidates = one_per_sentence(find_candidates(article_text(article), known=known))
    return [candidate.name for candidate in candidates]
