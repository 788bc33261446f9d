"""What the newsroom load test asks for: the visitors' page mix and the ladder of rates.

Pure and standard library only: ``bench/newsroom.py`` builds the mix and steps the
rate, Locust's visitors (``bench/newsroom_locust.py``, run by Locust with ``bench/``
first on ``sys.path``) pick their pages from it, and ``bench/tests`` checks both.

The mix, as on a news site the day after a story broke: most visits go to the home
page, the newest articles (the newer, the more) and the busiest entity pages; a long
tail goes to any article of the archive, evenly; some visitors search; a few open
the archive's first page.
"""

from __future__ import annotations

import bisect
import itertools
import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")

# Shares of the visits, in percent.
WEIGHTS = {
    "home": 30,
    "newest": 25,
    "entities": 15,
    "long tail": 20,
    "search": 7,
    "archive": 3,
}
# Within "newest" the n-th newest article gets 1/n of the first one's visits.
SKEWED = frozenset({"newest"})
P99_TARGET_MS = 100.0
# From the save's answer to the new title on the page (the edge's target, issue 17).
VISIBLE_TARGET_S = 2.0
# A stage whose visitors sent less than this share of the asked rate did not hold it
# (the server answered too slowly, or the load generator ran out of CPU).
HELD_SHARE = 0.9
STAGE_REQUESTS = 200


@dataclass(frozen=True)
class Group:
    name: str
    weight: float
    paths: tuple[str, ...]
    skewed: bool = False


def build_mix(
    *,
    newest: Sequence[str],
    entities: Sequence[str],
    all_articles: Sequence[str],
    searches: Sequence[str],
    archive: str = "/news/",
    home: str = "/",
    weights: dict[str, float] | None = None,
) -> list[Group]:
    """The groups of pages with their shares; ValueError names a group left empty."""
    weights = WEIGHTS if weights is None else weights
    paths = {
        "home": [home],
        "newest": list(newest),
        "entities": list(entities),
        "long tail": list(all_articles),
        "search": list(searches),
        "archive": [archive],
    }
    unknown = set(weights) - set(paths)
    if unknown:
        raise ValueError(f"unknown page groups {sorted(unknown)}: use {sorted(paths)}")
    groups = []
    for name, weight in weights.items():
        if weight < 0:
            raise ValueError(f"page group {name!r}: weight {weight} is negative")
        if weight == 0:
            continue
        if not paths[name]:
            raise ValueError(f"page group {name!r} has no pages: the corpus has none of them")
        groups.append(Group(name, weight, tuple(paths[name]), name in SKEWED))
    if not groups:
        raise ValueError("every page group has weight 0: nothing to visit")
    return groups


def groups_to_json(groups: Sequence[Group]) -> list[dict]:
    return [
        {"name": g.name, "weight": g.weight, "paths": list(g.paths), "skewed": g.skewed}
        for g in groups
    ]


def groups_from_json(data: Sequence[dict]) -> list[Group]:
    return [Group(d["name"], d["weight"], tuple(d["paths"]), d.get("skewed", False)) for d in data]


class Picker:
    """Picks a visitor's next page: a group by its share, then a page within it."""

    def __init__(self, groups: Sequence[Group], rng: random.Random) -> None:
        self.groups = list(groups)
        self.rng = rng
        self._group_cumulative = list(itertools.accumulate(g.weight for g in self.groups))
        # Cumulative 1/n weights of the skewed groups, for a bisect per pick.
        self._skew = {
            g.name: list(itertools.accumulate(1 / (n + 1) for n in range(len(g.paths))))
            for g in self.groups
            if g.skewed
        }

    def pick(self) -> tuple[str, str]:
        """(group name, path)."""
        total = self._group_cumulative[-1]
        index = bisect.bisect_right(self._group_cumulative, self.rng.random() * total)
        group = self.groups[min(index, len(self.groups) - 1)]
        if group.skewed:
            cumulative = self._skew[group.name]
            at = bisect.bisect_right(cumulative, self.rng.random() * cumulative[-1])
            return group.name, group.paths[min(at, len(group.paths) - 1)]
        return group.name, self.rng.choice(group.paths)


# Answers the micro-cache gave from its copy (STALE, UPDATING: an old copy while one
# request refreshes it).
EDGE_COPIES = frozenset({"HIT", "STALE", "UPDATING", "REVALIDATED"})


def source_of(edge: str, page_cache: str) -> str:
    """Who answered, from the ``X-Edge-Cache`` and ``X-Cache`` headers: nginx's copy,
    the page cache, or a view that rendered the page."""
    if edge.upper() in EDGE_COPIES:
        return "edge"
    if page_cache.upper() == "HIT":
        return "page cache"
    return "rendered"


# --- the ladder of arrival rates ----------------------------------------------------


def ladder(*, start: float, factor: float, maximum: float) -> list[float]:
    """Rates from ``start`` up to ``maximum``, each ``factor`` times the one before
    (rounded to whole requests per second)."""
    if start <= 0 or maximum < start:
        raise ValueError(f"rates: start {start} must be > 0 and at most the maximum {maximum}")
    if factor <= 1:
        raise ValueError(f"rates: the factor {factor} must be above 1")
    rates, rate = [], float(start)
    while rate <= maximum + 1e-9:
        rates.append(float(round(rate)))
        rate *= factor
    return sorted(set(rates))


def stage_seconds(rate: float, shortest: float) -> float:
    """How long a stage at ``rate`` runs: ``shortest``, or longer for at least
    ``STAGE_REQUESTS`` answers (with fewer, p99 is just the slowest one), counted
    after the second the users take to start."""
    return max(shortest, math.ceil(STAGE_REQUESTS / rate) + 1)


def users_for(rate: float, *, per_user: float = 5.0) -> int:
    """Locust users for ``rate`` req/s: each asks ``per_user`` pages a second at most,
    so one slow answer (a user waits for it) barely dents the rate."""
    return max(4, math.ceil(rate / per_user))


@dataclass(frozen=True)
class Verdict:
    ok: bool
    reason: str  # why it failed, "" when it passed


def judge(*, rate: float, achieved: float, requests: int, failures: int, p99_ms: float) -> Verdict:
    """Whether a stage held ``rate`` with p99 ≤ 100 ms and no errors."""
    if requests == 0:
        return Verdict(False, "no request was answered")
    if failures:
        return Verdict(False, f"{failures} errors")
    if p99_ms > P99_TARGET_MS:
        return Verdict(False, f"p99 {p99_ms:.0f} ms > {P99_TARGET_MS:.0f} ms")
    if achieved < HELD_SHARE * rate:
        return Verdict(False, f"only {achieved:.0f} of {rate:.0f} req/s sent")
    return Verdict(True, "")


def step_up(
    rates: Sequence[float],
    run_stage: Callable[[float], T],
    verdict: Callable[[T], Verdict],
) -> tuple[list[T], float | None]:
    """Runs the stages in order until the first that fails: every stage run, and the
    highest rate that passed (None when the first failed)."""
    stages: list[T] = []
    highest = None
    for rate in rates:
        stage = run_stage(rate)
        stages.append(stage)
        if not verdict(stage).ok:
            break
        highest = rate
    return stages, highest
