"""Django-side helpers for the benchmarks, run in a child process with the portal's settings.

    DATABASE_URL=… SECRET_KEY=x ALLOWED_HOSTS=127.0.0.1 .venv/bin/python bench/probe.py pages
    … bench/probe.py queries [PATH ...]      SQL queries per page, as JSON
    … bench/probe.py profile PATH [-n 20]    cProfile of PATH rendered n times
    … PAGE_CACHE=1 bench/probe.py hits [PATH ...]   cache hits against /ok, as JSON

``pages`` names the pages the benchmarks load (JSON): the home page, the newest
article, the most mentioned company, model, official and country, the most used
tag, the archive's first page and a deep one (the middle of the archive), and a
search for a common word.
``queries`` renders each page twice through Django's test client and counts the
queries of the second request (the first one fills per-process caches), with
each query's SQL and milliseconds. ``hits`` times page-cache hits against the
limit ``/ok`` through Django's WSGI handler in this one process (no HTTP, no load
generator sharing the cores): per page, the best of several rounds, as a ratio to
``/ok``'s speed in the same rounds, in CPU time of this process and in wall time
(which includes waiting for the cache server).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import math
import os
import pstats
import sys
import time
from pathlib import Path

if __name__ == "__main__":
    # Run as a script, bench/ heads sys.path: import the project from its root instead.
    sys.path[0] = str(Path(__file__).resolve().parent.parent)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from articles.models import Article, TaggedArticle  # noqa: E402
from articles.views import PAGE_SIZE  # noqa: E402
from companies.kinds import KINDS  # noqa: E402
from companies.queries import by_mentions  # noqa: E402

SEARCH_PATH = "/search/?q=завод"
HOST = "127.0.0.1"  # the only name ALLOWED_HOSTS lets in
# The busiest entity page of each kind, under the names the figures use.
PAGE_NAMES = {
    "companies": "company",
    "vehicle_models": "model",
    "officials": "official",
    "countries": "country",
}


def pages() -> dict[str, str]:
    """Page name → path, chosen the same way on every database and size."""
    newest = Article.objects.published().order_by("-published_at", "-id").first()
    found = {"home": "/"}
    if newest:
        found["article"] = newest.get_absolute_url()
    for kind in KINDS:
        busiest = by_mentions(kind).first()
        if busiest:
            found[PAGE_NAMES[kind.key]] = busiest.get_absolute_url()
    busiest_tag = (
        TaggedArticle.objects.filter(content_object__in=Article.objects.published())
        .values("tag__slug")
        .annotate(uses=Count("id"))
        .order_by("-uses", "tag__slug")
        .first()
    )
    if busiest_tag:
        found["tag"] = f"/tags/{busiest_tag['tag__slug']}/"
    found["archive"] = "/news/"
    middle = Article.objects.published().count() // PAGE_SIZE // 2
    if middle > 1:
        found["archive_deep"] = f"/news/?page={middle}"
    found["search"] = SEARCH_PATH
    return found


def count_queries(paths: list[str]) -> dict[str, dict]:
    """Per path: the status and the number of SQL queries of a second request."""
    client = Client(HTTP_HOST=HOST)
    counted = {}
    for path in paths:
        client.get(path)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        counted[path] = {
            "status": response.status_code,
            "queries": len(captured),
            "sql": [query["sql"] for query in captured.captured_queries],
            "ms": [float(query["time"]) * 1000 for query in captured.captured_queries],
        }
    return counted


def profile(path: str, *, requests: int, limit: int) -> str:
    """cProfile of ``requests`` renderings of ``path``, after one warm-up request."""
    client = Client(HTTP_HOST=HOST)
    status = client.get(path).status_code
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for _ in range(requests):
        client.get(path)
    profiler.disable()
    per_request = (time.perf_counter() - started) / requests * 1000
    out = io.StringIO()
    print(f"{path} → {status}: {per_request:.1f} ms per request under cProfile", file=out)
    stats = pstats.Stats(profiler, stream=out).strip_dirs()
    stats.sort_stats("cumulative").print_stats(limit)
    stats.sort_stats("tottime").print_stats(limit)
    return out.getvalue()


def _time_requests(handler, environ: dict, requests: int) -> tuple[float, float]:
    """CPU and wall seconds per request for ``requests`` requests of ``environ``."""

    def start_response(status, headers, exc_info=None):
        return None

    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(requests):
        answer = handler(dict(environ), start_response)
        b"".join(answer)
        answer.close()
    return (time.process_time() - cpu) / requests, (time.perf_counter() - wall) / requests


def hits(paths: list[str], *, requests: int, rounds: int) -> dict[str, dict]:
    """Per path: its speed over ``/ok``'s, best round against best round."""
    from django.core.handlers.wsgi import WSGIHandler
    from django.test import RequestFactory

    handler = WSGIHandler()
    environs = {path: RequestFactory(HTTP_HOST=HOST).get(path).environ for path in ["/ok", *paths]}
    best: dict[str, list[float]] = {path: [math.inf, math.inf] for path in environs}
    for environ in environs.values():
        _time_requests(handler, environ, 20)  # the first request stores the page
    for _ in range(rounds):
        for path, environ in environs.items():
            times = _time_requests(handler, environ, requests)
            best[path] = [min(old, new) for old, new in zip(best[path], times, strict=True)]
    ok_cpu, ok_wall = best.pop("/ok")
    return {
        path: {"cpu_ratio": ok_cpu / cpu, "wall_ratio": ok_wall / wall, "us_wall": wall * 1e6}
        for path, (cpu, wall) in best.items()
    } | {"/ok": {"us_cpu": ok_cpu * 1e6, "us_wall": ok_wall * 1e6}}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("pages", help="the pages the benchmarks load, as JSON")
    queries = commands.add_parser("queries", help="SQL queries per page, as JSON")
    queries.add_argument("paths", nargs="*", help="default: every page of 'pages'")
    prof = commands.add_parser("profile", help="cProfile of one page")
    prof.add_argument("path")
    prof.add_argument("-n", "--requests", type=int, default=20)
    prof.add_argument("--limit", type=int, default=30, help="rows per table")
    hit = commands.add_parser("hits", help="page-cache hits against /ok, as JSON")
    hit.add_argument("paths", nargs="*", help="default: home, article, search")
    hit.add_argument("-n", "--requests", type=int, default=300)
    hit.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()

    if args.command == "pages":
        print(json.dumps(pages(), ensure_ascii=False))
    elif args.command == "queries":
        print(json.dumps(count_queries(args.paths or list(pages().values())), ensure_ascii=False))
    elif args.command == "hits":
        found = pages()
        paths = args.paths or [
            found[name] for name in ("home", "article", "search") if name in found
        ]
        print(
            json.dumps(hits(paths, requests=args.requests, rounds=args.rounds), ensure_ascii=False)
        )
    else:
        print(profile(args.path, requests=args.requests, limit=args.limit))
    return 0


if __name__ == "__main__":
    sys.exit(main())
