"""``make eval-linking``: measure the linker and the suggester on the annotated corpus.

    .venv/bin/python evaluation/run.py [--json FILE] [--corpus FOLDER]

Creates a throwaway SQLite database in a temporary folder (whatever
``DATABASE_URL`` says), migrates it, loads ``seeds/catalog.json`` and
``evaluation/catalog.json``, links and scans every text of ``evaluation/corpus/``
and prints precision and recall per mention, per class and per position, the
suggestions' figures and every error. It measures, so it exits 0 whatever the
figures; ``--json FILE`` also writes them as JSON, and ``--corpus FOLDER`` scores
the texts of another folder (a text being written, say).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the figures here")
    parser.add_argument("--corpus", type=Path, metavar="FOLDER", help="another corpus folder")
    args = parser.parse_args(argv)
    # Run as a script, Python puts evaluation/ first on the path: the project root instead.
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "evaluation"]
    sys.path.insert(0, str(ROOT))
    with tempfile.TemporaryDirectory(prefix="eval-linking-") as folder:
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/evaluation.sqlite3"
        os.environ.pop("DATABASE_REPLICA_URL", None)
        os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings_test"
        report = _measure(args.corpus)
    from evaluation.report import as_dict, format_report

    print(format_report(report))
    if args.json:
        args.json.write_text(json.dumps(as_dict(report), ensure_ascii=False, indent=2) + "\n")
    return 0


def _measure(corpus: Path | None):
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    from evaluation.corpus import load_corpus
    from evaluation.runner import evaluate, load_catalogs

    call_command("migrate", verbosity=0, interactive=False)
    load_catalogs()
    try:
        return evaluate(load_corpus(corpus) if corpus else None)
    finally:
        connections.close_all()


if __name__ == "__main__":
    sys.exit(main())
