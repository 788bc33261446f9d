"""The fetch settings: read from the environment, a bad value refused by name, and
private addresses refused by default in production only."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from portal.setting_values import positive_seconds, whole_number

pytestmark = pytest.mark.once

ROOT = Path(__file__).resolve().parents[2]


def settings_value(module: str, expression: str, **env: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("INBOX_", "DJANGO_"))}
    return subprocess.run(
        [sys.executable, "-c", f"from {module} import *; print({expression})"],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def production(expression: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    return settings_value(
        "portal.settings.production",
        expression,
        SECRET_KEY="fetch-settings-test-" + "k7" * 30,
        ALLOWED_HOSTS="news.example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'production.sqlite3'}",
        EMAIL_URL="smtp://127.0.0.1:25",
        **env,
    )


def test_production_refuses_private_addresses_by_default(tmp_path):
    result = production("INBOX_ALLOW_PRIVATE_ADDRESSES", tmp_path)
    assert result.stdout.strip() == "False", result.stderr


def test_production_allows_them_when_told(tmp_path):
    result = production(
        "INBOX_ALLOW_PRIVATE_ADDRESSES", tmp_path, INBOX_ALLOW_PRIVATE_ADDRESSES="1"
    )
    assert result.stdout.strip() == "True", result.stderr


def test_development_allows_private_addresses():
    result = settings_value("portal.settings", "INBOX_ALLOW_PRIVATE_ADDRESSES", SECRET_KEY="x")
    assert result.stdout.strip() == "True", result.stderr


def test_the_limits_come_from_the_environment():
    result = settings_value(
        "portal.settings",
        "INBOX_FETCH_TIMEOUT, INBOX_FETCH_DEADLINE, INBOX_MAX_FEED_BYTES, INBOX_MAX_REDIRECTS",
        SECRET_KEY="x",
        INBOX_FETCH_TIMEOUT="2.5",
        INBOX_FETCH_DEADLINE="20",
        INBOX_MAX_FEED_BYTES="1048576",
        INBOX_MAX_REDIRECTS="0",
    )
    assert result.stdout.strip() == "2.5 20.0 1048576 0", result.stderr


def test_a_bad_limit_stops_the_settings_with_its_name():
    result = settings_value("portal.settings", "1", SECRET_KEY="x", INBOX_FETCH_DEADLINE="soon")
    assert result.returncode != 0
    assert "INBOX_FETCH_DEADLINE='soon' is not a number of seconds" in result.stderr


@pytest.mark.parametrize("value", ["0", "-1", "nan", "inf", "", "ten"])
def test_seconds_must_be_a_number_above_zero(value):
    with pytest.raises(ImproperlyConfigured, match=r"INBOX_FETCH_TIMEOUT=.* for example"):
        positive_seconds("INBOX_FETCH_TIMEOUT", value)


def test_seconds_may_be_fractions():
    assert positive_seconds("INBOX_FETCH_TIMEOUT", " 0.5 ") == 0.5


@pytest.mark.parametrize(("value", "least"), [("-1", 0), ("0", 1), ("1.5", 0), ("10MB", 1)])
def test_counts_must_be_whole_numbers_of_at_least_their_least(value, least):
    with pytest.raises(ImproperlyConfigured, match=f"at least {least}"):
        whole_number("INBOX_MAX_FEED_BYTES", value, least=least)


def test_counts_may_use_underscores():
    assert whole_number("INBOX_MAX_FEED_BYTES", "10_485_760", least=1) == 10_485_760
