"""Which query parameters make a cached page its own: only those the page reads.

A key holding the whole query string lets anyone force fresh renders, and push
real pages out of the cache, by adding ``?x=<random>``. So each view declares the
parameters it reads, next to the code that reads them, and the key holds only
those, each normalised the way the view reads it:

    class ArchiveView(...):
        cache_query = QueryKey(page=page_number)      # a class-based view

    @reads_query(q=search_query, page=page_number)    # a function view
    def search(request): ...

A view that declares nothing reads nothing (``NO_QUERY``): every query string
gives the same page. Parameters are taken in name order, and a repeated one
counts with its last value, which is what ``request.GET.get()`` returns.

A normaliser gets the raw value and returns the text that stands for it in the
key: values the view reads alike must give the same text, values it reads
differently different texts; None means "as if absent".
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import QueryDict
from django.urls import Resolver404, get_urlconf, resolve

from .lifetimes import LastUsed

Normaliser = Callable[[str], "str | None"]


def as_written(value: str) -> str:
    """The value itself: for parameters with no other spelling."""
    return value


class QueryKey:
    """The query parameters a page reads, each with its normaliser."""

    def __init__(self, **parameters: Normaliser) -> None:
        self.parameters = dict(sorted(parameters.items()))

    def __repr__(self) -> str:
        return f"QueryKey({', '.join(self.parameters)})"

    def key_part(self, query: QueryDict) -> str:
        """The parameters as the page reads them, in a canonical order and form."""
        pairs = []
        for name, normalise in self.parameters.items():
            if name in query:
                value = normalise(query[name])  # the last value, as .get() gives
                if value is not None:
                    pairs.append((name, value))
        return urlencode(pairs)


NO_QUERY = QueryKey()


def reads_query(**parameters: Normaliser):
    """Declare the query parameters a function view reads (see the module)."""

    def declare(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            return view(*args, **kwargs)

        wrapper.cache_query = QueryKey(**parameters)
        return wrapper

    return declare


def declared_query(view) -> QueryKey:
    """What ``view`` (as a URL pattern holds it) declared; ``NO_QUERY`` if nothing."""
    declared = getattr(view, "cache_query", None)
    if declared is None:
        declared = getattr(getattr(view, "view_class", None), "cache_query", None)
    return declared if declared is not None else NO_QUERY


def query_key_part(path: str, query: QueryDict) -> str:
    """The part of the query string that makes the page at ``path`` its own.

    A path no view answers is 404 whatever the query: it keeps none.
    """
    if not query:
        return ""  # most requests: no URL resolving (some 30 µs) at all
    return declared_at.get(get_urlconf() or settings.ROOT_URLCONF, path).key_part(query)


def _declared_query_at(urlconf: str, path: str) -> QueryKey:
    try:
        return declared_query(resolve(path, urlconf).func)
    except Resolver404:
        return NO_QUERY


# Resolving a path costs as much as the rest of a cache hit; what a path's view
# reads changes only with the URL configuration, which is part of the key.
declared_at = LastUsed(_declared_query_at, size=4096)
