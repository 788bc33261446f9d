"""bench/load_seed.py writes its figures as JSON, as every script of `make bench` does."""

import json
import os
import subprocess
import sys

import pytest

from portal.tests.bench_scripts import FOREIGN_ENV, ROOT

# Works in its own folders and processes, whatever the test database is.
pytestmark = pytest.mark.once


def test_load_seed_writes_its_figures_as_json(tmp_path):
    out = tmp_path / "load-seed.json"
    env = {key: value for key, value in os.environ.items() if not key.startswith(FOREIGN_ENV)}
    result = subprocess.run(
        [sys.executable, ROOT / "bench" / "load_seed.py", "--docs", "3", "--database", "sqlite",
         "--json", out],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    (run,) = json.loads(out.read_text())["runs"]
    assert (run["database"], run["docs"]) == ("sqlite", 3)
    assert run["first"]["summary"] == "Created 3, updated 0, unchanged 0, skipped 0"
    assert run["docs_per_second"] > 0


def test_load_seed_says_whether_each_target_is_met():
    from bench.load_seed import TARGET_DOCS, Row, Run, verdicts

    def row(database, docs, seconds):
        run = Run(seconds, seconds, 100.0, "")
        return Row(database, docs, run, run, Run(1.0, 1.0, 80.0, ""))

    lines = verdicts(
        [row("postgres", 1000, 1.0), row("postgres", TARGET_DOCS, 20.0),
         row("sqlite", TARGET_DOCS, 25.0)]
    )  # fmt: skip
    assert len(lines) == 2
    assert lines[0].startswith("target postgres >= 300 docs/s at 10,000: met (500/s")
    assert lines[1].startswith("target sqlite >= 500 docs/s at 10,000: MISSED (400/s")
