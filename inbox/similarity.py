"""When two items are the same item, and when they tell the same story."""

from __future__ import annotations

from collections.abc import Iterable


def canonical_url(url: str) -> str:
    """The address an item is known by, whatever tracking parameters it carries."""
    raise NotImplementedError


def content_key(title: str, body: str) -> str:
    """A short key equal for the same text however it is spaced or cased."""
    raise NotImplementedError


def signature(text: str) -> bytes:
    """A compact fingerprint of a text's shingles, stored with the item."""
    raise NotImplementedError


def same_story(candidate: bytes, others: Iterable[tuple[int, bytes]]) -> list[int]:
    """The ids among ``others`` whose fingerprints tell the same story as ``candidate``."""
    raise NotImplementedError
