"""`make run` starts the web server and the job worker with its schedule, in one
command, and Ctrl-C stops them all (a fresh clone, see portal/tests/fresh_clone.py)."""

import contextlib
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


def descendants(root: int) -> dict[int, str]:
    """Every process under ``root``, whatever session honcho gave it: pid -> command."""
    table = subprocess.run(
        ["ps", "-eo", "pid=,ppid=,args="], capture_output=True, text=True, check=True
    ).stdout
    rows = [line.split(None, 2) for line in table.splitlines() if line.strip()]
    children: dict[int, list[tuple[int, str]]] = {}
    for row in rows:
        children.setdefault(int(row[1]), []).append((int(row[0]), row[2] if len(row) > 2 else ""))
    found, todo = {}, [root]
    while todo:
        for pid, args in children.get(todo.pop(), []):
            found[pid] = args
            todo.append(pid)
    return found


class ProcessGroups:
    """The process groups of ``make run``'s tree, remembered while it runs: make leads
    its own (``start_new_session``), and honcho starts each of its processes in a
    group of its own. A process whose parent died is no longer anyone's descendant,
    but still in its group: killing the groups in ``finally`` leaves no orphan."""

    def __init__(self, root: int):
        self.root, self.groups = root, {root}

    def refresh(self) -> dict[int, str]:
        """The tree now (pid -> command), its groups remembered."""
        tree = descendants(self.root)
        for pid in tree:
            with contextlib.suppress(ProcessLookupError):  # ended since
                self.groups.add(os.getpgid(pid))
        return tree

    def kill(self) -> None:
        self.refresh()
        for group in self.groups:
            with contextlib.suppress(ProcessLookupError):  # ended already
                os.killpg(group, signal.SIGKILL)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


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
    groups = ProcessGroups(server.pid)

    def web_answers() -> bool:
        groups.refresh()  # the groups honcho's processes get, as it starts them
        return answers(port)

    try:
        wait_for(web_answers, seconds=300, what="no answer on /healthz", log=log)
        database = clone / "var" / "portal.sqlite3"
        wait_for(lambda: schedule_ran(database), seconds=120, what="no scheduled job", log=log)
        started = groups.refresh()
        assert any("qcluster" in args for args in started.values()), started
        assert any("gunicorn" in args for args in started.values()), started
        os.killpg(server.pid, signal.SIGINT)  # what Ctrl-C sends to the terminal's group
        server.wait(timeout=60)
        wait_for(
            lambda: not [pid for pid in started if alive(pid)],
            seconds=30,
            what="processes left after Ctrl-C",
            log=log,
        )
    finally:
        groups.kill()
        server.wait(timeout=30)
