"""Helpers for the tests of scripts/backup and scripts/restore.

The scripts work on the database DATABASE_URL names, not on the test database: each
test makes databases of its own, of the test pass's kind (a SQLite file, or a
database on the pass's PostgreSQL server), and runs the scripts and manage.py in
child processes with an environment that names them and a MEDIA_ROOT of their own.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import urllib.parse
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
BACKUP = ROOT / "scripts" / "backup"
RESTORE = ROOT / "scripts" / "restore"


def portal_env(database_url: str, media_root: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings",
        SECRET_KEY="backup-test-key",
        DATABASE_URL=database_url,
        MEDIA_ROOT=str(media_root),
        LOG_LEVEL="WARNING",
    )
    for name in ("DEBUG", "ENV_FILE", "BACKUP_FORMAT", "MEDIA_STORAGE"):
        env.pop(name, None)
    return env


def attempt(cmd: list[str | Path], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(c) for c in cmd], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


def run(cmd: list[str | Path], env: dict[str, str]) -> str:
    result = attempt(cmd, env)
    assert result.returncode == 0, f"{cmd} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def manage(env: dict[str, str], *args: str) -> str:
    return run([PYTHON, "manage.py", *args], env)


def shell(env: dict[str, str], code: str) -> str:
    return manage(env, "shell", "--verbosity", "0", "-c", code)


def libpq(url: str) -> str:
    return "postgresql://" + url.split("://", 1)[1]


class PostgresServer:
    """The test pass's PostgreSQL server, where tests create and drop databases and
    roles through the pass's (administrative) connection."""

    def __init__(self, server_url: str):
        self.url = urllib.parse.urlsplit(server_url)
        env = portal_env(server_url, ROOT / "var" / "unused")
        find_psql = ["bash", "-c", "source scripts/dbtools.sh && pg_tool psql"]
        self.psql_bin = run(find_psql, env).strip()
        self.env = env
        self.dropped: list[str] = []

    def psql(self, sql: str) -> None:
        admin = self.url._replace(path="/postgres").geturl()
        run(
            [self.psql_bin, "-XAtq", "-v", "ON_ERROR_STOP=1", "-d", libpq(admin), "-c", sql],
            self.env,
        )

    def database(self, name: str, *, owner: str = "", password: str = "") -> str:
        """A new empty database; with owner, a URL that signs in as that role."""
        name = f"{name}_{secrets.token_hex(4)}"
        self.psql(f'CREATE DATABASE "{name}"' + (f' OWNER "{owner}"' if owner else ""))
        self.dropped.append(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        url = self.url._replace(path=f"/{name}")
        if owner:
            host = self.url.netloc.rsplit("@", 1)[-1]
            url = url._replace(netloc=f"{owner}:{password}@{host}")
        return url.geturl()

    def role(self, name: str, password: str) -> str:
        """A role that may sign in, and nothing more (no superuser, no CREATEDB)."""
        name = f"{name}_{secrets.token_hex(4)}"
        self.psql(f"CREATE ROLE \"{name}\" LOGIN PASSWORD '{password}'")
        self.dropped.append(f'DROP ROLE IF EXISTS "{name}"')
        return name

    def drop_all(self) -> None:
        for statement in reversed(self.dropped):
            self.psql(statement)


def pass_server() -> str:
    server = os.environ.get("DATABASE_URL", "")
    return server if server.startswith("postgres") else ""


@pytest.fixture
def postgres_server():
    server = PostgresServer(pass_server())
    yield server
    server.drop_all()


@pytest.fixture
def new_database(tmp_path):
    """Makes empty databases of the test pass's kind; a SQLite one is a file name
    only (the file does not exist yet)."""
    server = PostgresServer(pass_server()) if pass_server() else None

    def make(name: str) -> str:
        if server is None:
            return f"sqlite:///{tmp_path / f'{name}.sqlite3'}"
        return server.database(f"backup_{name}")

    yield make
    if server is not None:
        server.drop_all()


# Rows per model (the content version aside: a restore changes it on purpose).
ROW_COUNTS = """
import json
from django.apps import apps
print(json.dumps({m._meta.label_lower: m._base_manager.count() for m in apps.get_models()
                  if m._meta.label_lower != "portal.contentversion"}, sort_keys=True))
"""


def row_counts(env: dict[str, str]) -> dict[str, int]:
    return json.loads(shell(env, ROW_COUNTS))


def media_files(media_root: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under media_root: its content and permission bits."""
    return {
        str(path.relative_to(media_root)): (path.read_bytes(), path.stat().st_mode & 0o777)
        for path in sorted(media_root.rglob("*"))
        if path.is_file()
    }
