"""Articles of a message grouped under the followed entity or tag each is listed under first."""

from __future__ import annotations

from dataclasses import dataclass

from .new_articles import Target
from .summaries import TARGET_ORDER, ArticleSummary


@dataclass(frozen=True)
class Group:
    target: Target | None  # None: articles under none of the reader's current follows
    articles: tuple[ArticleSummary, ...]


def in_listing_order(targets, names: dict[Target, str]) -> list[Target]:
    """Followed targets as messages list them: by kind (pages' order, then tags), then name."""
    return sorted(set(targets), key=lambda t: (TARGET_ORDER[t[0]], names.get(t, "").casefold(), t))


def group_articles(articles: list[ArticleSummary], followed: list[Target]) -> list[Group]:
    """Each article once, under the first of ``followed`` (already in listing order) it
    carries; groups in that order, articles keeping theirs (newest first)."""
    placed: dict[Target | None, list[ArticleSummary]] = {}
    for article in articles:
        home = next((target for target in followed if target in article.targets), None)
        placed.setdefault(home, []).append(article)
    order = [target for target in followed if target in placed]
    if None in placed:
        order.append(None)
    return [Group(target, tuple(placed[target])) for target in order]
