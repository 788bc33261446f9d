"""One item as a source gave it, already cleaned: what every parser returns and what
the inbox stores."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Entry:
    """An item of a feed, a ninjs document or a seed file in a source's folder.

    Text fields are plain text: HTML is cleaned away, entities decoded, and the body
    is the portal's format (paragraphs separated by one blank line). A field the
    source does not give is an empty string (``published``: ``None``)."""

    guid: str
    url: str
    title: str
    lead: str
    body: str
    published: datetime | None
    tags: tuple[str, ...] = ()
