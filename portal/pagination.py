"""Pagination for long, newest-first lists, without counting them.

``COUNT(*)`` over tens of thousands of articles (a country's timeline, the
archive) costs more than the page itself. These lists only need "newer" and
"older" links, so a page fetches one row more than it shows to know whether
an older page exists.
"""

from dataclasses import dataclass

from django.db.models import QuerySet

MAX_PAGE = 10_000  # deeper than any reader goes; keeps OFFSET bounded


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


def page_number(value) -> int:
    """The requested page; anything malformed or out of range is the first page."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 1
    return number if 1 <= number <= MAX_PAGE else 1


def window_page(queryset: QuerySet, value, *, per_page: int) -> WindowPage:
    number = page_number(value)
    start = (number - 1) * per_page
    rows = list(queryset[start : start + per_page + 1])
    if not rows and number > 1:
        # Past the end: show the first page rather than an empty one.
        return window_page(queryset, 1, per_page=per_page)
    return WindowPage(rows[:per_page], number, len(rows) > per_page)


class WindowPaginationMixin:
    """ListView pagination by ``window_page``: a bad ``?page=`` shows the first page."""

    def paginate_queryset(self, queryset, page_size):
        page = window_page(queryset, self.request.GET.get("page"), per_page=page_size)
        return None, page, page.object_list, page.has_other_pages()


class ForgivingPaginationMixin:
    """Counted pagination where a bad ``?page=`` shows the nearest page, never an error."""

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get("page"))
        return paginator, page, page.object_list, page.has_other_pages()
