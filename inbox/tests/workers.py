"""Real job workers for end-to-end tests: ``manage.py qcluster`` in child processes,
on a database of the test pass's kind made for the test (a SQLite file, or a
database on the pass's PostgreSQL server; ``portal.tests.backups.new_database``),
migrated, and read back through ``manage.py shell``."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from portal.tests.backups import ROOT, manage, portal_env, shell


class Site:
    """A migrated database and the environment of the processes that use it."""

    def __init__(self, database_url: str, folder: Path):
        self.env = portal_env(database_url, folder / "media")
        # Folder sources may be in the test's own folder.
        self.env.update(WORKER_PROCESSES="2", LOG_LEVEL="INFO", INBOX_FOLDER_ROOTS=str(folder))
        self.folder = folder
        self.workers: list[subprocess.Popen] = []
        manage(self.env, "migrate", "--noinput", "--verbosity", "0")

    def manage(self, *args: str) -> str:
        return manage(self.env, *args)

    def query(self, code: str):
        """What ``code`` (Python, run by manage.py shell) prints as JSON on its last line."""
        return json.loads(shell(self.env, code).strip().splitlines()[-1])

    def start_worker(self, name: str) -> subprocess.Popen:
        log = (self.folder / f"worker-{name}.log").open("a")
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "qcluster"],
            cwd=ROOT,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.workers.append(worker)
        return worker

    def logs(self) -> str:
        return "\n".join(path.read_text() for path in sorted(self.folder.glob("worker-*.log")))

    def wait_for(self, code: str, *, seconds: float, what: str):
        """Until ``code``'s JSON answer is truthy; the answer."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            for worker in self.workers:
                assert worker.poll() is None, f"a worker exited:\n{self.logs()}"
            if answer := self.query(code):
                return answer
            time.sleep(1)
        raise AssertionError(f"{what} within {seconds} s:\n{self.logs()}")

    def stop_workers(self) -> None:
        for worker in self.workers:
            if worker.poll() is None:
                os.killpg(worker.pid, signal.SIGTERM)
        for worker in self.workers:
            try:
                worker.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(worker.pid, signal.SIGKILL)
                worker.wait()


@pytest.fixture(name="worker_site")
def worker_site_fixture(new_database, tmp_path):
    site = Site(new_database("inbox"), tmp_path)
    yield site
    site.stop_workers()
