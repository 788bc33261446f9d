"""An operator's commands on the installed portal for test_install.py: README's
"Backups" section as written (make backup and make restore as root from the install
folder with the environment file, createdb and dropdb as PostgreSQL's system user)
and what the test reads to compare before and after."""

import os
import tarfile
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from portal.tests.install_stack import PG_BIN, PG_USER, Postgres, read_env_file, run

# The main tables (articles, the catalog's companies, their links, the accounts): a
# backup of a site without them would prove nothing.
MAIN_TABLES = ("articles_article", "companies_company", "articles_articlecompany", "auth_user")
# Every table of the database and its number of rows, in one query.
ROW_COUNTS = """
SELECT table_name, (xpath('/row/n/text()', query_to_xml(
    format('SELECT count(*) AS n FROM %I.%I', table_schema, table_name), false, true, '')))[1]
FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
"""


@dataclass
class Operator:
    """Root on the installed machine, in the install folder."""

    code: Path  # the install folder (/srv/portal)
    env_file: Path  # /etc/portal/portal.env
    postgres: Postgres

    def shell_env(self) -> dict[str, str]:
        """A root shell's environment: nothing of the test's own database settings."""
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "DJANGO"))}
        return env | {"ENV_FILE": str(self.env_file)}

    def make(self, *args: str) -> str:
        """``ENV_FILE=/etc/portal/portal.env make ARGS`` in the install folder."""
        return run(["make", "--no-print-directory", *args], cwd=self.code, env=self.shell_env())

    def as_postgres(self, *cmd: str) -> str:
        """``runuser -u postgres -- CMD``: the server's system user and superuser."""
        env = {**os.environ, **self.postgres.psql_env()}
        command = ["runuser", "-u", PG_USER, "--", PG_BIN / cmd[0], *cmd[1:]]
        return run(command, env=env, cwd="/")

    def database(self) -> tuple[str, str]:
        """The role and the database of the environment file's DATABASE_URL."""
        url = urllib.parse.urlsplit(read_env_file(self.env_file)["DATABASE_URL"])
        return urllib.parse.unquote(url.username), url.path.lstrip("/")

    def row_counts(self) -> dict[str, int]:
        """Rows per table of the site's database."""
        _, name = self.database()
        out = self.as_postgres("psql", "-XAtq", "-F", " ", "-d", name, "-c", ROW_COUNTS)
        return {table: int(count) for table, count in (line.split() for line in out.splitlines())}

    def venv_contents(self) -> set[str]:
        """Every installed distribution and module of the installed virtualenv."""
        return {path.name for path in self.code.glob(".venv/lib/python3*/site-packages/*")}


def archive_members(backup: Path) -> dict[str, bytes | None]:
    """Each member's name and, for a file, its bytes."""
    with tarfile.open(backup) as archive:
        return {
            member.name: archive.extractfile(member).read() if member.isfile() else None
            for member in archive.getmembers()
        }
