"""What a load did: counts, and the articles it saw, kept or passed on as it goes.

A load of a few files keeps one summary per article for its caller (tests, the
shell). A large one need not: ``keep_articles=False`` keeps the counts only,
and ``listener`` receives each article as its batch is written (the command's
``-v 2`` listing prints it then), so the report's memory does not grow with
the number of files.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

from .errors import SeedError

Outcome = Literal["created", "updated", "unchanged", "skipped"]


class LoadedArticle(NamedTuple):
    """An article the loader saw, as its report lists it.

    A large load reports thousands: a tuple keeps memory small where a model
    instance per file would not. ``Article.objects.get(pk=...)`` has the rest.
    """

    pk: int
    source_key: str
    title: str
    slug: str


@dataclass
class LoadReport:
    created: list[LoadedArticle] = field(default_factory=list)
    updated: list[LoadedArticle] = field(default_factory=list)
    unchanged: list[LoadedArticle] = field(default_factory=list)
    # Articles an editor changed, with the reason: always kept (the command warns of each).
    skipped: list[tuple[LoadedArticle, str]] = field(default_factory=list)
    invalid: list[SeedError] = field(default_factory=list)
    catalog_created: int = 0
    catalog_kept: int = 0
    dry_run: bool = False
    # False: count the created, updated and unchanged articles without listing them.
    keep_articles: bool = True
    # Called with each article and what happened to it, as the load goes.
    listener: Callable[[Outcome, LoadedArticle], None] | None = None
    counts: Counter = field(default_factory=Counter)

    def add(self, outcome: Outcome, article: LoadedArticle, reason: str = "") -> None:
        self.counts[outcome] += 1
        if self.listener is not None:
            self.listener(outcome, article)
        if outcome == "skipped":
            self.skipped.append((article, reason))
        elif self.keep_articles:
            getattr(self, outcome).append(article)

    @property
    def written(self) -> int:
        """Articles created or updated."""
        return self.counts["created"] + self.counts["updated"]

    def summary(self) -> str:
        counts = self.counts
        text = (
            f"created {counts['created']}, updated {counts['updated']}, "
            f"unchanged {counts['unchanged']}, skipped {counts['skipped'] + len(self.invalid)}"
        )
        return f"{text} (dry run: nothing written)" if self.dry_run else text
