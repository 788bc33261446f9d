"""make backup and make restore as an operator uses them (README, "Backups").

A backup is one private archive with the database and the uploaded media; it
restores into a fresh database and an empty media folder; the environment comes
from the service's environment file; mistakes (no environment, an unmigrated
database, no virtualenv) stop with one line and leave nothing behind; and no
operator target installs anything.
"""

from __future__ import annotations

import shutil
import stat
import subprocess
import tarfile
from pathlib import Path

import pytest
from PIL import Image

from portal.tests.backups import (
    BACKUP,
    PYTHON,
    RESTORE,
    ROOT,
    attempt,
    manage,
    media_files,
    new_database,  # noqa: F401 (a fixture)
    portal_env,
    postgres_server,  # noqa: F401 (a fixture)
    row_counts,
    run,
    shell,
)

# What a site has after a while: articles, an editor with a session, an uploaded
# lead image (saved through the storage, as the admin saves it).
SITE = """
from django.contrib.auth.models import User
from django.contrib.sessions.backends.db import SessionStore
from django.core.files.base import ContentFile
from articles.models import Article
editor = User.objects.create_user("editor", password="A-long-editor-password-1", is_staff=True)
session = SessionStore()
session["_auth_user_id"] = str(editor.pk)
session.create()
article = Article.objects.order_by("id").first()
article.image.save("lead.jpg", ContentFile(open(IMAGE, "rb").read()))
print(article.image.name)
"""


def build_site(env: dict[str, str], tmp_path: Path) -> str:
    """A migrated database with content and one uploaded image; the image's name."""
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    run([PYTHON, "bench/generate_corpus.py", "--articles", "5", "--seed", "7"], env)
    manage(env, "setup_roles", "--verbosity", "0")
    image = tmp_path / "lead.jpg"
    Image.new("RGB", (40, 30), "teal").save(image, "JPEG")
    return shell(env, f"IMAGE = {str(image)!r}\n{SITE}").strip().splitlines()[-1]


def backup_members(backup: Path) -> dict[str, bytes | None]:
    with tarfile.open(backup) as archive:
        return {
            member.name: archive.extractfile(member).read() if member.isfile() else None
            for member in archive.getmembers()
        }


def test_backup_is_private_and_holds_database_and_media(tmp_path, new_database):  # noqa: F811
    env = portal_env(new_database("private"), tmp_path / "media")
    image_name = build_site(env, tmp_path)
    # Uploads are world-readable (nginx serves them); the archive must not be.
    assert (tmp_path / "media" / image_name).stat().st_mode & 0o004
    backup = tmp_path / "backups" / "nightly" / "portal.tar"
    assert "backed up to" in run([BACKUP, backup], env)

    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert stat.S_IMODE(backup.parent.stat().st_mode) == 0o700
    assert sorted(path.name for path in backup.parent.iterdir()) == ["portal.tar"]
    members = backup_members(backup)
    assert members[f"media/{image_name}"] == (tmp_path / "media" / image_name).read_bytes()
    database = {"database.pgdump", "database.json.gz"} & set(members)
    assert len(database) == 1
    assert all(name == "media" or name.startswith("media/") for name in set(members) - database)


def test_restore_into_a_fresh_database_and_empty_media(tmp_path, new_database):  # noqa: F811
    env = portal_env(new_database("original"), tmp_path / "media")
    image_name = build_site(env, tmp_path)
    counts = row_counts(env)
    assert counts["articles.article"] == 5
    assert counts["auth.user"] == 1
    assert counts["sessions.session"] == 1
    files = media_files(tmp_path / "media")
    backup = tmp_path / "portal.tar"
    run([BACKUP, backup], env)

    # Another machine: a new database, a media folder with nothing of this site.
    fresh = portal_env(new_database("fresh"), tmp_path / "fresh-media")
    (tmp_path / "fresh-media").mkdir()
    (tmp_path / "fresh-media" / "stale.txt").write_text("not in the backup")
    output = run([RESTORE, backup], fresh)
    assert f"restored {backup}" in output
    assert "media: 1 files" in output

    assert row_counts(fresh) == counts
    assert media_files(tmp_path / "fresh-media") == files
    assert image_name in files
    # The restored database names the restored file.
    named = shell(
        fresh,
        "from articles.models import Article\n"
        "print(Article.objects.exclude(image='').get().image.path)",
    )
    assert Path(named.strip()) == tmp_path / "fresh-media" / image_name


