#!/usr/bin/env python3
"""The inbox end to end: many items from many sources, fetched, parsed, stored, grouped, linked.

    .venv/bin/python bench/ingest.py [--quick] [--database sqlite,postgres]
        [--mode inprocess,worker] [--items 1000] [--sources 20] [--shared 100]
        [--no-suggest] [--json FILE]

For each database (a SQLite file; a database on the PostgreSQL server
``TEST_POSTGRES_URL`` names, or a throwaway one from ``scripts/with-postgres``)
and each mode, a fresh migrated database gets the seed catalog, and a child
process (``bench/ingest_run.py``) writes 1,000 items over 20 sources (5 each of
RSS, Atom, JSON Feed and ninjs; synthetic Russian stories from ``bench/corpus``
naming the catalog's entities; 100 stories told by 3 sources each, retold),
serves them from a real HTTP server on 127.0.0.1, adds the sources, and ingests:

- ``inprocess``: the worker's job functions called in that process, each poll
  (linking its items), then the suggestions; every stage timed;
- ``worker``: the 20 polls queued and a real ``manage.py qcluster`` started
  (``WORKER_PROCESSES`` 2) that runs them (each poll links its items) and the
  suggestion jobs they queue; the jobs' own start and stop times give where the
  time went.

Then the 20 sources are polled again, unchanged (the server answers 304 to the
validators sent back). Targets (issue 18): at least 50 items/s from the first
request to the last item linked; the second poll of 20 sources under 1 s; and
what was stored is checked (every item once, every shared story in one group,
no group mixing stories, items linked to the catalog). Suggestions (natasha's
NER, queued after the linking) are timed apart: ``ingest --once`` leaves them to
the worker, and the items are in the inbox, linked, before they run.

``--quick``: SQLite and PostgreSQL in-process only, without suggestions.
The figures are also written as JSON to ``var/bench/results/ingest.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

if __name__ == "__main__":
    # Run as a script, bench/ heads sys.path: import from the project root instead.
    sys.path[0] = str(Path(__file__).resolve().parent.parent)

from bench.common import (
    BENCH_DIR,
    PYTHON,
    ROOT,
    BenchError,
    django_env,
    ensure_postgres_server,
    machine_summary,
    manage,
    postgres_url,
    psql,
    recreate_database,
    script_main,
    table,
)

DATABASES = ("sqlite", "postgres")
MODES = ("inprocess", "worker")
RESULTS = BENCH_DIR / "results" / "ingest.json"
TARGET_ITEMS_PER_SECOND = 50.0
TARGET_SECOND_POLL_SECONDS = 1.0
CHILD_MARK = "INGEST-FIGURES "


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="In-process only, no suggestions.")
    parser.add_argument("--database", default="sqlite,postgres", help="sqlite and/or postgres.")
    parser.add_argument("--mode", default="inprocess,worker", help="inprocess and/or worker.")
    parser.add_argument("--items", type=int, default=1000, help="Items in all (default 1000).")
    parser.add_argument("--sources", type=int, default=20, help="Sources (default 20).")
    parser.add_argument(
        "--shared", type=int, default=100, help="Stories told by 3 sources (default 100)."
    )
    parser.add_argument("--no-suggest", action="store_true", help="Do not wait for suggestions.")
    parser.add_argument("--seed", type=int, default=1, help="Corpus seed (default 1).")
    parser.add_argument("--timeout", type=float, default=900, help="Seconds a worker run may take.")
    parser.add_argument("--json", type=Path, default=RESULTS, help=f"Default {RESULTS}.")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="Profile each run (cProfile): the top functions printed, the whole profile "
        "saved beside the JSON.",
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)  # the child's options, as JSON
    args = parser.parse_args()
    args.databases = [d.strip() for d in args.database.split(",") if d.strip()]
    args.modes = ["inprocess"] if args.quick else [m.strip() for m in args.mode.split(",")]
    if not args.databases or any(d not in DATABASES for d in args.databases):
        raise BenchError(f"--database takes sqlite and/or postgres, got {args.database!r}")
    if not args.modes or any(m not in MODES for m in args.modes):
        raise BenchError(f"--mode takes inprocess and/or worker, got {args.mode!r}")
    if args.items < args.sources or args.shared * 3 > args.items:
        raise BenchError("--items must be at least --sources and at least 3 × --shared")
    args.suggest = not (args.quick or args.no_suggest)
    return args


def profiled(function, options: dict) -> dict:
    """``function(options)`` under cProfile; the top of the profile printed to stderr."""
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    figures = profiler.runcall(function, options)
    Path(options["profile"]).parent.mkdir(parents=True, exist_ok=True)
    profiler.dump_stats(options["profile"])
    stats = pstats.Stats(profiler, stream=sys.stderr)
    stats.sort_stats("cumulative").print_stats(40)
    return figures


def run_child(options: dict, env: dict[str, str]) -> dict:
    """One database, one mode: the child's figures."""
    result = subprocess.run(
        [str(PYTHON), __file__, "--child", json.dumps(options)],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
    )
    lines = [line for line in result.stdout.splitlines() if line.startswith(CHILD_MARK)]
    if options["profile"]:
        print(result.stderr[-12000:], file=sys.stderr)
    if result.returncode != 0 or not lines:
        raise BenchError(f"the {options['mode']} run failed:\n{result.stdout}{result.stderr}")
    return json.loads(lines[-1].removeprefix(CHILD_MARK))


