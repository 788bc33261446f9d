"""Fetching a source's address over HTTP, politely and defensively."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Fetched:
    """A source's answer. ``content`` is ``None`` when the server answered 304 Not
    Modified to the validators sent."""

    content: bytes | None
    content_type: str
    etag: str
    last_modified: str
    url: str


def fetch(url: str, *, etag: str = "", last_modified: str = "") -> Fetched:
    """Fetch ``url``, sending the validators of the last answer; raises FetchError."""
    raise NotImplementedError
