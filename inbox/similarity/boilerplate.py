"""A source's boilerplate: the paragraphs it repeats under every item.

Agencies and news sites end (or open) their items with the same paragraphs: an
invitation to their Telegram channel, a copyright line, a list of their other
sections. Two different stories from one source share those words, often more
of them than two sources retelling one story share (``bench/similarity.py``
measures it on the labelled texts): left in, they would group a source's
stories together. No list of phrases can know every source's; what the source
repeats can be learned from its own items.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Iterable

from .keys import key_text

BLANK_LINE_RE = re.compile(r"\n[^\S\n]*\n")
# A paragraph counts as boilerplate once it appears in this many of a source's
# items: two different stories do not share a whole paragraph, word for word,
# unless the source wrote it once for all of them.
MIN_ITEMS = 2


def paragraphs(text: str) -> list[str]:
    """The paragraphs of ``text`` (separated by a blank line, the portal's body format)."""
    return [part.strip() for part in BLANK_LINE_RE.split(text) if part.strip()]


def learn_boilerplate(texts: Iterable[str], *, min_items: int = MIN_ITEMS) -> frozenset[str]:
    """The keys of the paragraphs that at least ``min_items`` of one source's
    ``texts`` share (keys: ``keys.key_text``, so spacing and case do not matter).

    Give it the source's recent items (a feed's current items are enough):
    what a source repeats shows within a few of them.
    """
    seen: Counter[str] = Counter()
    for text in texts:
        seen.update({key_text(paragraph) for paragraph in paragraphs(text)})
    return frozenset(key for key, count in seen.items() if count >= min_items and key)


def without_boilerplate(text: str, boilerplate: Collection[str]) -> str:
    """``text`` without the paragraphs whose keys are in ``boilerplate``; the whole
    text when every paragraph is (the same item twice is not boilerplate)."""
    if not boilerplate:
        return text
    kept = [p for p in paragraphs(text) if key_text(p) not in boilerplate]
    return "\n\n".join(kept) if kept else text
