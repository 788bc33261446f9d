"""Pagination for long, newest-first lists, without counting them; and the one
rule for what a ``?page=`` value may be.

``COUNT(*)`` over tens of thousands of articles (a country's timeline, the
archive) costs more than the page itself. These lists only need "newer" and
"older" links, so a page fetches one row more than it shows to know whether
an older page exists.

Every list answers a page that does not exist with 404, as Django's own
paginated views do: a search engine must not file page 999, or ``?page=abc``,
as a copy of page 1. The first page always exists, empty or not.
"""

import re
from dataclasses import dataclass

from django.core.paginator import InvalidPage, Page, Paginator
from django.db.models import QuerySet
from django.http import Http404

from .cachekeys import QueryKey

MAX_PAGE = 10_000  # deeper than any reader goes; keeps OFFSET bounded
# One spelling per page («2», not «02», « 2 » or «٢»), so every page has one address.
PAGE_NUMBER_RE = re.compile(r"[1-9][0-9]{0,4}")


@dataclass
class WindowPage:
    object_list: list
    number: int
    more: bool

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    def has_next(self) -> bool:
        return self.more

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.more or self.number > 1

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


def requested_page(value: str | int | None) -> int:
    """The page a ``?page=`` value asks for. None or empty is the first page; a
    page is written in ASCII digits without leading zeros, up to ``MAX_PAGE``.
    Anything else is no page: 404."""
    if value is None or value == "":
        return 1
    text = str(value)
    if not PAGE_NUMBER_RE.fullmatch(text) or int(text) > MAX_PAGE:
        raise Http404("No such page.")
    return int(text)


def page_number(value: str) -> str | None:
    """A ``?page=`` value as the page cache's key holds it: the page it asks for,
    None for the first (written as nothing, ``1`` or left empty)."""
    try:
        number = requested_page(value)
    except Http404:
        return value  # no page, answered 404 and never cached
    return None if number == 1 else str(number)


# What a paginated list reads from the query string (``portal.cachekeys``).
PAGE_QUERY = QueryKey(page=page_number)


def window_page(queryset: QuerySet, value, *, per_page: int) -> WindowPage:
    """One page of ``queryset`` by ``requested_page(value)``; past the end is 404."""
    number = requested_page(value)
    start = (number - 1) * per_page
    if number > 1:
        # A deep page skips its offset over the ids alone (an index-only scan of
        # the list's index), then reads the rows of the page: OFFSET over whole
        # rows read 40,000 of them for page 2000 of a 100,000-article archive.
        queryset = queryset.filter(pk__in=queryset.values("pk")[start : start + per_page + 1])
    rows = list(queryset[: per_page + 1])
    if not rows and number > 1:
        raise Http404("No such page.")
    return WindowPage(rows[:per_page], number, len(rows) > per_page)


def counted_page(paginator: Paginator, value) -> Page:
    """``paginator``'s page by ``requested_page(value)``; past the end is 404."""
    try:
        return paginator.page(requested_page(value))
    except InvalidPage:
        raise Http404("No such page.") from None


class WindowPaginationMixin:
    """ListView pagination by ``window_page``."""

    cache_query = PAGE_QUERY

    def paginate_queryset(self, queryset, page_size):
        page = window_page(queryset, self.request.GET.get("page"), per_page=page_size)
        return None, page, page.object_list, page.has_other_pages()


class CountedPaginationMixin:
    """ListView pagination with a count (short lists), by the same rule as
    ``window_page``."""

    cache_query = PAGE_QUERY

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size)
        page = counted_page(paginator, self.request.GET.get("page"))
        return paginator, page, page.object_list, page.has_other_pages()
