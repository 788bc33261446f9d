#!/usr/bin/env python3
"""Alerts and digests at scale: 100,000 readers, their digests built, rendered and sent.

    .venv/bin/python bench/digests.py [--readers 100000] [--entities 200] [--articles 300]
        [--sample 2000] [--rate 50] [--reuse] [--quick] [--no-trace] [--json FILE]

SQLite by default: the synthetic database is built once (``bench/digests_data.py``:
readers following 1–9 of the entities, 5 on average, popular ones more; articles
each naming 1–3 of them) and cached in ``var/bench/digests-….sqlite3``; each run
works on a migrated copy. With ``DATABASE_URL`` set (PostgreSQL), that database
is filled instead (a scratch database: one with readers of its own is refused) and
kept for ``--reuse``.

The run, in a fresh child process: the articles dated into yesterday (in every
reader's zone), then ``build_due(any_hour=True)`` (what ``send_digests --now``
builds) timed, with the growth of the process's peak resident memory (ru_maxrss),
and again under tracemalloc, the heap in use noted after every batch of records
(constant memory: the same after the first tenth of the readers as at the end);
then ``--sample`` digests rendered in batches (``render_many``) and sent
(``compose``, one SMTP connection) to an aiosmtpd server on 127.0.0.1, paced at
``--rate`` messages a second: the achieved rate against the configured one.
Targets (issue 19): building ≤ 60 s at 100,000 readers, memory constant, the
configured rate reached (≥ 90 %) with every message received.
``--quick``: 10,000 readers, 500 sent.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
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
    free_port,
    machine_summary,
    manage,
    script_main,
    table,
)

RESULTS = BENCH_DIR / "results" / "digests.json"
CHILD_MARK = "DIGESTS-FIGURES "
TARGET_BUILD_SECONDS = 60.0
# The heap may grow this much between the first tenth of the readers and the end.
CONSTANT_MEMORY_SLACK_MB = 16.0
TARGET_RATE_SHARE = 0.9


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--readers", type=int, default=100_000, help="Default 100000.")
    parser.add_argument("--entities", type=int, default=200, help="Default 200.")
    parser.add_argument("--articles", type=int, default=300, help="Yesterday's; default 300.")
    parser.add_argument("--sample", type=int, default=2000, help="Rendered and sent (2000).")
    # 50 a second: the order of a mail provider's sending limit (SES starts accounts at 14).
    parser.add_argument("--rate", type=float, default=50.0, help="Messages/s sent (50).")
    parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
    parser.add_argument("--reuse", action="store_true", help="Use the cached database if fresh.")
    parser.add_argument("--quick", action="store_true", help="10,000 readers, 500 sent.")
    parser.add_argument("--no-trace", action="store_true", help="Skip the tracemalloc build.")
    parser.add_argument("--cache-dir", type=Path, default=BENCH_DIR, help=f"Default {BENCH_DIR}.")
    parser.add_argument("--json", type=Path, default=RESULTS, help=f"Default {RESULTS}.")
    parser.add_argument("--child", help=argparse.SUPPRESS)  # mode and options, as JSON
    args = parser.parse_args()
    if args.quick:
        args.readers, args.sample = min(args.readers, 10_000), min(args.sample, 500)
    if min(args.readers, args.entities, args.articles, args.sample) < 1 or args.entities < 10:
        raise BenchError("--readers, --articles and --sample must be positive, --entities ≥ 10")
    if args.rate <= 0:
        raise BenchError(f"--rate must be positive, got {args.rate}")
    return args


def child(mode: str, options: dict, database_url: str) -> dict:
    """Run ``mode`` in a fresh process: fill (``bench/digests_data.py``) or run
    (``bench/digests_run.py``); its figures."""
    result = subprocess.run(
        [str(PYTHON), __file__, "--child", json.dumps({"mode": mode, **options})],
        cwd=ROOT,
        env=django_env(database_url),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
    )
    lines = [line for line in result.stdout.splitlines() if line.startswith(CHILD_MARK)]
    if result.returncode != 0 or not lines:
        raise BenchError(f"the {mode} step failed:\n{result.stdout}{result.stderr}")
    return json.loads(lines[-1].removeprefix(CHILD_MARK))


def fingerprint(options: dict) -> str:
    data = (ROOT / "bench" / "digests_data.py").read_bytes()
    sizes = json.dumps({k: options[k] for k in ("readers", "entities", "articles", "seed")})
    return hashlib.sha256(data + sizes.encode()).hexdigest()[:16]


def sqlite_database(options: dict, *, cache_dir: Path, reuse: bool) -> str:
    """A migrated working copy of the cached SQLite database, built if need be."""
    name = f"digests-{options['readers']}r-{options['entities']}e-{options['articles']}a"
    cached, note = cache_dir / f"{name}.sqlite3", cache_dir / f"{name}.json"
    wanted = fingerprint(options)
    fresh = reuse and cached.exists() and note.exists()
    if not (fresh and json.loads(note.read_text()).get("fingerprint") == wanted):
        cache_dir.mkdir(parents=True, exist_ok=True)
        cached.unlink(missing_ok=True)
        print(f"== building {cached.name} ({options['readers']:,} readers)", flush=True)
        manage("migrate", "--noinput", "--verbosity", "0", env=django_env(f"sqlite:///{cached}"))
        filled = child("fill", options, f"sqlite:///{cached}")
        note.write_text(json.dumps({"fingerprint": wanted, **filled}, indent=2) + "\n")
    copy = cache_dir / "run" / f"{name}.sqlite3"
    copy.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(cached, copy)
    url = f"sqlite:///{copy}"
    manage("migrate", "--noinput", "--verbosity", "0", env=django_env(url))
    return url


def postgres_database(url: str, options: dict, *, reuse: bool) -> str:
    manage("migrate", "--noinput", "--verbosity", "0", env=django_env(url))
    child("fill", {**options, "reuse": reuse, "fingerprint": fingerprint(options)}, url)
    return url


def target_lines(figures: dict, *, readers: int) -> list[str]:
    build, send, traced = figures["build"], figures["send"], figures["traced"]
    checks = [
        (build["seconds"] <= TARGET_BUILD_SECONDS * readers / 100_000,
         f"building {figures['digests']:,} digests for {figures['readers']:,} readers: "
         f"{build['seconds']:.1f} s (≤ {TARGET_BUILD_SECONDS * readers / 100_000:.1f} s)"),
        (send["achieved_rate"] >= TARGET_RATE_SHARE * send["configured_rate"]
         and send["received"] == send["messages"],
         f"sending {send['messages']:,}: {send['achieved_rate']:.1f} messages/s of "
         f"{send['configured_rate']:.0f} configured, {send['received']:,} received "
         f"(unpaced the sender would manage {send.get('capacity_rate', 0):.0f}/s)"),
    ]  # fmt: skip
    if traced:
        tenth, end = traced["in_use_mb_after_first_tenth"], traced["in_use_mb_at_end"]
        checks.append((end - tenth <= CONSTANT_MEMORY_SLACK_MB,
                       f"heap in use after the first tenth of the readers {tenth} MB, at the "
                       f"end {end} MB, peak {traced['peak_mb']} MB (growth ≤ "
                       f"{CONSTANT_MEMORY_SLACK_MB:.0f} MB)"))  # fmt: skip
    return [f"{'met   ' if met else 'MISSED'} {text}" for met, text in checks]


HEADERS = ["database", "readers", "subscriptions", "digests", "articles/digest", "build s",
           "build CPU s", "max RSS +MB", "render ms/msg", "sent/s (set)"]  # fmt: skip


def cells(figures: dict) -> list[str]:
    build, send = figures["build"], figures["send"]
    per = figures["articles_per_digest"]
    return [
        figures["database"],
        f"{figures['readers']:,}",
        f"{figures['subscriptions']:,}",
        f"{figures['digests']:,}",
        f"{per['mean']} (max {per['max']})",
        f"{build['seconds']:.1f}",
        f"{build['cpu_seconds']:.1f}",
        f"{build['max_rss_mb_after'] - build['max_rss_mb_before']:.0f}",
        f"{figures['render']['ms_per_message']:.2f}",
        f"{send['achieved_rate']:.0f} ({send['configured_rate']:.0f})",
    ]


def run_child_mode(raw: str) -> int:
    import django

    django.setup()
    from bench import digests_data, digests_run

    options = json.loads(raw)
    mode = options.pop("mode")
    figures = digests_data.fill(options) if mode == "fill" else digests_run.run(options)
    print(CHILD_MARK + json.dumps(figures, default=str), flush=True)
    return 0


def main() -> int:
    args = parse_args()
    if args.child:
        return run_child_mode(args.child)
    postgres_url = os.environ.get("DATABASE_URL", "")
    options = {
        "readers": args.readers, "entities": args.entities, "articles": args.articles,
        "seed": args.seed, "sample": args.sample, "rate": args.rate, "trace": not args.no_trace,
    }  # fmt: skip
    machine = machine_summary(with_postgres=bool(postgres_url))
    print(f"== {machine}", flush=True)
    if postgres_url:
        url = postgres_database(postgres_url, options, reuse=args.reuse)
    else:
        url = sqlite_database(options, cache_dir=args.cache_dir, reuse=args.reuse)
    figures = child("run", {**options, "port": free_port()}, url)
    print(f"\n== alerts and digests ({machine})\n")
    print(table(HEADERS, [cells(figures)]))
    print(
        "\nbuild: build_due(any_hour=True), every reader's digest of yesterday; max RSS +MB: "
        "growth of the child's peak resident memory (ru_maxrss) during it; render: "
        f"render_many over {args.sample:,} digests in batches of 500; sent: the portal's "
        "sending rounds to aiosmtpd on 127.0.0.1 at FOLLOWING_SEND_RATE = the set rate.\n"
    )
    lines = target_lines(figures, readers=args.readers)
    print("\n".join(lines))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    data = {"machine": machine, "targets": lines, "figures": figures}
    args.json.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    print(f"\nFigures saved to {args.json}")
    return 1 if any(line.startswith("MISSED") for line in lines) else 0


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    script_main(main)
