"""`make run` starts the web server and the job worker with its schedule, in one
command, and Ctrl-C stops them all (a fresh clone, see portal/tests/fresh_clone.py)."""

import os
import signal
import sqlite3
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from portal.tests.fresh_clone import clean_env, free_port, make_clone

pytestmark = pytest.mark.once


def processes_in_session(session: int) -> list[str]:
    table = subprocess.run(
        ["ps", "-eo", "sid=,args="], capture_output=True, text=True, check=True
    ).stdout
    rows = (line.strip().split(None, 1) for line in table.splitlines() if line.strip())
    return [row[1] for row in rows if len(row) == 2 and int(row[0]) == session]


def wait_for(condition, *, seconds: float, what: str, log: Path) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.5)
    raise AssertionError(f"{what} within {seconds} s:\n{log.read_text()}")


def answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
            return True
    except OSError:
        return False


def schedule_ran(database: Path) -> bool:
    if not database.exists():
        return False
    try:
        with sqlite3.connect(database) as db:
            rows = db.execute(
                "SELECT count(*) FROM django_q_task WHERE func = 'inbox.jobs.enqueue_due_sources'"
                " AND success"
            )
            return rows.fetchone()[0] > 0
    except sqlite3.OperationalError:  # not migrated yet
        return False


def test_make_run_serves_runs_the_schedule_and_ctrl_c_stops_everything(tmp_path):
    clone = make_clone(tmp_path / "portal")
    log = tmp_path / "make-run.log"
    port = free_port()
    server = subprocess.Popen(
        ["make", "run", f"PORT={port}"],
        cwd=clone,
        env=clean_env(),
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        wait_for(lambda: answers(port), seconds=300, what="no answer on /healthz", log=log)
        database = clone / "var" / "portal.sqlite3"
        wait_for(lambda: schedule_ran(database), seconds=120, what="no scheduled job", log=log)
        assert any("qcluster" in args for args in processes_in_session(server.pid))
        os.killpg(server.pid, signal.SIGINT)  # what Ctrl-C sends to the terminal's group
        server.wait(timeout=60)
        wait_for(
            lambda: not processes_in_session(server.pid),
            seconds=30,
            what="processes left after Ctrl-C",
            log=log,
        )
    finally:
        if server.poll() is None or processes_in_session(server.pid):
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=30)
