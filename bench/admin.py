"""The editors' side on a corpus: admin lists, search and change forms, timed.

    .venv/bin/python bench/admin.py [--articles 100000] [--databases postgresql] [--repeat 5]
        [--reuse]
    .venv/bin/python bench/admin.py --quick        # 1k articles, PostgreSQL and SQLite, 3 runs

Measured in-process, in a child process with the portal's production-like
settings, through Django's test client signed in as a superuser (every
article, every state). Each page is fetched once to warm up, once with its SQL
queries counted, then ``--repeat`` times timed: the median is the figure. The
limit ``/ok`` is timed the same way, for scale on a shared machine.

Targets (the performance issue, PostgreSQL, 100,000 articles): every admin list
and search ≤ 300 ms; the article change form ≤ 15 queries (its article is the
one with the most links, tags and suggested names).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

if __name__ == "__main__":
    # Run as a script, bench/ heads sys.path: import from the project root instead.
    sys.path[0] = str(Path(__file__).resolve().parent.parent)

from bench.common import (
    BENCH_DIR,
    PYTHON,
    ROOT,
    CorpusDb,
    check_virtualenv,
    collectstatic,
    django_env,
    drop_working_copies,
    ensure_postgres_server,
    machine_summary,
    parse_sizes,
    parse_vendors,
    prepare_corpus,
    run,
    script_main,
    table,
)

TARGET_SIZE = 100_000
TARGET_LIST_MS = 300.0
TARGET_FORM_QUERIES = 15
RESULTS = BENCH_DIR / "results" / "admin.json"
COMMON_WORD = "завод"  # in most articles of the corpus
RARE_WORDS = "Тестового завода 12"  # a few hundred at 100k


@dataclass
class PageFigures:
    page: str
    kind: str  # "limit", "list" (≤ 300 ms), "form" (≤ 15 queries) or "page" (no target)
    path: str
    median_ms: float
    min_ms: float
    queries: int


@dataclass
class AdminFigures:
    db: str
    vendor: str
    size: int
    pages: list[PageFigures]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", default=str(TARGET_SIZE), help="corpus sizes (100000)")
    parser.add_argument("--databases", default="postgresql", help="postgresql,sqlite")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per page")
    parser.add_argument("--reuse", action="store_true", help="reuse cached corpus databases")
    parser.add_argument("--quick", action="store_true", help="smoke run: 1k articles, 3 runs")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.quick:
        args.articles, args.databases, args.repeat = "1000", "postgresql,sqlite", 3
    args.sizes = parse_sizes(args.articles)
    args.vendors = parse_vendors(args.databases)
    return args


# --- the child: Django in this process ----------------------------------------


def pages() -> list[tuple[str, str, str]]:
    """(name, kind, path) of every page measured, on the corpus in this process."""
    from django.db.models import Count
    from django.urls import reverse

    from articles.models import Article, EntitySuggestion
    from companies.models import Company

    busiest = Company.objects.annotate(n=Count("articles")).order_by("-n").first()
    loaded = (
        Article.objects.annotate(
            n=Count("companies", distinct=True)
            + Count("officials", distinct=True)
            + Count("vehicle_models", distinct=True)
            + Count("countries", distinct=True)
            + Count("tags", distinct=True)
            + Count("suggestions", distinct=True)
        )
        .order_by("-n", "-pk")
        .first()
    )

    def admin(name: str, *args) -> str:
        return reverse(f"admin:{name}", args=args)

    articles = admin("articles_article_changelist")
    deep = max(1, min(50, Article.objects.count() // 100))  # 100 a page: a page far in
    companies = admin("companies_company_changelist")
    measured = [
        ("/ok (the limit)", "limit", reverse("ok")),
        ("article list", "list", articles),
        ("article list, drafts", "list", f"{articles}?state=draft"),
        ("article list, busiest company", "list", f"{articles}?companies__id__exact={busiest.pk}"),
        (f"article list, page {deep}", "list", f"{articles}?p={deep}"),
        (f"article search «{COMMON_WORD}»", "list", f"{articles}?q={COMMON_WORD}"),
        (f"article search «{RARE_WORDS}»", "list", f"{articles}?q={RARE_WORDS}"),
        ("company list", "list", companies),
        ("company list by articles", "list", f"{companies}?o=-4"),
        ("company search «Моторс»", "list", f"{companies}?q=Моторс"),
        ("official list", "list", admin("companies_official_changelist")),
        ("vehicle model list", "list", admin("companies_vehiclemodel_changelist")),
        ("country list", "list", admin("companies_country_changelist")),
        ("tag list", "list", admin("articles_tag_changelist")),
        ("suggestion list", "list", admin("articles_entitysuggestion_changelist")),
        ("article change form", "form", admin("articles_article_change", loaded.pk)),
        ("busiest company's form", "page", admin("companies_company_change", busiest.pk)),
    ]
    suggestion = EntitySuggestion.objects.first()
    if suggestion is not None:
        path = admin("articles_entitysuggestion_change", suggestion.pk)
        measured.append(("suggestion form", "page", path))
    return measured


def child(repeat: int) -> list[dict]:
    """Time every page; runs with the portal's settings on the corpus's working copy."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    user, _ = User.objects.get_or_create(
        username="bench-chief", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)

    def fetch(path: str):
        response = client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}")
        return response

    measured = []
    for name, kind, path in pages():
        fetch(path)  # warm-up
        with CaptureQueriesContext(connection) as captured:
            fetch(path)
        queries = len(captured)  # now: the next request empties Django's query log
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            fetch(path)
            times.append((time.perf_counter() - started) * 1000)
        print(f"   {name}: {statistics.median(times):.0f} ms", file=sys.stderr, flush=True)
        measured.append(
            asdict(PageFigures(name, kind, path, statistics.median(times), min(times), queries))
        )
    return measured


