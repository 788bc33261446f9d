"""Turning what a source gave into entries: feeds, ninjs documents, seed files."""

from __future__ import annotations

from pathlib import Path

from inbox.entries import Entry


def parse(content: bytes, *, kind: str, content_type: str = "", url: str = "") -> list[Entry]:
    """The entries of a fetched document of ``kind`` (``rss``, ``atom``, ``jsonfeed``,
    ``ninjs``); raises FeedError."""
    raise NotImplementedError


def read_folder(folder: Path) -> list[Entry]:
    """The entries of a folder of seed-format files; raises FeedError."""
    raise NotImplementedError
