"""Search latency: 200 varied Russian queries on a corpus, PostgreSQL and SQLite.

    .venv/bin/python bench/search.py [--articles 100000] [--repeat 3] [--reuse]
    .venv/bin/python bench/search.py --quick            # 1k articles, one pass

Measured in-process, in a child process with the portal's production-like
settings (page cache off), after a warm-up with other queries:

- view: the full search page through Django's test client (middleware, search,
  highlighting, template), what a visitor waits for minus the network;
- function: ``articles.search.search_articles`` alone (queries, ranking, snippets).

"first seen" is the view's time the first time each query is asked (per-process
caches of word forms still cold for its words); "steady" pools the later passes.
SQLite, for reference only, asks every 4th query (``--sqlite-every``).
Target (the performance issue): view p95 ≤ 30 ms on PostgreSQL at 100k articles.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlencode

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
    median,
    parse_sizes,
    parse_vendors,
    percentile,
    prepare_corpus,
    run,
    script_main,
    table,
)

TARGET_MS = 30.0  # view p95, PostgreSQL, at TARGET_SIZE
TARGET_SIZE = 100_000
RESULTS = BENCH_DIR / "results" / "search.json"

# What readers of this portal would type, in the words of the synthetic corpus
# (bench/corpus/: the catalog and its test entities, a template vocabulary):
# names in their case forms, single words in several cases, phrases, words of a
# single template, and queries that find nothing.
QUERIES: dict[str, list[str]] = {
    "entity": [
        "Тулпар Моторс",
        "Тулпар Моторса",
        "Тулпар Моторсом",
        "о Тулпар Моторсе",
        "тулпар",
        "Tulpar Motors",
        "Роман Чекушов",
        "Романа Чекушова",
        "Романом Чекушовым",
        "Чекушову",
        "Адылбек Касымалиев",
        "Касымалиева",
        "Адылбеком Касымалиевым",
        "Киргизия",
        "Киргизии",
        "в Кыргызстане",
        "Кыргызстана",
        "Кыргызской Республики",
        "Россия",
        "России",
        "Российской Федерации",
        "РФ",
        "Минпромторг",
        "Минпромторга России",
        "Министерства промышленности и торговли",
        "Chevrolet",
        "Шевроле",
        "Chevrolet Onix",
        "Onix",
        "Chevrolet Cobalt",
        "Cobalt",
        "Chevrolet Tracker",
        "Tracker",
        "Isuzu",
        "Исузу",
        "грузовики Isuzu",
        "автобусов Isuzu",
        "Тестовый завод 7",
        "Тестового завода 12",
        "Тестовым заводом 3",
        "на Тестовом заводе 25",
        "Тестовый завод",
        "Testmark 3",
        "Testmark 5 Alpha",
        "Testmark 11 Gamma",
        "Testmark Beta",
        "Testmark",
        "Касымалиеву",
        "Адылбека Касымалиева",
        "Чекушова",
    ],
    "word": [
        "выпуск",
        "выпуска",
        "спрос",
        "спроса",
        "поставки",
        "поставок",
        "экспорт",
        "экспорта",
        "сборка",
        "сборку",
        "машин",
        "машины",
        "конвейер",
        "конвейере",
        "комплектующие",
        "комплектующих",
        "дилеры",
        "дилеров",
        "продажи",
        "продаж",
        "рынок",
        "рынка",
        "инвестиции",
        "инвестиций",
        "локализация",
        "машиностроение",
        "машиностроения",
        "автопроизводители",
        "автопрома",
        "контракты",
        "кредиты",
        "кредитных",
        "льготы",
        "льгот",
        "пошлины",
        "пошлин",
        "логистика",
        "оборудование",
        "испытания",
        "полигон",
        "специалистов",
        "поставщики",
        "переговоры",
        "модели",
        "предприятий",
        "производство",
        "промышленности",
        "завод",
        "заводы",
        "площадке",
    ],
    "two words": [
        "выпуск машин",
        "спрос на модели",
        "поставки комплектующих",
        "экспорт машин",
        "сборка машин",
        "новая линия",
        "новой линии",
        "долгосрочные контракты",
        "льготные кредиты",
        "льготных кредитов",
        "рабочие места",
        "рабочих мест",
        "локальное производство",
        "Центральной Азии",
        "Центральная Азия",
        "курс валют",
        "таможенных правилах",
        "отраслевые ассоциации",
        "корпоративных клиентов",
        "подержанных машин",
        "кредитные программы",
        "итоги года",
        "местных деталей",
        "промышленного производства",
        "меры поддержки",
        "совместную сборку",
        "совместного экспорта",
        "рост продаж",
        "узкое место",
        "налоговые льготы",
        "Chevrolet Кыргызстан",
        "Isuzu Россия",
        "Testmark Кыргызстан",
        "Чекушов контракты",
        "Минпромторг кредиты",
        "завод Киргизии",
        "заводы Киргизии",
        "выпуск вырос",
        "новые заказы",
        "Тулпар Моторс выпуск",
    ],
    "three words": [
        "сборка машин в Кыргызстане",
        "спрос на Chevrolet Cobalt",
        "поставки комплектующих из России",
        "рост продаж Chevrolet",
        "программа льготных кредитов",
        "запуск новой линии",
        "долгосрочные контракты для предприятий",
        "снижение пошлин на комплектующие",
        "доля местных деталей",
        "меры поддержки промышленности",
        "новые рабочие места",
        "выпуск Chevrolet Onix",
        "Тулпар Моторс наращивает выпуск",
        "Роман Чекушов контракты",
        "Минпромторг России поддержка",
        "экспорт машин из Кыргызстана",
        "рынок подержанных машин",
        "рынок Центральной Азии",
        "итоги работы за год",
        "испытания на полигоне",
        "обучить новых специалистов",
        "поставки в Россию выросли",
        "дилеры сообщают о росте",
        "совместная сборка машин",
        "локализация производства деталей",
        "инвестиции в Тестовый завод",
        "интерес к Testmark",
        "цены на новые машины",
        "стабильный курс валют",
        "производители Центральной Азии",
    ],
    "one template": [
        "амбициозными",
        "выполнимыми",
        "полигоне",
        "ассоциации",
        "валют",
        "подержанных",
        "узким местом",
        "письмо",
        "конкурентами",
        "оборудования доставлена",
        "кооперации",
        "полугодии",
        "корпоративных",
        "приоритетов",
        "сигнал",
    ],
    "no results": [
        "квантовый компьютер",
        "фотосинтез",
        "xyzzy",
        "балет",
        "пингвины Антарктиды",
        "криптовалюта биткоин",
        "шахматный турнир",
        "рецепт плова",
        "футбольный чемпионат",
        "вулканология",
        "qwertyuiop",
        "средневековая поэзия",
        "астероид",
        "динозавры",
        "оперный театр",
    ],
}
# Asked before measuring, so the first measured query does not pay for loading
# dictionaries, templates and connections.
WARMUP_QUERIES = ["промышленность", "автопром Киргизии", "Бишкек", "выпуск техники", "тест"]


@dataclass(frozen=True)
class Timing:
    """Latency percentiles of one way of measuring, in milliseconds."""

    what: str
    samples: int
    p50: float
    p95: float
    p99: float
    max: float

    @classmethod
    def of(cls, what: str, values: list[float]) -> Timing:
        return cls(
            what=what,
            samples=len(values),
            p50=percentile(values, 50),
            p95=percentile(values, 95),
            p99=percentile(values, 99),
            max=max(values),
        )


@dataclass(frozen=True)
class SearchFigures:
    db: str
    vendor: str
    size: int
    timings: list[Timing]
    by_category: dict[str, float]  # steady view p95 per category
    queries: int
    without_results: int
    slowest: list[tuple[str, float, int]]  # query, steady view median ms, results


def all_queries(every: int = 1) -> list[tuple[str, str]]:
    """(category, query) pairs; with ``every`` = n, every n-th of them."""
    pairs = [(category, q) for category, queries in QUERIES.items() for q in queries]
    return pairs[::every]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", default=str(TARGET_SIZE), help="corpus sizes (100000)")
    parser.add_argument("--databases", default="postgresql,sqlite", help="postgresql,sqlite")
    parser.add_argument("--repeat", type=int, default=2, help="steady passes (PostgreSQL)")
    parser.add_argument("--sqlite-repeat", type=int, default=1, help="steady passes (SQLite)")
    parser.add_argument(
        "--sqlite-every",
        type=int,
        default=4,
        help="SQLite, for reference, asks every n-th query only (default 4: 50 queries)",
    )
    parser.add_argument("--reuse", action="store_true", help="reuse cached corpus databases")
    parser.add_argument("--quick", action="store_true", help="smoke run: 1k articles, one pass")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--every", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.quick:
        args.articles, args.repeat, args.sqlite_repeat = "1000", 1, 1
    args.sizes = parse_sizes(args.articles)
    args.vendors = parse_vendors(args.databases)
    return args


# --- the child: Django in this process ----------------------------------------


def child(repeat: int, every: int) -> dict:
    """Time every query; runs with the portal's settings and database."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()
    from django.test import Client

    from articles.search import search_articles

    client = Client(HTTP_HOST="127.0.0.1")
    queries = [q for _category, q in all_queries(every)]

    def view(query: str) -> float:
        started = time.perf_counter()
        response = client.get("/search/?" + urlencode({"q": query}))
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise RuntimeError(f"/search/?q={query} answered {response.status_code}")
        return elapsed

    def function(query: str) -> tuple[float, int]:
        started = time.perf_counter()
        outcome = search_articles(query=query)
        return (time.perf_counter() - started) * 1000, outcome.page.paginator.count

    def report(what: str, since: float) -> None:
        print(f"   {what}: {time.monotonic() - since:.0f} s", file=sys.stderr, flush=True)

    started = time.monotonic()
    for query in WARMUP_QUERIES:
        view(query)
    first_seen = [view(q) for q in queries]
    report("warm-up and first pass", started)
    steady_view: list[list[float]] = [[] for _ in queries]
    steady_function: list[list[float]] = [[] for _ in queries]
    results = [0] * len(queries)
    for number in range(1, repeat + 1):
        started = time.monotonic()
        for i, query in enumerate(queries):
            elapsed, results[i] = function(query)
            steady_function[i].append(elapsed)
            steady_view[i].append(view(query))
        report(f"steady pass {number} of {repeat}", started)
    return {
        "first_seen": first_seen,
        "view": steady_view,
        "function": steady_function,
        "results": results,
    }