# --- the parent ---------------------------------------------------------------


def measure(db: CorpusDb, repeat: int) -> AdminFigures:
    print(f"== admin on {db.label}: {repeat} timed runs per page")
    script = ROOT / "bench" / "admin.py"
    raw = json.loads(
        run([PYTHON, script, "--child", "--repeat", str(repeat)], env=django_env(db.url),
            live_stderr=True)
    )  # fmt: skip
    return AdminFigures(db.label, db.vendor, db.size, [PageFigures(**page) for page in raw])


def verdict(figures: AdminFigures, page: PageFigures) -> str:
    """«met», «MISSED» or «info» for one page (targets apply on PostgreSQL at 100k)."""
    if page.kind == "limit":
        return ""
    if page.kind == "page":
        return "info"
    at_target = figures.vendor == "postgresql" and figures.size == TARGET_SIZE
    if page.kind == "list":
        met = page.median_ms <= TARGET_LIST_MS
        goal = f"≤ {TARGET_LIST_MS:.0f} ms"
    else:
        met = page.queries <= TARGET_FORM_QUERIES
        goal = f"≤ {TARGET_FORM_QUERIES} queries"
    if not at_target:
        return f"info ({goal} at {TARGET_SIZE:,} on PostgreSQL)"
    return f"{'met' if met else 'MISSED'} ({goal})"


def page_table(figures: AdminFigures) -> str:
    rows = [
        (
            p.page,
            f"{p.median_ms:.1f}",
            f"{p.min_ms:.1f}",
            p.queries,
            verdict(figures, p),
        )
        for p in figures.pages
    ]
    return table(("page", "median ms", "min ms", "queries", "target"), rows)


def save(figures: list[AdminFigures], machine: str) -> None:
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    data = {"machine": machine, "admin": [asdict(f) for f in figures]}
    RESULTS.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def main() -> int:
    args = parse_args()
    if args.child:
        print(json.dumps(child(args.repeat)))
        return 0
    check_virtualenv()
    collectstatic()  # the admin's pages name their files through the manifest
    if "postgresql" in args.vendors:
        ensure_postgres_server()
    machine = machine_summary(with_postgres="postgresql" in args.vendors)
    print(f"== {machine}")
    figures = []
    for size in args.sizes:
        for vendor in args.vendors:
            db = prepare_corpus(size, vendor, reuse=args.reuse)
            try:
                figures.append(measure(db, args.repeat))
            finally:
                drop_working_copies([db])
    for f in figures:
        print(f"\n== Admin pages, {f.db} articles ({machine})\n")
        print(page_table(f))
    if not any(f.vendor == "postgresql" and f.size == TARGET_SIZE for f in figures):
        print(f"\nnot measured: the admin on PostgreSQL at {TARGET_SIZE:,} articles")
    save(figures, machine)
    print(f"\nFigures saved to {RESULTS}")
    return 0


if __name__ == "__main__":
    script_main(main)
