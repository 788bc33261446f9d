"""Per-process values with an explicit lifetime.

A web process keeps a few things it would be wasteful to work out on every
request (the catalog search looks names up in, where the search windows
start, whether the cache server is down) or that it must remember (a write it
still owes). Each is one of these small objects, which say how long the value
holds, rather than a module global and a stamp.

Stamps start at ``None``, never at 0: ``time.monotonic()`` counts from the
machine's boot, so 0 would look only minutes old on a freshly booted machine.

Every instance is registered, so tests start each from nothing with
``clear_all()`` (the ``fresh_process_values`` fixture) instead of patching names.
"""

from __future__ import annotations

import functools
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")

_instances: weakref.WeakSet[_Clearable] = weakref.WeakSet()


class _Clearable:
    def __init__(self) -> None:
        _instances.add(self)

    def clear(self) -> None:
        raise NotImplementedError


class TimedValue(_Clearable, Generic[T]):
    """``compute()``'s result, worked out again once it is ``seconds`` old."""

    def __init__(self, compute: Callable[[], T], *, seconds: float) -> None:
        super().__init__()
        self.compute = compute
        self.seconds = seconds
        self.clear()

    def clear(self) -> None:
        self._value: T | None = None
        self._computed_at: float | None = None

    def get(self) -> T:
        now = time.monotonic()
        if self._computed_at is None or now - self._computed_at >= self.seconds:
            self._value = self.compute()
            self._computed_at = now
        return self._value  # type: ignore[return-value]


class VersionedValue(_Clearable, Generic[T]):
    """``compute()``'s result for one content version (``version()``).

    Worked out again when the version changes, and on every call while the
    version is unknown (``None``: the database could not tell).
    """

    def __init__(self, compute: Callable[[], T], *, version: Callable[[], str | None]) -> None:
        super().__init__()
        self.compute = compute
        self.version = version
        self.clear()

    def clear(self) -> None:
        self._value: T | None = None
        self._version: str | None = None

    def get(self) -> T:
        version = self.version()
        if version is None or version != self._version:
            self._value = self.compute()
            self._version = version
        return self._value  # type: ignore[return-value]


class Cooldown(_Clearable):
    """A pause after a failure: ``active`` for ``seconds`` after ``start()``."""

    def __init__(self, *, seconds: float) -> None:
        super().__init__()
        self.seconds = seconds
        self.clear()

    def clear(self) -> None:
        self._until: float | None = None

    def start(self) -> None:
        self._until = time.monotonic() + self.seconds

    @property
    def active(self) -> bool:
        return self._until is not None and time.monotonic() < self._until


class Flag(_Clearable):
    """Something this process still owes, ``raised`` from ``set()`` until ``clear()``."""

    def __init__(self) -> None:
        super().__init__()
        self.clear()

    def clear(self) -> None:
        self.raised = False

    def set(self) -> None:
        self.raised = True


class RecentKeys(_Clearable):
    """Keys remembered for ``seconds``, at most ``size`` of them: when full, the
    oldest is forgotten first, so made-up keys cannot grow it without bound."""

    def __init__(self, *, seconds: float, size: int) -> None:
        super().__init__()
        self.seconds = seconds
        self.size = size
        self.clear()

    def clear(self) -> None:
        self._added_at: OrderedDict[Hashable, float] = OrderedDict()

    def add(self, key: Hashable) -> None:
        self._added_at.pop(key, None)
        self._added_at[key] = time.monotonic()
        while len(self._added_at) > self.size:
            self._added_at.popitem(last=False)

    def __contains__(self, key: Hashable) -> bool:
        added_at = self._added_at.get(key)
        if added_at is None:
            return False
        if time.monotonic() - added_at >= self.seconds:
            self._added_at.pop(key, None)
            return False
        return True


class LastUsed(_Clearable, Generic[T]):
    """``compute(*key)`` remembered per key until ``clear()``, for values that change
    only with what the key names; at most ``size`` keys, the least recently used
    forgotten first, so made-up keys cannot grow it without bound."""

    def __init__(self, compute: Callable[..., T], *, size: int) -> None:
        super().__init__()
        self._cached = functools.lru_cache(maxsize=size)(compute)

    def clear(self) -> None:
        self._cached.cache_clear()

    def get(self, *key: Hashable) -> T:
        return self._cached(*key)


def clear_all() -> None:
    """Forget every per-process value: the next use works it out afresh."""
    for instance in list(_instances):
        instance.clear()
