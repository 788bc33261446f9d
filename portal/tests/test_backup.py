"""scripts/backup and scripts/restore round-trip the whole database.

Each test builds a database of its own in child processes (the scripts work on
DATABASE_URL, not on the test database): a synthetic corpus with links and tags,
then the editors' decisions on top (links they added, links they rejected,
suggestions accepted and rejected, roles, users, the admin's history, a retired
slug). It backs up, changes or wipes the database, restores, and compares every
row of every table before and after.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import tarfile
from collections import Counter
from datetime import datetime
from pathlib import Path

from portal.tests.backups import (
    BACKUP,
    PYTHON,
    RESTORE,
    ROOT,
    PostgresServer,
    manage,
    portal_env,
    run,
    shell,
)

# The editors' decisions, made through the models as the admin makes them.
DECISIONS = """
import json
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from articles.models import (Article, ArticleCompany, EntitySuggestion, LinkOrigin,
                             RejectedLink, SuggestionOccurrence)
from companies.models import Company
from portal.models import RetiredSlug

articles = list(Article.objects.order_by("id")[:3])
linked = ArticleCompany.objects.filter(article=articles[0]).select_related("entity").first()
company_type = ContentType.objects.get_for_model(Company)
# A link the linker made, removed by an editor: remembered as rejected.
RejectedLink.objects.create(article=articles[0], content_type=company_type,
                            object_id=linked.entity_id)
linked.delete()
# A link an editor added by hand.
other = Company.objects.exclude(articlecompany__article=articles[1]).order_by("id").first()
ArticleCompany.objects.create(article=articles[1], entity=other, origin=LinkOrigin.EDITOR)
# Suggestions in every state, one accepted into the catalog.
new = EntitySuggestion.objects.create(name="Завод Ромашка", kind="organisation", mentions=2)
SuggestionOccurrence.objects.create(suggestion=new, article=articles[2],
                                    sentence="Завод Ромашка открыл цех.")
EntitySuggestion.objects.create(name="Иван Петров", kind="person", status="rejected")
accepted_company = Company.objects.create(name="Новая Компания", slug="novaya-kompaniya",
                                          kind=Company.Kind.OTHER, aliases=[])
EntitySuggestion.objects.create(name="Новая Компания", kind="organisation", status="accepted",
                                entity_type=company_type, entity_id=accepted_company.pk)
# An editor with a role, the admin's history, an old address.
editor = User.objects.create_user("editor", password="A-long-editor-password-1", is_staff=True)
editor.groups.add(*Group.objects.all())
LogEntry.objects.log_actions(editor.pk, [articles[0]], CHANGE, change_message="Правка")
# A time within the first millisecond of a second: the JSON copy keeps milliseconds only.
LogEntry.objects.update(action_time=LogEntry.objects.get().action_time.replace(microsecond=500))
RetiredSlug.objects.create(content_type=ContentType.objects.get_for_model(Article),
                           object_id=articles[0].pk, slug="staryi-adres")
articles[0].tags.add("Проверка резервной копии")
print("done")
"""

# A change made after the backup, which the restore must undo.
LATER_CHANGE = """
from articles.models import Article, EntitySuggestion, RejectedLink
Article.objects.order_by("id").last().delete()
assert RejectedLink.objects.all().delete()[0] == 1
assert EntitySuggestion.objects.filter(status="new").update(status="accepted") == 1
Article.objects.order_by("id").first().tags.add("Появилась после копии")
print("changed")
"""


TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?")


def to_millisecond(value):
    """A time as dumpdata writes it, to the millisecond: «12:00:00.000Z» and, once
    loaded back, «12:00:00Z» are the same instant."""
    if isinstance(value, str) and TIMESTAMP.fullmatch(value):
        return datetime.fromisoformat(value).isoformat(timespec="milliseconds")
    return value


def rows(env: dict[str, str]) -> dict[str, dict]:
    """Every row of every table, by model and primary key (the content version aside:
    a restore changes it on purpose, and content types and permissions are rebuilt
    by migrate, compared through the natural keys that refer to them). Times are
    compared to the millisecond, the precision of Django's JSON serializer."""
    dumped = manage(
        env,
        "dumpdata",
        "--natural-foreign",
        "--exclude=contenttypes",
        "--exclude=auth.permission",
        "--exclude=portal.contentversion",
    )
    return {
        f"{row['model']}:{row['pk']}": {
            name: to_millisecond(value) for name, value in row["fields"].items()
        }
        for row in json.loads(dumped)
    }


