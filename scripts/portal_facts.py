"""What scripts/backup and scripts/restore need to know from the portal's settings.

    portal_facts.py TOPIC...     (run by the scripts with the portal's environment)

Topics, each printed as NAME=value lines:
  database   pending_migrations=N, the migrations not yet applied to the database
             (a SQLite database that does not exist is an error: checking must not
             create it)
  media      media_storage=filesystem|s3 and media_root=PATH, where uploads live

A settings or database problem is one line on standard error and exit status 1,
never a traceback: the operator reads it, not a developer.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROGRAM = os.environ.get("PORTAL_FACTS_FOR", "portal_facts")


def fail(message: str) -> None:
    print(f"{PROGRAM}: {message}", file=sys.stderr)
    sys.exit(1)


def database_facts() -> dict[str, str]:
    from django.db import DatabaseError, connection
    from django.db.migrations.executor import MigrationExecutor

    settings = connection.settings_dict
    if connection.vendor == "sqlite" and not Path(settings["NAME"]).is_file():
        fail(f"the SQLite database {settings['NAME']} does not exist: check DATABASE_URL")
    try:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as error:
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else ""
        fail(f"cannot read the database ({type(error).__name__}: {first_line})")
    return {"pending_migrations": str(len(plan))}


def media_facts() -> dict[str, str]:
    from django.conf import settings

    return {
        "media_storage": getattr(settings, "MEDIA_STORAGE", "filesystem"),
        "media_root": str(Path(settings.MEDIA_ROOT).resolve()),
    }


TOPICS = {"database": database_facts, "media": media_facts}


def main(topics: list[str]) -> None:
    unknown = sorted(set(topics) - set(TOPICS))
    if not topics or unknown:
        fail(f"usage: portal_facts.py {{{','.join(TOPICS)}}}... (not {', '.join(unknown)})")
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    from django.core.exceptions import ImproperlyConfigured

    try:
        import django

        django.setup()
    except ImproperlyConfigured as error:
        fail(f"the settings refuse to load: {error}")
    for topic in topics:
        for name, value in TOPICS[topic]().items():
            print(f"{name}={value}")


if __name__ == "__main__":
    main(sys.argv[1:])