def bench_one(database: str, mode: str, args: argparse.Namespace, scratch: Path) -> dict:
    if database == "sqlite":
        url = f"sqlite:///{scratch / f'ingest-{mode}.sqlite3'}"
    else:
        recreate_database(name := f"bench_ingest_{mode}")
        url = postgres_url(name)
    try:
        env = django_env(url)
        # Private addresses allowed: the feeds are served on 127.0.0.1.
        env.update(INBOX_ALLOW_PRIVATE_ADDRESSES="1", WORKER_PROCESSES="2")
        manage("migrate", "--noinput", "--verbosity", "0", env=env)
        options = {
            "mode": mode,
            "items": args.items,
            "sources": args.sources,
            "shared": args.shared,
            "seed": args.seed,
            "suggest": args.suggest,
            "timeout": args.timeout,
            "profile": str(args.json.with_name(f"ingest-{database}-{mode}.prof"))
            if args.profile
            else "",
        }
        figures = run_child(options, env)
    finally:
        if database == "postgres":
            psql(f'DROP DATABASE IF EXISTS "bench_ingest_{mode}" WITH (FORCE)')
    return {"database": database, **figures}


def rate(run: dict) -> float:
    """Items per second from the first request to the last item linked."""
    return run["stored"]["items"] / run["seconds_to_linked"]


def stage_cells(run: dict) -> list[str]:
    if run["mode"] == "inprocess":
        stages = run["stages"]
        return [f"{stages[name]:.2f}" for name in ("fetch", "parse", "store", "link", "suggest")]
    done = run["jobs_done_at"]
    # The polls link their items: polled and linked end together. Suggestions not
    # waited for (--no-suggest) may not have ended at all.
    suggested = f"by {done['suggest_items']:.1f}" if "suggest_items" in done else "–"
    return ["", "", f"polled by {done.get('poll_source', 0.0):.1f}", "in the polls",
            suggested]  # fmt: skip


HEADERS = [
    "database", "mode", "items", "to linked s", "items/s", "items/CPU-s", "all done s",
    "fetch s", "parse s", "store s", "link s", "suggest s", "2nd poll s", "2nd poll",
]  # fmt: skip


def cells(run: dict) -> list[str]:
    second = run["second_poll"]
    outcomes = ", ".join(f"{n} {k}" for k, n in sorted(second["outcomes"].items()))
    return [
        run["database"],
        run["mode"],
        f"{run['stored']['items']:,}",
        f"{run['seconds_to_linked']:.1f}",
        f"{rate(run):.0f}",
        f"{run['stored']['items'] / cpu:.0f}" if (cpu := run["cpu_seconds_to_linked"]) else "–",
        f"{run['seconds_to_all_done']:.1f}",
        *stage_cells(run),
        f"{second['seconds']:.2f}",
        outcomes,
    ]


def target_lines(runs: list[dict], *, items: int, sources: int) -> list[str]:
    """One «met» or «MISSED» line per target and run."""
    lines = []
    for run in runs:
        where = f"{run['database']}, {run['mode']}"
        stored, second = run["stored"], run["second_poll"]
        checks = [
            (rate(run) >= TARGET_ITEMS_PER_SECOND,
             f"{rate(run):.0f} items/s end to end (≥ {TARGET_ITEMS_PER_SECOND:.0f})"),
            (second["seconds"] < TARGET_SECOND_POLL_SECONDS
             and second["outcomes"] == {"not_modified": sources},
             f"second poll of {sources} unchanged sources: {second['seconds']:.2f} s, "
             f"{second['outcomes']} (all 304, < {TARGET_SECOND_POLL_SECONDS:.0f} s)"),
            (stored["items"] == items, f"{stored['items']} items stored (each once: {items})"),
            (stored["items_with_entities"] > 0,
             f"{stored['items_with_entities']} items linked to the catalog "
             f"({stored['entity_links']} entity links)"),
        ]  # fmt: skip
        lines += [f"{'met   ' if met else 'MISSED'} {where}: {text}" for met, text in checks]
        lines.append(
            f"info   {where}: {stored['shared_stories_grouped']} of {stored['shared_stories']} "
            f"shared stories whole in one group; {stored['groups_mixing_stories']} of "
            f"{stored['groups']} groups also hold another story (see bench/README.md)"
        )
    return lines


def main() -> int:
    args = parse_args()
    if args.child:
        from bench import ingest_run

        options = json.loads(args.child)
        if options["profile"]:
            figures = profiled(ingest_run.main, options)
        else:
            figures = ingest_run.main(options)
        print(CHILD_MARK + json.dumps(figures, default=str), flush=True)
        return 0
    if "postgres" in args.databases:
        ensure_postgres_server()
    machine = machine_summary(with_postgres="postgres" in args.databases)
    print(f"== {machine}")
    runs = []
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as scratch:
        for database in args.databases:
            for mode in args.modes:
                print(f"== {database}, {mode}: {args.items:,} items, {args.sources} sources",
                      flush=True)  # fmt: skip
                runs.append(bench_one(database, mode, args, Path(scratch)))
                print(table(HEADERS, [cells(runs[-1])]), flush=True)
    print(f"\n== the inbox end to end ({machine})\n")
    print(table(HEADERS, [cells(run) for run in runs]))
    print(
        "\nto linked: from the first request to the last item linked (the target's time); "
        "items/CPU-s: per second of the child's own CPU time (less disturbed by other "
        "processes; inprocess only); "
        "all done: suggestions too. inprocess: stage times inside the job functions; "
        "worker: when the last job of each kind ended, in seconds after the polls were "
        "queued (each poll links its own items; the suggestions are jobs queued behind "
        "the polls). 2nd poll: the 20 sources again, unchanged.\n"
    )
    lines = target_lines(runs, items=args.items, sources=args.sources)
    print("\n".join(lines))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    data = {"machine": machine, "targets": lines, "runs": runs}
    args.json.write_text(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")
    print(f"\nFigures saved to {args.json}")
    return 1 if any(line.startswith("MISSED") for line in lines) else 0


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    script_main(main)
