import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def settings_value(expression: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    code = f"import portal.settings as s; print({expression})"
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_debug_has_a_development_key():
    result = settings_value("s.SECRET_KEY", DEBUG="1")
    assert result.returncode == 0
    assert result.stdout.startswith("dev-only")


def test_database_url_selects_postgresql():
    result = settings_value(
        "(s.DATABASES['default']['ENGINE'], s.DATABASES['default']['NAME'])",
        SECRET_KEY="x",
        DATABASE_URL="postgres://user@localhost:5432/portal",
    )
    assert result.stdout.strip() == "('django.db.backends.postgresql', 'portal')"


def test_default_database_is_sqlite_in_var():
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import portal.settings as s; print(s.DATABASES['default']['NAME'])",
        ],
        cwd=ROOT,
        env={**env, "SECRET_KEY": "x"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == str(ROOT / "var" / "portal.sqlite3")


def test_locale_and_time_zone(settings):
    assert (settings.LANGUAGE_CODE, settings.TIME_ZONE, settings.USE_TZ) == (
        "ru",
        "Asia/Bishkek",
        True,
    )


@pytest.mark.postgres
def test_postgresql_pass_runs_on_postgresql(db):
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        assert int(cursor.fetchone()[0]) >= 150000