# --- the parent ---------------------------------------------------------------


def measure(db: CorpusDb, repeat: int, every: int) -> SearchFigures:
    count = len(all_queries(every))
    print(f"== search on {db.label}: {count} queries, warm-up, first pass, {repeat} steady passes")
    script = ROOT / "bench" / "search.py"
    child_cmd = [PYTHON, script, "--child", "--repeat", str(repeat), "--every", str(every)]
    raw = json.loads(run(child_cmd, env=django_env(db.url), live_stderr=True))
    queries = all_queries(every)
    steady_view = [ms for per_query in raw["view"] for ms in per_query]
    steady_function = [ms for per_query in raw["function"] for ms in per_query]
    by_category: dict[str, list[float]] = {}
    for (category, _query), times in zip(queries, raw["view"], strict=True):
        by_category.setdefault(category, []).extend(times)
    medians = [median(times) for times in raw["view"]]
    order = sorted(range(len(queries)), key=lambda i: -medians[i])
    return SearchFigures(
        db=db.label,
        vendor=db.vendor,
        size=db.size,
        timings=[
            Timing.of("view, steady", steady_view),
            Timing.of("function, steady", steady_function),
            Timing.of("view, first seen", raw["first_seen"]),
        ],
        by_category={c: percentile(times, 95) for c, times in by_category.items()},
        queries=len(queries),
        without_results=sum(1 for n in raw["results"] if n == 0),
        slowest=[(queries[i][1], medians[i], raw["results"][i]) for i in order[:10]],
    )


