#!/usr/bin/env python3
"""How fast ``manage.py load_seed`` loads, and how much memory it needs, by batch size.

    .venv/bin/python bench/load_seed.py [--docs 1000,5000,10000] [--database sqlite,postgres]
        [--json FILE]

For each size it writes that many seed documents (synthetic, from the corpus
generator in ``bench/corpus/``, each headline numbered so that slugs do
not collide) into a temporary folder, migrates a fresh database (a SQLite file
in the folder; a new PostgreSQL database on the server ``TEST_POSTGRES_URL``
names, or a throwaway one from ``scripts/with-postgres``), and runs
``load_seed`` on it in a production-like child process (DEBUG off, a throwaway
SECRET_KEY). Measured per run:

- wall time of the whole command, and documents per second over the whole run
  and without the start-up (the time of the same command loading no
  documents: Django, the dictionaries, the catalog), in wall time and in the
  child's CPU time (steadier when other processes share the machine);
- the child's peak resident memory (``ru_maxrss`` from ``wait4``), and how far
  it rose above the run with no documents: it should stay flat as the batch grows;
- a second, unchanged load of the same files (idempotency: nothing to write).

The figures are also written as JSON to ``var/bench/results/load-seed.json`` (``--json``).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
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
    BenchError,
    django_env,
    ensure_postgres_server,
    machine_summary,
    manage,
    parse_sizes,
    postgres_url,
    psql,
    recreate_database,
    script_main,
    table,
)

DATABASES = ("sqlite", "postgres")
RESULTS = BENCH_DIR / "results" / "load-seed.json"
# Issue 17: documents per second at TARGET_DOCS documents, linking included.
TARGET_DOCS = 10_000
TARGETS = {"postgres": 300, "sqlite": 500}


@dataclass(frozen=True)
class Run:
    seconds: float
    cpu_seconds: float  # user + system time of the child itself
    peak_mb: float
    summary: str  # load_seed's last line


@dataclass(frozen=True)
class Row:
    database: str
    docs: int
    first: Run
    again: Run
    empty: Run

    def figures(self) -> dict:
        """The runs as measured, with the rates the table shows (None where undefined)."""
        loading = self.first.seconds - self.empty.seconds
        cpu = self.first.cpu_seconds - self.empty.cpu_seconds
        return {
            **asdict(self),
            "docs_per_second": self.docs / self.first.seconds,
            "docs_per_second_without_start_up": self.docs / loading if loading > 0 else None,
            "docs_per_cpu_second_without_start_up": self.docs / cpu if cpu > 0 else None,
            "peak_mb_above_empty_run": self.first.peak_mb - self.empty.peak_mb,
        }

    def cells(self) -> list[str]:
        loading = self.first.seconds - self.empty.seconds
        cpu = self.first.cpu_seconds - self.empty.cpu_seconds
        return [
            self.database,
            f"{self.docs:,}",
            f"{self.first.seconds:.1f}",
            f"{self.docs / self.first.seconds:,.0f}",
            f"{self.docs / loading:,.0f}" if loading > 0 else "–",
            f"{self.docs / cpu:,.0f}" if cpu > 0 else "–",
            f"{self.first.peak_mb:.0f}",
            f"{self.first.peak_mb - self.empty.peak_mb:+.0f}",
            f"{self.again.seconds:.1f}",
            self.first.summary,
        ]


HEADERS = [
    "database",
    "docs",
    "load s",
    "docs/s",
    "docs/s w/o start-up",
    "docs/CPU-s w/o start-up",
    "peak RSS MB",
    "vs no docs",
    "reload s",
    "load_seed says",
]


def verdicts(rows: list[Row]) -> list[str]:
    """Met or missed, for each run at ``TARGET_DOCS`` documents (the whole command, wall time)."""
    lines = []
    for row in rows:
        if row.docs != TARGET_DOCS:
            continue
        rate, target = row.docs / row.first.seconds, TARGETS[row.database]
        verdict = "met" if rate >= target else "MISSED"
        lines.append(
            f"target {row.database} >= {target} docs/s at {TARGET_DOCS:,}: "
            f"{verdict} ({rate:,.0f}/s; peak RSS {row.first.peak_mb - row.empty.peak_mb:+.0f} MB "
            "above the empty run)"
        )
    return lines


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--docs",
        default="1000,5000,10000",
        help="Numbers of documents, comma-separated (default 1000,5000,10000).",
    )
    parser.add_argument(
        "--database",
        default="sqlite,postgres",
        help="sqlite, postgres or both, comma-separated (default both).",
    )
    parser.add_argument("--seed", type=int, default=1, help="Corpus seed (default 1).")
    parser.add_argument(
        "--json", type=Path, default=RESULTS, help=f"Write the figures here (default {RESULTS})."
    )
    parser.add_argument(
        "--project",
        type=Path,
        default=ROOT,
        help="Run load_seed from this copy of the project (say, an older version unpacked "
        "with git archive) to compare; the documents still come from this one.",
    )
    # Internal: the child that writes the documents (it needs Django and the catalog).
    parser.add_argument("--write-documents", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.sizes = parse_sizes(args.docs)
    args.databases = [d.strip() for d in args.database.split(",") if d.strip()]
    if not args.databases or any(d not in DATABASES for d in args.databases):
        raise BenchError(f"--database takes sqlite and/or postgres, got {args.database!r}")
    return args


def write_documents(folder: Path, count: int, seed: int) -> None:
    """In a child process with Django set up: ``count`` seed files into ``folder``."""
    import django

    django.setup()
    from articles.seeding import DEFAULT_CATALOG, load_catalog
    from bench import corpus

    load_catalog(DEFAULT_CATALOG)
    folder.mkdir(parents=True, exist_ok=True)
    for synthetic in corpus.documents(count=count, seed=seed):
        # Headlines of real news rarely repeat; numbered, none takes another's slug.
        title = f"{synthetic.title} ({synthetic.index})"
        text = synthetic.seed_document().replace(synthetic.title, title, 1)
        (folder / f"{synthetic.index:06d}.txt").write_text(text, encoding="utf-8")


def measure(args: list[str], env: dict[str, str], project: Path) -> Run:
    """Run ``manage.py`` with ``args``; its wall and CPU time and its own peak memory."""
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        process = subprocess.Popen(
            [str(PYTHON), "manage.py", *args], cwd=project, env=env, stdout=out, stderr=err
        )
        # wait4 gives this child's own rusage (RUSAGE_CHILDREN would be the
        # high-water mark of every child so far).
        _pid, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        cpu_seconds = usage.ru_utime + usage.ru_stime
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        output, errors = out.read(), err.read()
    if process.returncode != 0:
        raise BenchError(f"manage.py {' '.join(args)} failed:\n{output}{errors}")
    lines = output.strip().splitlines()
    return Run(seconds, cpu_seconds, usage.ru_maxrss / 1024, lines[-1] if lines else "")


def database_url(database: str, folder: Path, size: int) -> str:
    if database == "sqlite":
        return f"sqlite:///{folder / 'bench.sqlite3'}"
    name = f"bench_load_seed_{size}"
    recreate_database(name)
    return postgres_url(name)


def drop(database: str, url: str) -> None:
    if database == "postgres":
        name = url.rsplit("/", 1)[1]
        psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def bench(database: str, size: int, seed: int, scratch: Path, project: Path) -> Row:
    folder = scratch / f"{database}-{size}"
    documents = folder / "documents"
    empty = folder / "empty"
    empty.mkdir(parents=True)
    writer_env = django_env(f"sqlite:///{folder / 'writer.sqlite3'}")
    manage("migrate", "--noinput", "--verbosity", "0", env=writer_env)
    subprocess.run(
        [str(PYTHON), __file__, "--write-documents", str(documents), "--docs", str(size),
         "--seed", str(seed)],
        cwd=ROOT, env=writer_env, check=True,
    )  # fmt: skip
    url = database_url(database, folder, size)
    try:
        env = django_env(url)
        migrate = [str(PYTHON), "manage.py", "migrate", "--noinput", "--verbosity", "0"]
        subprocess.run(migrate, cwd=project, env=env, check=True)
        # Start-up alone: Django, the morphology dictionaries, the catalog, the matcher.
        no_docs = measure(["load_seed", str(empty)], env, project)
        first = measure(["load_seed", str(documents)], env, project)
        again = measure(["load_seed", str(documents)], env, project)
    finally:
        drop(database, url)
    expected = f"Created {size}, updated 0, unchanged 0, skipped 0"
    if first.summary != expected:
        raise BenchError(f"load_seed said {first.summary!r}, expected {expected!r}")
    return Row(database, size, first, again, no_docs)


def main() -> int:
    args = parse_args()
    if args.write_documents:
        write_documents(args.write_documents, args.sizes[0], args.seed)
        return 0
    if "postgres" in args.databases:
        ensure_postgres_server()
    machine = machine_summary(with_postgres="postgres" in args.databases)
    print(f"== {machine}")
    if args.project.resolve() != ROOT:
        print(f"== load_seed from {args.project}")
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-load-seed-") as scratch:
        for database in args.databases:
            for size in args.sizes:
                print(f"== {database}: {size:,} documents", flush=True)
                rows.append(bench(database, size, args.seed, Path(scratch), args.project))
                print(table(HEADERS, [rows[-1].cells()]), flush=True)
    print(f"\n== load_seed ({machine})\n")
    print(table(HEADERS, [row.cells() for row in rows]))
    print(
        "\nload s: the whole command (start-up included); w/o start-up: less the same command "
        "on an empty folder; CPU-s: the child's user + system time, which other processes on "
        "the machine disturb less than wall time; peak RSS: the child's high-water mark, vs no "
        "docs: above that empty run; reload s: the same files again (all unchanged)."
    )
    for line in verdicts(rows):
        print(line)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    data = {"machine": machine, "runs": [row.figures() for row in rows]}
    args.json.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    print(f"\nFigures saved to {args.json}")
    return 0


if __name__ == "__main__":
    script_main(main)
