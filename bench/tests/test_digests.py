"""bench/digests.py: its report says met or missed, and the script runs end to end, tiny."""

import json
import os
import subprocess
import sys

import pytest

from bench.digests import target_lines
from portal.tests.bench_scripts import FOREIGN_ENV, ROOT


def figures(*, seconds: float, achieved: float, received: int = 2000, end_mb: float = 5.0):
    return {
        "readers": 100_000,
        "digests": 99_000,
        "build": {"seconds": seconds},
        "send": {"messages": 2000, "received": received, "configured_rate": 100.0,
                 "achieved_rate": achieved},
        "traced": {"in_use_mb_after_first_tenth": 4.0, "in_use_mb_at_end": end_mb,
                   "peak_mb": 9.0},
    }  # fmt: skip


def test_the_report_says_met_or_missed_for_each_target():
    met = target_lines(figures(seconds=30.0, achieved=99.0), readers=100_000)
    missed = target_lines(figures(seconds=75.0, achieved=50.0, end_mb=40.0), readers=100_000)

    assert [line.split()[0] for line in met] == ["met", "met", "met"]
    assert [line.split()[0] for line in missed] == ["MISSED", "MISSED", "MISSED"]
    assert "30.0 s (≤ 60.0 s)" in met[0]


def test_a_message_the_server_never_received_is_missed():
    lines = target_lines(figures(seconds=30.0, achieved=99.0, received=1999), readers=100_000)
    assert lines[1].startswith("MISSED")


@pytest.mark.once  # its own database and server, whatever the test database is
def test_the_script_runs_end_to_end_and_writes_its_figures(tmp_path):
    out = tmp_path / "digests.json"
    env = {key: value for key, value in os.environ.items() if not key.startswith(FOREIGN_ENV)}
    result = subprocess.run(
        [sys.executable, ROOT / "bench" / "digests.py", "--readers", "200", "--entities", "20",
         "--articles", "20", "--sample", "10", "--rate", "50", "--cache-dir", tmp_path,
         "--json", out],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    data = json.loads(out.read_text())
    run = data["figures"]
    assert run["readers"] == 200, result.stdout + result.stderr
    assert 0 < run["digests"] <= 200
    assert run["send"]["received"] == run["send"]["messages"] == 10
    assert run["render"]["messages"] == 10
    assert len(data["targets"]) == 3
