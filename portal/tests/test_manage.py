"""manage.py: local development's secret key, and configuration errors in one line.

Each test runs a copy of manage.py in a folder of its own (its ``var/`` beside it), with
the project importable, so a ``var/secret_key`` of the real checkout plays no part.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# The test run's own settings and database stay out of the child.
FOREIGN = ("SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE", "DATABASE_URL", "ADMIN_PATH")
PRINT_KEY = "from django.conf import settings; print(settings.SECRET_KEY)"


def manage(folder: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    shutil.copy(ROOT / "manage.py", folder / "manage.py")
    clean = {key: value for key, value in os.environ.items() if key not in FOREIGN}
    return subprocess.run(
        [sys.executable, folder / "manage.py", *args],
        cwd=folder,
        env={**clean, "PYTHONPATH": str(ROOT), "DATABASE_URL": "sqlite://:memory:", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def checkout(tmp_path):
    (tmp_path / "var").mkdir()
    (tmp_path / "var" / "secret_key").write_text("key-that-make-run-wrote\n")
    return tmp_path


def test_development_reads_the_key_make_run_wrote(checkout):
    result = manage(checkout, "shell", "-v", "0", "-c", PRINT_KEY)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "key-that-make-run-wrote"


def test_an_exported_key_comes_first(checkout):
    result = manage(checkout, "shell", "-v", "0", "-c", PRINT_KEY, SECRET_KEY="exported-key")
    assert result.stdout.strip() == "exported-key"


def test_production_never_reads_the_local_key(checkout, tmp_path):
    result = manage(
        checkout,
        "check",
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        ALLOWED_HOSTS="news.example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'production.sqlite3'}",
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
    assert "key-that-make-run-wrote" not in result.stdout + result.stderr


@pytest.mark.parametrize("command", ["check", "createsuperuser"])
def test_a_missing_key_is_one_line_saying_what_to_do(tmp_path, command):
    result = manage(tmp_path, command, "--noinput")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("manage.py: configuration error: SECRET_KEY is not set")
    assert "make run" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_bad_setting_is_one_line(checkout):
    result = manage(checkout, "check", ADMIN_PATH="a b")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "manage.py: configuration error: ADMIN_PATH='a b' is not a usable path: use Latin "
        "letters, digits, '-', '_', '.', '~' and '/', for example ADMIN_PATH=office-7f3c/"
    ]
