"""Slugs for the new articles of one load, in a query or two a batch.

The same slugs as ``unique_article_slug`` called for each title in turn, each
article saved before the next: the first of ``base``, ``base-2``, ``base-3``…
that no article has. A load with many equal headlines would repeat that search
from ``-2`` each time, so the next number to try is remembered per base (every
lower one is taken by then); and the numbered slugs a batch may need are looked
up for all its repeated bases at once, a window of numbers each, instead of a
query per article.
"""

from __future__ import annotations

from collections import Counter

from articles.models import Article
from portal.slugs import make_slug

# Numbered slugs looked up per statement: well under SQLite's 32,766 parameters.
SLUGS_PER_QUERY = 5000


class LoadSlugs:
    """The slugs of one load's new articles, batch after batch."""

    WINDOW = 50

    def __init__(self):
        self.next_number: dict[str, int] = {}

    def for_titles(self, titles: list[str]) -> list[str]:
        bases = [make_slug(title)[:90] or "article" for title in titles]
        in_database = set(
            Article.objects.filter(slug__in=set(bases)).values_list("slug", flat=True)
        )
        repeated = {base for base, count in Counter(bases).items() if count > 1}
        numbered = {
            base
            for base in bases
            if base in in_database or base in repeated or base in self.next_number
        }
        windows = self._windows(sorted(numbered))
        given: set[str] = set()
        result = []
        for base in bases:
            taken = base in in_database or base in given or base in self.next_number
            slug = self._numbered(base, given, windows) if taken else base
            given.add(slug)
            result.append(slug)
        return result

    def _windows(self, bases: list[str]) -> dict[str, tuple[int, set[str]]]:
        """Per base: the first number of its next window, and the slugs of that
        window that articles have, for every base in a query or a few."""
        starts = {base: self.next_number.get(base, 2) for base in bases}
        candidates = {
            base: [f"{base}-{n}" for n in range(start, start + self.WINDOW)]
            for base, start in starts.items()
        }
        wanted = [slug for slugs in candidates.values() for slug in slugs]
        found: set[str] = set()
        for start in range(0, len(wanted), SLUGS_PER_QUERY):
            chunk = wanted[start : start + SLUGS_PER_QUERY]
            found.update(Article.objects.filter(slug__in=chunk).values_list("slug", flat=True))
        return {base: (starts[base], found.intersection(candidates[base])) for base in bases}

    def _numbered(
        self, base: str, given: set[str], windows: dict[str, tuple[int, set[str]]]
    ) -> str:
        number = self.next_number.get(base, 2)
        while True:
            first, in_database = windows.get(base, (None, set()))
            if first is None or not first <= number < first + self.WINDOW:
                first, in_database = number, self._taken(base, number)
                windows[base] = (first, in_database)
            for n in range(number, first + self.WINDOW):
                slug = f"{base}-{n}"
                if slug not in given and slug not in in_database:
                    self.next_number[base] = n + 1
                    return slug
            number = first + self.WINDOW

    def _taken(self, base: str, first: int) -> set[str]:
        window = [f"{base}-{n}" for n in range(first, first + self.WINDOW)]
        return set(Article.objects.filter(slug__in=window).values_list("slug", flat=True))
