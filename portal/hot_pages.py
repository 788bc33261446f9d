"""Pages kept in the process, in front of a shared cache (Redis), for hits that
need no round trip.

A page in the cache is stamped with the content version it was rendered under
(``portal/cache.py``), and what is stored under one key and one version never
changes meaning: any change of content changes the version. So a copy of it
here is as good as the one in Redis, for as long as that version is current and
the page has not expired; the caller checks both on every use.

Bounded by the bytes of the pages it holds (``PAGE_CACHE_HOT_MB`` per process),
the least recently used forgotten first, so a crawler walking the whole archive
can only replace hot pages, never grow the process.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Protocol

from django.conf import settings

from .lifetimes import _Clearable


class CachedPage(Protocol):
    """What is kept of a page here (``portal.cache.CachedPage`` is one)."""

    version: str
    content: bytes


class HotPages(_Clearable):
    """The most recently used pages, at most ``PAGE_CACHE_HOT_MB`` of content."""

    def __init__(self) -> None:
        super().__init__()
        # Threaded workers share it: an entry used by one thread may be evicted by another.
        self._lock = threading.Lock()
        self.clear()

    def clear(self) -> None:
        with self._lock:
            self._pages: OrderedDict[str, CachedPage] = OrderedDict()
            self._bytes = 0

    @staticmethod
    def limit() -> int:
        return int(settings.PAGE_CACHE_HOT_MB * 1024 * 1024)

    def get(self, key: str, version: str) -> CachedPage | None:
        """The page under ``key`` if it was rendered under ``version``."""
        with self._lock:
            page = self._pages.get(key)
            if page is None or page.version != version:
                return None
            self._pages.move_to_end(key)
            return page

    def put(self, key: str, page: CachedPage) -> None:
        limit = self.limit()
        with self._lock:
            old = self._pages.pop(key, None)
            if old is not None:
                self._bytes -= len(old.content)
            if len(page.content) > limit:
                return
            self._pages[key] = page
            self._bytes += len(page.content)
            while self._bytes > limit:
                _, evicted = self._pages.popitem(last=False)
                self._bytes -= len(evicted.content)

    def __len__(self) -> int:
        return len(self._pages)


hot_pages = HotPages()
