"""Small values every format reads the same way: dates, addresses, tags."""

from __future__ import annotations

import re
import time
from collections.abc import Iterable
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

from .cleaning import one_line

# RFC 3339, which JSON Feed and ninjs use: a date, a time and a zone. A date
# without its zone would be read in whatever zone the worker runs in.
RFC3339_RE = re.compile(
    r"\d{4}-\d\d-\d\d[Tt ]\d\d:\d\d(:\d\d(\.\d+)?)?([Zz]|[+-]\d\d:?\d\d)",
)
# A tag longer than this is a sentence a source put in the wrong field.
TAG_MAX_LENGTH = 100


def from_struct_time(value: time.struct_time | None) -> datetime | None:
    """feedparser's parsed date (already in UTC) as an aware datetime, or None."""
    if value is None:
        return None
    try:
        return datetime(*value[:6], tzinfo=UTC)
    except (TypeError, ValueError):
        return None


def from_rfc3339(value: object) -> datetime | None:
    """An RFC 3339 date-time in UTC; None for anything else (a bare date included)."""
    if not isinstance(value, str) or not RFC3339_RE.fullmatch(value.strip()):
        return None
    try:
        # Year 1 with a zone east of UTC falls before the first day there is.
        return datetime.fromisoformat(value.strip().replace("z", "Z")).astimezone(UTC)
    except (ValueError, OverflowError):
        return None


def web_address(value: object, *, base: str = "") -> str:
    """``value`` as an absolute http(s) address, resolved against ``base``; otherwise
    "" (a ``javascript:`` or ``data:`` link is no address for an editor to open)."""
    if not isinstance(value, str) or not value.strip():
        return ""
    address = urljoin(base, value.strip()) if base else value.strip()
    parts = urlsplit(address)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return ""
    return address


def distinct_tags(names: Iterable[object]) -> tuple[str, ...]:
    """Tag names on one line each, every name once (letter case aside), in order;
    not a sentence or an address put where a name belongs."""
    tags: dict[str, str] = {}
    for name in names:
        if not isinstance(name, str):
            continue
        tag = one_line(name)
        # Some feeds give a category's scheme address instead of its name.
        if tag and len(tag) <= TAG_MAX_LENGTH and "://" not in tag:
            tags.setdefault(tag.casefold(), tag)
    return tuple(tags.values())
