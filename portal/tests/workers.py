"""Real job workers for end-to-end tests: ``manage.py qcluster`` in child processes,
on a database of the test pass's kind made for the test (a SQLite file, or a
database on the pass's PostgreSQL server; ``portal.tests.backups.new_database``),
migrated, and read back through ``manage.py shell`` or, faster, by the test
process itself (``Site.in_this_process``)."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import dj_database_url
from django.contrib.contenttypes.models import ContentType
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.utils import load_backend

from portal.tests.backups import ROOT, manage, portal_env, shell

Answer = TypeVar("Answer")
# The parts of a database's settings a URL names; the rest (engine, options) are the pass's.
FROM_URL = ("NAME", "USER", "PASSWORD", "HOST", "PORT")


class Site:
    """A migrated database and the environment of the processes that use it; ``env``
    adds to that environment (the settings the workers need)."""

    def __init__(self, database_url: str, folder: Path, **env: str):
        self.database_url = database_url
        self.env = portal_env(database_url, folder / "media")
        self.env.update(WORKER_PROCESSES="2", LOG_LEVEL="INFO", **env)
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

    def wait_until(
        self, check: Callable[[], Answer], *, seconds: float, what: str, every: float = 1
    ) -> Answer:
        """Until ``check()`` answers something truthy, the workers alive meanwhile; the answer."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            for worker in self.workers:
                assert worker.poll() is None, f"a worker exited:\n{self.logs()}"
            if answer := check():
                return answer
            time.sleep(every)
        raise AssertionError(f"{what} within {seconds} s:\n{self.logs()}")

    def wait_for(self, code: str, *, seconds: float, what: str):
        """Until ``code``'s JSON answer (``query``) is truthy; the answer."""
        return self.wait_until(lambda: self.query(code), seconds=seconds, what=what)

    @contextlib.contextmanager
    def in_this_process(self, django_db_blocker) -> Iterator[None]:
        """The test process's own queries (the ORM, factories, Django's test client) go
        to this site's database, in autocommit, so the workers see each write at once
        and the test reads their work without a process per look. Django's connection
        is swapped, not its settings: the pass's test database is left as it was."""
        current = connections[DEFAULT_DB_ALIAS]
        named = dj_database_url.parse(self.database_url)
        settings_dict = {**current.settings_dict, **{key: named[key] for key in FROM_URL}}
        mine = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict)
        with django_db_blocker.unblock():
            # Content types are cached per alias: ids read from another database would be wrong.
            ContentType.objects.clear_cache()
            connections[DEFAULT_DB_ALIAS] = mine
            try:
                yield
            finally:
                mine.close()
                connections[DEFAULT_DB_ALIAS] = current
                ContentType.objects.clear_cache()

    def stop_workers(self) -> None:
        # The cluster's main process alone: it stops its job processes itself, after
        # their current job. Signalled too, they die at once and it waits for them in vain.
        for worker in self.workers:
            if worker.poll() is None:
                worker.send_signal(signal.SIGTERM)
        for worker in self.workers:
            try:
                worker.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(worker.pid, signal.SIGKILL)
                worker.wait()
