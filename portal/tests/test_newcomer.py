"""A newcomer's first commands, as written, in a fresh clone (see fresh_clone.py).

`make check`, then `make run` and the command its hint prints; `make lighthouse`'s
script with a stand-in for Lighthouse that fails the way the real one does on a loaded
machine. The clone holds only what is committed.
"""

import os
import re
import shlex
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from portal.tests.fresh_clone import clean_env, free_port, make_clone

# Works in its own clone and processes, whatever the test database is.
pytestmark = pytest.mark.once

HINT = re.compile(r"^\s*(\S*python manage\.py \S.*?)\s*$", re.MULTILINE)


@pytest.fixture
def clone(tmp_path):
    return make_clone(tmp_path / "portal")


def test_make_check_creates_no_database(clone):
    result = subprocess.run(
        ["make", "check"], cwd=clone, env=clean_env(), capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert not (clone / "var").exists()


def start_make_run(clone: Path, log: Path) -> tuple[subprocess.Popen, str]:
    """`make run` on a free port, once it answers; returns the process and its output."""
    port = free_port()
    server = subprocess.Popen(
        ["make", "run", f"PORT={port}"],
        cwd=clone,
        env=clean_env(),
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        assert server.poll() is None, log.read_text()
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return server, log.read_text()
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"make run did not answer in 300 s:\n{log.read_text()}")


def test_the_hint_make_run_prints_works_as_written(clone, tmp_path):
    server, output = start_make_run(clone, tmp_path / "make-run.log")
    try:
        hints = HINT.findall(output)
        assert hints, output
        # As printed, in a shell without SECRET_KEY; --noinput and the account from the
        # environment stand in for the questions it would ask.
        env = clean_env(
            DJANGO_SUPERUSER_USERNAME="redaktor",
            DJANGO_SUPERUSER_EMAIL="redaktor@example.org",
            DJANGO_SUPERUSER_PASSWORD="a-long-test-password-7",
        )
        for hint in hints:
            command = [*shlex.split(hint), "--noinput"]
            result = subprocess.run(
                command, cwd=clone, env=env, capture_output=True, text=True, timeout=120
            )
            assert result.returncode == 0, f"{hint}\n{result.stdout}{result.stderr}"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
    with sqlite3.connect(clone / "var" / "portal.sqlite3") as database:
        rows = database.execute("SELECT is_superuser FROM auth_user WHERE username = 'redaktor'")
        assert rows.fetchall() == [(1,)]


FAKE_LIGHTHOUSE = """\
import json, os, sys, tempfile
from pathlib import Path
from urllib.parse import urlsplit

url = sys.argv[1]
report = Path(next(a.split("=", 1)[1] for a in sys.argv if a.startswith("--output-path=")))
runs = Path(os.environ["FAKE_RUNS"]) / urlsplit(url).path.replace("/", "_")
runs.write_text(str(count := int(runs.read_text()) + 1 if runs.exists() else 1))
tempfile.mkdtemp(prefix="lighthouse.")  # what Chromium's launcher may leave behind
categories = ["performance", "accessibility", "best-practices", "seo"]
if "companies" in url or count == 1:
    error = {"code": "NO_NAVSTART", "message": "No navigationStart event found"}
    report.write_text(json.dumps({"finalDisplayedUrl": url, "runtimeError": error,
        "categories": {c: {"score": None, "auditRefs": []} for c in categories}, "audits": {}}))
    sys.exit(1)
report.write_text(json.dumps({"finalDisplayedUrl": url,
    "categories": {c: {"score": 0.99, "auditRefs": []} for c in categories}, "audits": {}}))
"""


def test_lighthouse_retries_reports_tool_errors_and_leaves_nothing_behind(clone, tmp_path):
    fake = tmp_path / "lighthouse"
    fake.write_text(f"#!{sys.executable}\n{FAKE_LIGHTHOUSE}")
    fake.chmod(0o755)
    (runs := tmp_path / "runs").mkdir()
    (scratch := tmp_path / "tmp").mkdir()
    env = clean_env(LIGHTHOUSE_BIN=str(fake), CHROMIUM_PATH="/bin/true")
    env.update(FAKE_RUNS=str(runs), TMPDIR=str(scratch))
    result = subprocess.run(
        ["scripts/lighthouse", "/", "/companies/tulpar-motors/"],
        cwd=clone,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 2, output
    assert "could not measure 1 page" in result.stdout
    assert "NO_NAVSTART" in result.stdout
    assert "below" not in result.stdout
    # The home page measured on its second run; the entity page tried three times.
    assert (runs / "_").read_text() == "2"
    assert (runs / "_companies_tulpar-motors_").read_text() == "3"
    assert list(scratch.iterdir()) == []
    assert not (clone / "staticfiles").exists()
