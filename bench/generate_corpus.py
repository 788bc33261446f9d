#!/usr/bin/env python3
"""Write a synthetic corpus of articles into a database, for the benchmarks.

    .venv/bin/python bench/generate_corpus.py --articles 100000 --seed 1

The database is the one the settings name (``DATABASE_URL``; settings module
``DJANGO_SETTINGS_MODULE``, default ``portal.settings``), migrated beforehand.
The articles have source keys ``synthetic-…``, the tag «Синтетика», entity links
and tags, written in bulk; the same seed gives the same articles (see
``bench/corpus/``). For load tests; never on a production database.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

if __name__ == "__main__":
    # Run as a script, bench/ heads sys.path: import from the project root instead.
    sys.path[0] = str(Path(__file__).resolve().parent.parent)


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bench/generate_corpus.py",
        description=(
            "Create N synthetic articles (source key 'synthetic-…', tag «Синтетика») with "
            "entity links and tags, written in bulk. For load tests; never on a production "
            "database."
        ),
    )
    parser.add_argument(
        "--articles", type=int, default=1000, help="How many articles (default 1000)."
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=1,
        help="Random seed: the same seed gives the same articles (default 1).",
    )
    parser.add_argument(
        "--years",
        type=int,
        default=4,
        help="Spread the dates over this many years up to today (default 4).",
    )
    parser.add_argument(
        "--until",
        type=dt.date.fromisoformat,
        default=None,
        help="The day the dates run up to, YYYY-MM-DD (default today); "
        "about 1%% of the articles are scheduled after it.",
    )
    parser.add_argument(
        "--entities",
        type=int,
        default=200,
        help="Test entities to add to the catalog first («Тестовый завод 7», "
        "«Testmark 3 Alpha»; default 200, 0 for the real catalog only).",
    )
    parser.add_argument(
        "--clear",
        action="store_true",
        help="Delete the synthetic articles and test entities first.",
    )
    parser.add_argument(
        "--batch-size",
        type=int,
        default=2000,
        help="Articles written per transaction (default 2000).",
    )
    parser.add_argument(
        "-v",
        "--verbosity",
        type=int,
        choices=[0, 1, 2, 3],
        default=1,
        help="0: the summary line only; 1 and more: progress too (default 1).",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    options = vars(parser().parse_args(argv))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django
    from django.apps import apps

    if not apps.ready:  # already set up when called from the tests
        django.setup()
    from bench.corpus import CorpusError, build_corpus

    try:
        build_corpus(**options)
    except CorpusError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