def timing_table(figures: list[SearchFigures]) -> str:
    rows = [
        (f.vendor, f"{f.size:,}", t.what, t.samples, *_ms(t.p50, t.p95, t.p99, t.max))
        for f in figures
        for t in f.timings
    ]
    return table(("database", "articles", "timing", "n", "p50 ms", "p95 ms", "p99 ms", "max"), rows)


def category_table(figures: list[SearchFigures]) -> str:
    categories = list(QUERIES)
    rows = [
        (f.vendor, f"{f.size:,}", f.queries, *(_p95(f.by_category.get(c)) for c in categories))
        for f in figures
    ]
    headers = ("database", "articles", "queries", *categories)
    return table(headers, rows)


def slowest_table(f: SearchFigures) -> str:
    rows = [(query, f"{ms:.1f}", results) for query, ms, results in f.slowest]
    return table(("query", "median ms", "results"), rows)


def target_lines(figures: list[SearchFigures]) -> list[str]:
    lines = []
    for f in figures:
        if f.vendor != "postgresql":
            continue
        view = f.timings[0]
        text = f"search view p95 on PostgreSQL {f.size:,}: {view.p95:.1f} ms"
        if f.size == TARGET_SIZE:
            verdict = "met   " if view.p95 <= TARGET_MS else "MISSED"
            lines.append(f"{verdict} {text} (target ≤ {TARGET_MS:.0f} ms)")
        else:
            lines.append(f"info   {text} (the target applies at {TARGET_SIZE:,})")
    if not any(f.vendor == "postgresql" and f.size == TARGET_SIZE for f in figures):
        lines.append(f"not measured: search on PostgreSQL at {TARGET_SIZE:,} articles")
    return lines


