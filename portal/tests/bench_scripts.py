"""Running a script of bench/ in its short form from a test, and reading its report."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# The script starts servers of its own: nothing of the test run's database or cache.
FOREIGN_ENV = ("PYTEST", "DJANGO_", "TEST_POSTGRES", "DATABASE_URL", "REDIS_")


def run_short(script: str, folder: Path) -> dict:
    """``bench/<script> --short``'s JSON report, with its output under "output"."""
    out = folder / "report.json"
    env = {key: value for key, value in os.environ.items() if not key.startswith(FOREIGN_ENV)}
    result = subprocess.run(
        [sys.executable, ROOT / "bench" / script, "--short", "--json", out],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    # 1: a check missed its target (the report says which); 2: it could not run at all.
    assert result.returncode in {0, 1}, f"{result.stdout}\n{result.stderr}"
    data = json.loads(out.read_text())
    data["output"] = result.stdout
    return data


def outcome(report: dict, phase: str) -> dict:
    found = {o["phase"]: o for o in report["outcomes"]}
    assert phase in found, report["output"]
    return found[phase]