def build(env: dict[str, str]) -> dict[str, dict]:
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    run([PYTHON, "bench/generate_corpus.py", "--articles", "40", "--seed", "3"], env)
    manage(env, "setup_roles", "--verbosity", "0")
    assert "done" in shell(env, DECISIONS)
    before = rows(env)
    models = Counter(key.split(":")[0] for key in before)
    # What the round trip must carry, present before it.
    assert models["articles.article"] == 40
    assert models["articles.tag"] >= 2
    assert models["articles.taggedarticle"] >= 40
    origins = Counter(
        fields["origin"]
        for key, fields in before.items()
        if key.startswith("articles.article") and "origin" in fields
    )
    assert origins["linker"] > 0
    assert origins["editor"] > 0
    assert models["articles.rejectedlink"] == 1
    statuses = Counter(
        fields["status"]
        for key, fields in before.items()
        if key.startswith("articles.entitysuggestion:")
    )
    assert statuses == Counter({"new": 1, "accepted": 1, "rejected": 1})
    assert models["articles.suggestionoccurrence"] == 1
    assert models["auth.group"] >= 1
    assert models["admin.logentry"] == 1
    assert models["portal.retiredslug"] == 1
    return before


def restore(env: dict[str, str], backup: Path) -> None:
    assert f"restored {backup}" in run([RESTORE, backup], env)


def test_round_trip(tmp_path):
    """On the database of the test pass: SQLite with dumpdata, PostgreSQL with pg_dump."""
    server = os.environ.get("DATABASE_URL", "")
    if server.startswith("postgres"):
        postgresql_round_trip(tmp_path, PostgresServer(server))
    else:
        sqlite_round_trip(tmp_path)


def sqlite_round_trip(tmp_path):
    database = tmp_path / "portal.sqlite3"
    env = portal_env(f"sqlite:///{database}", tmp_path / "media")
    backup = tmp_path / "backups" / "portal.tar"
    before = build(env)
    assert "backed up to" in run([BACKUP, backup], env)
    # Wiped: the file is gone.
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    restore(env, backup)
    assert rows(env) == before


def postgresql_round_trip(tmp_path, server):
    try:
        env = portal_env(server.database("backup_test"), tmp_path / "media")
        before = build(env)
        backup = tmp_path / "portal.tar"
        assert "backed up to" in run([BACKUP, backup], env)
        portable = tmp_path / "portable.tar"
        run([BACKUP, portable], env | {"BACKUP_FORMAT": "json"})

        # Restored over a database changed since: the changes are undone.
        assert "changed" in shell(env, LATER_CHANGE)
        restore(env, backup)
        assert rows(env) == before

        # Restored into an empty database.
        fresh = portal_env(server.database("backup_fresh"), tmp_path / "media")
        restore(fresh, backup)
        assert rows(fresh) == before
    finally:
        server.drop_all()

    # BACKUP_FORMAT=json: a portable copy, which loads into SQLite too.
    sqlite_env = portal_env(f"sqlite:///{tmp_path / 'copy.sqlite3'}", tmp_path / "media")
    restore(sqlite_env, portable)
    assert rows(sqlite_env) == before


def test_restore_refuses_what_it_cannot_restore(tmp_path):
    env = portal_env(f"sqlite:///{tmp_path / 'portal.sqlite3'}", tmp_path / "media")
    odd = tmp_path / "portal.zip"
    odd.write_text("not a backup")
    stranger = tmp_path / "stranger.tar"
    with tarfile.open(stranger, "w") as archive:
        archive.add(odd, arcname="database.pgdump")
        archive.add(odd, arcname="etc/passwd")
    not_tar = tmp_path / "broken.tar"
    not_tar.write_text("not a tar archive")
    for file, message in [
        (odd, "expected a .tar file from scripts/backup"),
        (tmp_path / "missing.tar", "no such file"),
        (tmp_path / "portal.pgdump", "not PostgreSQL"),
        (stranger, "not a backup from scripts/backup"),
        (not_tar, "not a tar archive"),
    ]:
        if file.suffix == ".pgdump":
            file.write_bytes(b"PGDMP")
        result = subprocess.run([RESTORE, file], cwd=ROOT, env=env, capture_output=True, text=True)
        assert result.returncode == 2
        assert message in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "portal.sqlite3").exists()
    assert not (tmp_path / "media").exists()
