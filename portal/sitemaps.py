"""The sitemap index for crawlers, put together from the sections the apps register.

The core knows no app. Each app says, from its ``AppConfig.ready()``, which
sections it adds to ``/sitemap.xml`` (``register_section``: its articles, its
entities) and which of its pages exist without any data (``register_pages``: the
home page, the list pages), which the core lists in its own "pages" section.
``portal.urls`` serves ``SECTIONS``; the index lists the sections, and the pages
section its pages, by place (``Place``), then in the order they were registered.
"""

import enum
from collections.abc import Callable, Iterator, Mapping

from django.contrib.sitemaps import Sitemap
from django.urls import reverse


class Place(enum.IntEnum):
    """Where a section or a page goes among the others."""

    FIRST = 1
    MIDDLE = 2
    LAST = 3


# A Sitemap class, or any callable making one: Django's views make a new one per request.
SitemapFactory = Callable[[], Sitemap]


class _InPlace:
    """Entries by name, in their place, then in the order registered. A name
    registered again (``ready()`` running twice) keeps its first position."""

    def __init__(self) -> None:
        self._entries: dict[str, tuple[Place, int, object]] = {}

    def put(self, name: str, value: object, place: Place) -> None:
        position = self._entries[name][1] if name in self._entries else len(self._entries)
        self._entries[name] = (place, position, value)

    def ordered(self) -> dict[str, object]:
        by_place = sorted(self._entries.items(), key=lambda entry: entry[1][:2])
        return {name: value for name, (_, _, value) in by_place}


class PageSitemap(Sitemap):
    """Pages that exist without any data: the home page and the list pages."""

    def items(self):
        return list(_pages.ordered())

    def location(self, item):
        return reverse(item)


class Sections(Mapping):
    """The sections by name, in their order: what Django's sitemap views take."""

    def __getitem__(self, name: str) -> SitemapFactory:
        return _sections.ordered()[name]

    def __iter__(self) -> Iterator[str]:
        return iter(_sections.ordered())

    def __len__(self) -> int:
        return len(_sections.ordered())


_sections = _InPlace()
_pages = _InPlace()
SECTIONS = Sections()


def register_section(name: str, sitemap: SitemapFactory, *, place: Place = Place.MIDDLE) -> None:
    """Add ``/sitemap-<name>.xml`` to the index. Call it from ``AppConfig.ready()``."""
    _sections.put(name, sitemap, place)


def register_pages(url_names: list[str], *, place: Place = Place.MIDDLE) -> None:
    """List the pages named ``url_names`` (no arguments) in the pages section."""
    for url_name in url_names:
        _pages.put(url_name, None, place)


register_section("pages", PageSitemap, place=Place.FIRST)