def _p95(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def _ms(*values: float) -> tuple[str, ...]:
    return tuple(f"{v:.1f}" for v in values)


def save(figures: list[SearchFigures], machine: str) -> None:
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    data = {"machine": machine, "search": [asdict(f) for f in figures]}
    RESULTS.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def main() -> int:
    args = parse_args()
    if args.child:
        print(json.dumps(child(args.repeat, args.every)))
        return 0
    check_virtualenv()
    if "postgresql" in args.vendors:
        ensure_postgres_server()
    machine = machine_summary(with_postgres="postgresql" in args.vendors)
    print(f"== {machine}")
    collectstatic()  # the pages' templates name their files through the manifest
    print(
        f"== {len(all_queries())} queries: "
        + ", ".join(f"{len(v)} {k}" for k, v in QUERIES.items())
    )
    figures = []
    for size in args.sizes:
        for vendor in args.vendors:
            db = prepare_corpus(size, vendor, reuse=args.reuse)
            try:
                if vendor == "postgresql":
                    figures.append(measure(db, args.repeat, every=1))
                else:
                    figures.append(measure(db, args.sqlite_repeat, every=args.sqlite_every))
            finally:
                drop_working_copies([db])
    print(f"\n== Search latency ({machine})\n")
    print(timing_table(figures))
    print("\nSteady view p95 (ms) by kind of query:\n")
    print(category_table(figures))
    for f in figures:
        nothing = f"{f.without_results} of {f.queries} found nothing"
        print(f"\nSlowest queries on {f.db} ({nothing}):\n")
        print(slowest_table(f))
    print("\nTargets:")
    print("\n".join(f"  {line}" for line in target_lines(figures)))
    save(figures, machine)
    print(f"\nFigures saved to {RESULTS}")
    return 0


if __name__ == "__main__":
    script_main(main)