def test_operator_targets_install_nothing(tmp_path):
    """make -n with a virtualenv that does not exist yet: before, backup and restore
    depended on the dev install (pip, pytest, Playwright, ruff into production)."""
    for target in (["backup"], ["restore", "FILE=var/backups/portal.tar"]):
        result = subprocess.run(
            # --no-print-directory: under `make test` the outer make's flags would add
            # "Entering/Leaving directory" lines around the commands.
            ["make", "--no-print-directory", "-n", *target, f"VENV={tmp_path / 'no-venv'}"],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stderr
        commands = [line for line in result.stdout.splitlines() if line.strip()]
        assert not [line for line in commands if "pip" in line or "requirements" in line]
        assert not [line for line in commands if "venv" in line]
        assert commands[-1].startswith(f"scripts/{target[0]}")


def copy_of_the_scripts(tmp_path: Path, *, with_venv: bool) -> Path:
    """The scripts in a checkout of their own (no database, perhaps no virtualenv)."""
    checkout = tmp_path / "checkout"
    shutil.copytree(ROOT / "scripts", checkout / "scripts")
    if with_venv:
        (checkout / ".venv" / "bin").mkdir(parents=True)
        (checkout / ".venv" / "bin" / "python").symlink_to(PYTHON)
    return checkout


def test_without_a_virtualenv_they_say_how_to_make_one(tmp_path):
    checkout = copy_of_the_scripts(tmp_path, with_venv=False)
    env = portal_env(f"sqlite:///{tmp_path / 'portal.sqlite3'}", tmp_path / "media")
    for script in ("backup", "restore"):
        args = [checkout / "scripts" / script] + (
            [tmp_path / "b.tar"] if script == "restore" else []
        )
        (tmp_path / "b.tar").write_bytes(b"")
        result = attempt(args, env)
        assert result.returncode == 2
        assert result.stderr.count("\n") == 1
        assert "no virtualenv" in result.stderr
        assert "pip install -r requirements.lock" in result.stderr
    assert sorted(path.name for path in checkout.iterdir()) == ["scripts"]


def test_without_configuration_nothing_is_created(tmp_path):
    """No ENV_FILE, no DATABASE_URL, no development database: before, the backup made
    an empty var/portal.sqlite3 and failed on it."""
    checkout = copy_of_the_scripts(tmp_path, with_venv=True)
    env = portal_env("unused", tmp_path / "media")
    del env["DATABASE_URL"]
    backup = tmp_path / "portal.tar"
    backup.write_bytes(b"")
    for args, target in [([backup.with_name("new.tar")], "backup"), ([backup], "restore")]:
        result = attempt([checkout / "scripts" / target, *args], env)
        assert result.returncode == 2
        assert result.stderr.count("\n") == 1
        assert "DATABASE_URL is not set" in result.stderr
        assert f"ENV_FILE=/etc/portal/portal.env make {target}" in result.stderr
    assert sorted(path.name for path in checkout.iterdir()) == [".venv", "scripts"]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["checkout", "portal.tar"]


@pytest.mark.parametrize("empty_database", ["new", "existing"])
def test_an_unmigrated_database_is_not_backed_up(tmp_path, new_database, empty_database):  # noqa: F811
    """An empty database (as `make check` left one): before, "no such table"."""
    url = new_database("unmigrated")
    if url.startswith("sqlite") and empty_database == "existing":
        Path(url.removeprefix("sqlite:///")).touch()
    env = portal_env(url, tmp_path / "media")
    result = attempt([BACKUP, tmp_path / "backups" / "portal.tar"], env)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    if url.startswith("sqlite") and empty_database == "new":
        assert "does not exist" in result.stderr
        assert not Path(url.removeprefix("sqlite:///")).exists()
    else:
        assert "migrations not applied: run '.venv/bin/python manage.py migrate'" in result.stderr
    assert not (tmp_path / "backups").exists()


ENV_FILE = """\
# The service's environment, as systemd reads it.
DJANGO_SETTINGS_MODULE=portal.settings

DATABASE_URL="{database_url}"
  MEDIA_ROOT = '{media_root}'
SECRET_KEY=not$expanded#nor-a-comment
; another comment
"""


def test_the_environment_file_is_read_as_systemd_reads_it(tmp_path, new_database):  # noqa: F811
    site = portal_env(new_database("envfile"), tmp_path / "media")
    image_name = build_site(site, tmp_path)
    env_file = tmp_path / "portal.env"
    env_file.write_text(
        ENV_FILE.format(database_url=site["DATABASE_URL"], media_root=tmp_path / "media")
    )
    # The shell's environment names nothing (or something else): the file wins.
    shell_env = portal_env("sqlite:////nonexistent/portal.sqlite3", tmp_path / "elsewhere")
    shell_env["ENV_FILE"] = str(env_file)
    backup = tmp_path / "portal.tar"
    run([BACKUP, backup], shell_env)
    assert f"media/{image_name}" in backup_members(backup)
    check = run(
        ["bash", "-c", 'source scripts/dbtools.sh && load_env_file && printf %s "$SECRET_KEY"'],
        shell_env,
    )
    assert check == "not$expanded#nor-a-comment"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "ENV_FILE={file}: no such file"),
        ("DATABASE_URL=sqlite:///x\nexport SECRET_KEY=x\n", "{file}:2: expected NAME=value"),
        ("just words\n", "{file}:1: expected NAME=value"),
    ],
)
def test_a_bad_environment_file_is_named(tmp_path, content, message):
    env_file = tmp_path / "portal.env"
    if content is not None:
        env_file.write_text(content)
    env = portal_env("unused", tmp_path / "media") | {"ENV_FILE": str(env_file)}
    for args in ([BACKUP], [RESTORE, ROOT / "Makefile"]):
        result = attempt(args, env)
        assert result.returncode == 2
        assert result.stderr == f"{args[0].name}: {message.format(file=env_file)}\n"


@pytest.mark.postgres
def test_restore_by_the_database_owner_is_quiet_and_complete(tmp_path, postgres_server):  # noqa: F811
    """As on a server: the role in DATABASE_URL owns its database and is no superuser.
    Before, the restore's ANALYZE warned 48 times (skipping "pg_authid" ...)."""
    role = postgres_server.role("portal_owner", "owner-password")
    env = portal_env(
        postgres_server.database("owned", owner=role, password="owner-password"),
        tmp_path / "media",
    )
    build_site(env, tmp_path)
    counts = row_counts(env)
    backup = tmp_path / "portal.tar"
    run([BACKUP, backup], env)

    for url in (
        env["DATABASE_URL"],
        postgres_server.database("owned_fresh", owner=role, password="owner-password"),
    ):
        result = attempt([RESTORE, backup], env | {"DATABASE_URL": url})
        assert result.returncode == 0, result.stderr
        assert result.stderr == ""
        assert row_counts(env | {"DATABASE_URL": url}) == counts
