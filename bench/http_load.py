"""HTTP throughput of the public pages, measured against the smallest page (/ok) with wrk.

    .venv/bin/python bench/http_load.py [--articles 1000,100000] [--duration 10s] [--reuse]
    .venv/bin/python bench/http_load.py --quick          # 1k articles, 3 s runs
    .venv/bin/python bench/http_load.py --redis          # cache on in Redis, not local memory

For each corpus size and database (PostgreSQL, SQLite) the portal runs under
gunicorn (2 sync workers, DEBUG off, persistent connections, collected static
files) on 127.0.0.1, first with the page cache off (PAGE_CACHE=0), then on
(PAGE_CACHE=1). After a warm-up, wrk (one thread, 4 connections) loads the limit
/ok, then each page in turn, then /ok again, and so on for 3 rounds. A page's
ratio is its req/s over the mean of the two /ok runs around it: wrk shares the 2
cores with the server, so only figures from one run compare. Between runs the
server works off the requests wrk left behind before the next run starts.

Pages (bench/probe.py picks them the same way at every size): with the cache off
every public page the performance issue names: home, the newest article, the
busiest company, model, official and country, the busiest tag, the archive's
first and middle page, a search for a common word; with the cache on the home
page, the article, the company and the search (a hit costs the same whatever the
page). Targets at 100,000 articles on PostgreSQL: the article page cache off
≥ 25 % of the limit, every other page ≥ 10 %; every page cache on ≥ 90 %.

Also printed: the SQL queries of each page (Django's test client, same settings
and database, second request) at every size, with the cache off and on.

The file is not called http.py: run as a script, bench/ heads sys.path, and a
bench/http.py would hide the standard library's http package from every script
there.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

if __name__ == "__main__":
    # Run as a script, bench/ heads sys.path: import from the project root instead.
    sys.path[0] = str(Path(__file__).resolve().parent.parent)

from bench.common import (
    BENCH_DIR,
    BenchError,
    CorpusDb,
    WrkResult,
    check_virtualenv,
    collectstatic,
    django_env,
    drop_working_copies,
    ensure_postgres_server,
    ensure_wrk,
    fetch,
    gunicorn,
    machine_summary,
    median,
    parse_sizes,
    parse_vendors,
    prepare_corpus,
    probe,
    quote_url,
    run_wrk,
    script_main,
    settle,
    table,
)

# With the page cache off, every public page the performance issue names; with it on,
# four of them (a hit costs the same whatever page it is).
COLD_PAGES = (
    "home",
    "article",
    "company",
    "model",
    "official",
    "country",
    "tag",
    "archive",
    "archive_deep",
    "search",
)
CACHED_PAGES = ("home", "article", "company", "search")
LIMIT = ("limit", "/ok")
CONNECTIONS = 4  # two per worker, so no worker waits for wrk to reconnect
RESULTS = BENCH_DIR / "results" / "http.json"

# Targets from the performance issue.
ARTICLE_COLD_TARGET = 0.25  # article page, cache off, PostgreSQL, at TARGET_SIZE
PAGE_COLD_TARGET = 0.10  # every other page, cache off, PostgreSQL, at TARGET_SIZE
TARGET_SIZE = 100_000
CACHED_TARGET = 0.90  # any page with the cache on: a hit costs less than /ok
MAX_QUERIES = 8


@dataclass(frozen=True)
class Setup:
    size: int
    vendor: str
    cache: bool
    redis: bool = False  # the cache in Redis rather than each process's memory

    @property
    def label(self) -> str:
        return f"{self.vendor} {self.size:,} cache {_cache_name(self)}"


@dataclass(frozen=True)
class Run:
    """One wrk run of a page, with the /ok runs just before and after it."""

    round: int
    page: str
    result: WrkResult
    limit_rps: float  # mean of the bracketing /ok runs

    @property
    def ratio(self) -> float:
        return self.result.rps / self.limit_rps if self.limit_rps else 0.0


@dataclass(frozen=True)
class PageFigures:
    setup: Setup
    page: str
    path: str
    rps: float  # median over the rounds
    rps_low: float
    rps_high: float
    p50_ms: float  # median over the rounds
    p99_ms: float  # median over the rounds
    ratio: float  # median over the rounds of the page's req/s over the limit's
    errors: int

    @classmethod
    def from_runs(cls, setup: Setup, page: str, path: str, runs: list[Run]) -> PageFigures:
        rps = [r.result.rps for r in runs]
        return cls(
            setup=setup,
            page=page,
            path=path,
            rps=median(rps),
            rps_low=min(rps),
            rps_high=max(rps),
            p50_ms=median([r.result.p50_ms for r in runs]),
            p99_ms=median([r.result.p99_ms for r in runs]),
            ratio=median([r.ratio for r in runs]),
            errors=sum(r.result.errors for r in runs),
        )


@dataclass(frozen=True)
class QueryCount:
    size: int
    vendor: str
    page: str
    path: str
    queries: int  # cache off
    cached_queries: int  # cache on, second request


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", default="1000,100000", help="corpus sizes (1000,100000)")
    parser.add_argument("--databases", default="postgresql,sqlite", help="postgresql,sqlite")
    parser.add_argument("--cache", default="off,on", help="page cache settings: off,on")
    parser.add_argument("--duration", default="10s", help="each wrk run (default 10s)")
    parser.add_argument("--warmup", default="2s", help="wrk warm-up run per page (2s)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=CONNECTIONS)
    parser.add_argument("--reuse", action="store_true", help="reuse cached corpus databases")
    parser.add_argument(
        "--redis",
        action="store_true",
        help="cache on in Redis (a redis-server started for the run), not in local memory",
    )
    parser.add_argument("--quick", action="store_true", help="smoke run: 1k, 3s runs, 1s warm-up")
    args = parser.parse_args(argv)
    if args.quick:
        args.articles, args.duration, args.warmup = "1000", "3s", "1s"
    args.sizes = parse_sizes(args.articles)
    args.vendors = parse_vendors(args.databases)
    args.caches = [part.strip() == "on" for part in args.cache.split(",") if part.strip()]
    return args


# --- one server ---------------------------------------------------------------


def check_pages(base: str, targets: dict[str, str]) -> None:
    for name, path in targets.items():
        answer = fetch(quote_url(base, path))
        if answer.status != 200:
            excerpt = answer.body[:300].decode(errors="replace")
            raise BenchError(f"{name} {path} answered {answer.status}:\n{excerpt}")


def load(base: str, targets: dict[str, str], args: argparse.Namespace) -> list[Run]:
    """Warm up, then limit, pages, limit, pages, … limit: ``args.rounds`` rounds."""
    url = {name: quote_url(base, path) for name, path in targets.items()}

    def wrk(name: str, duration: str) -> WrkResult:
        result = run_wrk(url[name], duration=duration, connections=args.connections)
        settle(base, result)
        return result

    for name in targets:
        wrk(name, args.warmup)
    pages = [name for name in targets if name != LIMIT[0]]
    runs = []
    limit_before = wrk(LIMIT[0], args.duration)
    for number in range(1, args.rounds + 1):
        results = {page: wrk(page, args.duration) for page in pages}
        limit_after = wrk(LIMIT[0], args.duration)
        limit_rps = (limit_before.rps + limit_after.rps) / 2
        runs.append(Run(number, LIMIT[0], limit_before, limit_rps))
        runs += [Run(number, page, result, limit_rps) for page, result in results.items()]
        print(
            f"   round {number}: limit {limit_before.rps:.0f}→{limit_after.rps:.0f} req/s; "
            + ", ".join(f"{page} {r.rps:.0f}" for page, r in results.items())
        )
        limit_before = limit_after
    return runs


def measure(db: CorpusDb, cache: bool, targets: dict[str, str], args) -> list[PageFigures]:
    setup = Setup(db.size, db.vendor, cache, redis=cache and args.redis_url is not None)
    print(f"== {setup.label}: gunicorn, {args.rounds} rounds of {args.duration}")
    env = django_env(db.url, page_cache=cache)
    if setup.redis:
        env["REDIS_URL"] = args.redis_url
    with gunicorn(env) as base:
        check_pages(base, targets)
        runs = load(base, targets, args)
    return [
        PageFigures.from_runs(setup, name, path, [r for r in runs if r.page == name])
        for name, path in targets.items()
    ]


def count_queries(db: CorpusDb, pages: dict[str, str]) -> list[QueryCount]:
    paths = list(pages.values())
    cold = probe(db, "queries", *paths, page_cache=False)
    warm = probe(db, "queries", *paths, page_cache=True)
    return [
        QueryCount(db.size, db.vendor, name, path, cold[path]["queries"], warm[path]["queries"])
        for name, path in pages.items()
    ]


# --- report -------------------------------------------------------------------


def page_table(figures: list[PageFigures]) -> str:
    rows = [
        (
            f.page,
            _rps(f.rps),
            f"{_rps(f.rps_low)}–{_rps(f.rps_high)}",
            f"{f.p50_ms:.1f}",
            f"{f.p99_ms:.1f}",
            "—" if f.page == LIMIT[0] else f"{f.ratio:.1%}",
            f.errors or "",
        )
        for f in figures
    ]
    headers = ("page", "req/s", "range", "p50 ms", "p99 ms", "of limit", "errors")
    return table(headers, rows)


def summary_table(figures: list[PageFigures]) -> str:
    setups = list(dict.fromkeys(f.setup for f in figures))
    rows = []
    for setup in setups:
        mine = {f.page: f for f in figures if f.setup == setup}
        limit = mine[LIMIT[0]]
        cells = [
            f"{_rps(mine[p].rps)} ({_ratio(mine[p].ratio)})" if p in mine else "—"
            for p in COLD_PAGES
        ]
        rows.append((setup.vendor, f"{setup.size:,}", _cache_name(setup), _rps(limit.rps)))
        rows[-1] += tuple(cells)
    headers = ("database", "articles", "cache", "/ok req/s")
    return table(headers + tuple(f"{p} req/s (of limit)" for p in COLD_PAGES), rows)


def query_table(counts: list[QueryCount]) -> str:
    sizes = sorted({c.size for c in counts})
    vendors = list(dict.fromkeys(c.vendor for c in counts))
    rows = []
    for vendor in vendors:
        for page in COLD_PAGES:
            mine = {c.size: c for c in counts if c.vendor == vendor and c.page == page}
            if not mine:
                continue
            cold = [mine[s].queries if s in mine else "—" for s in sizes]
            warm = [mine[s].cached_queries if s in mine else "—" for s in sizes]
            ok = len(set(cold)) == 1 and max(c for c in cold if c != "—") <= MAX_QUERIES
            rows.append((vendor, page, *cold, *warm, "yes" if ok else "NO"))
    headers = (
        "database",
        "page",
        *(f"{s:,} cache off" for s in sizes),
        *(f"{s:,} cache on" for s in sizes),
        f"≤ {MAX_QUERIES} and equal",
    )
    return table(headers, rows)


def target_lines(figures: list[PageFigures]) -> list[str]:
    lines = []
    cold = [
        f
        for f in figures
        if f.page != LIMIT[0] and not f.setup.cache and f.setup.vendor == "postgresql"
    ]
    for f in cold:
        goal = ARTICLE_COLD_TARGET if f.page == "article" else PAGE_COLD_TARGET
        text = f"{f.page}, cache off, PostgreSQL {f.setup.size:,}: {f.ratio:.1%} of the limit"
        if f.setup.size == TARGET_SIZE:
            lines.append(_verdict(f.ratio >= goal, f"{text} (target ≥ {goal:.0%})"))
        else:
            lines.append(f"info   {text} (the target applies at {TARGET_SIZE:,})")
    if not any(f.setup.size == TARGET_SIZE for f in cold):
        lines.append(f"not measured: the pages, cache off, PostgreSQL {TARGET_SIZE:,}")
    for f in figures:
        if f.setup.cache and f.page != LIMIT[0]:
            text = f"{f.page}, cache {_cache_name(f.setup)}, {f.setup.vendor} {f.setup.size:,}"
            text += f": {f.ratio:.1%}"
            met = f.ratio >= CACHED_TARGET
            lines.append(_verdict(met, f"{text} of the limit (target ≥ {CACHED_TARGET:.0%})"))
    return lines


def _verdict(met: bool, text: str) -> str:
    return f"{'met   ' if met else 'MISSED'} {text}"


def _rps(value: float) -> str:
    return f"{value:,.0f}" if value >= 10 else f"{value:.1f}"


def _ratio(value: float) -> str:
    return f"{value:.0%}" if value >= 0.1 else f"{value:.1%}"


def _cache_name(setup: Setup) -> str:
    return ("on (Redis)" if setup.redis else "on") if setup.cache else "off"


def save(figures: list[PageFigures], counts: list[QueryCount], machine: str) -> None:
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    data = {
        "machine": machine,
        "pages": [asdict(f) for f in figures],
        "queries": [asdict(c) for c in counts],
    }
    RESULTS.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


# --- main ---------------------------------------------------------------------


def main() -> int:
    args = parse_args()
    check_virtualenv()
    ensure_wrk()
    if "postgresql" in args.vendors:
        ensure_postgres_server()
    machine = machine_summary(with_postgres="postgresql" in args.vendors)
    print(f"== {machine}")
    collectstatic()
    with contextlib.ExitStack() as stack:
        args.redis_url = stack.enter_context(redis_server()) if args.redis else None
        return run(args, machine)


@contextlib.contextmanager
def redis_server():
    """Debian's redis-server with the deployment's settings, for the run; its URL."""
    from bench.scale_demo import Redis

    with tempfile.TemporaryDirectory(prefix="portal-http-redis-") as folder:
        redis = Redis(Path(folder))
        redis.start()
        try:
            yield redis.url
        finally:
            redis.stop()


def run(args: argparse.Namespace, machine: str) -> int:
    figures: list[PageFigures] = []
    counts: list[QueryCount] = []
    for size in args.sizes:
        for vendor in args.vendors:
            db = prepare_corpus(size, vendor, reuse=args.reuse)
            try:
                pages = probe(db, "pages")
                print(f"   pages: {json.dumps(pages, ensure_ascii=False)}")
                counts += count_queries(db, pages)
                for cache in args.caches:
                    names = CACHED_PAGES if cache else COLD_PAGES
                    loaded = {p: pages[p] for p in names if p in pages}
                    mine = measure(db, cache, dict([LIMIT, *loaded.items()]), args)
                    print(page_table(mine))
                    figures += mine
            finally:
                drop_working_copies([db])
    print(f"\n== Summary ({machine})\n")
    print(f"wrk: 1 thread, {args.connections} connections, {args.duration} per run,")
    print(f"{args.rounds} rounds; req/s and latencies are medians over the rounds.\n")
    print(summary_table(figures))
    print("\nSQL queries per page (second request through the test client):\n")
    print(query_table(counts))
    print("\nTargets:")
    print("\n".join(f"  {line}" for line in target_lines(figures)))
    save(figures, counts, machine)
    print(f"\nFigures saved to {RESULTS}")
    return 0


if __name__ == "__main__":
    script_main(main)
