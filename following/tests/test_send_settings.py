"""Mail settings: EMAIL_URL read into Django's, refused in one line without its password,
files in var/mail/ without it, and required in production."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from portal.settings.mail import MAIL_DIR, email_settings, send_rate

pytestmark = pytest.mark.once

ROOT = Path(__file__).resolve().parents[2]
FOREIGN = ("EMAIL_", "DEFAULT_FROM", "FOLLOWING_", "DJANGO_", "DATABASE_", "SECRET_", "DEBUG")


def settings_of(module: str, expression: str, **env: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith(FOREIGN)}
    return subprocess.run(
        [sys.executable, "-c", f"from {module} import *; print(repr(({expression})))"],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_a_providers_url_with_starttls():
    mail = email_settings(
        "smtp://news%40example.org:p%40ss@smtp.example.org:587/?tls=True", timeout=10
    )
    assert mail["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (mail["EMAIL_HOST"], mail["EMAIL_PORT"]) == ("smtp.example.org", 587)
    assert (mail["EMAIL_HOST_USER"], mail["EMAIL_HOST_PASSWORD"]) == ("news@example.org", "p@ss")
    assert mail["EMAIL_USE_TLS"] and not mail["EMAIL_USE_SSL"]
    assert mail["EMAIL_TIMEOUT"] == 10


def test_a_providers_url_with_tls_from_the_start_and_its_own_timeout():
    mail = email_settings("smtp://u:p@smtp.example.org:465/?ssl=True&timeout=20", timeout=10)
    assert mail["EMAIL_USE_SSL"] and not mail["EMAIL_USE_TLS"]
    assert mail["EMAIL_TIMEOUT"] == 20


def test_a_local_server_needs_no_user():
    mail = email_settings("smtp://localhost:25", timeout=10)
    assert (mail["EMAIL_HOST_USER"], mail["EMAIL_HOST_PASSWORD"]) == ("", "")


def test_a_folder_of_files():
    mail = email_settings("file:/srv/portal/var/outgoing", timeout=10)
    assert mail["EMAIL_FILE_PATH"] == "/srv/portal/var/outgoing"


@pytest.mark.parametrize(
    "url", ["smtpx://news:s3cret@smtp.example.org", "smtp://news:s3cret@smtp.example.org:58x7/"]
)
def test_a_bad_url_is_refused_in_one_line_without_its_password(url):
    with pytest.raises(ImproperlyConfigured) as refused:
        email_settings(url, timeout=10)
    message = str(refused.value)
    assert message.startswith("EMAIL_URL='smtp")
    assert "news:***@smtp.example.org" in message and "s3cret" not in message
    assert "smtp://user:password@host:587/?tls=True" in message
    assert "\n" not in message


def test_a_rate_that_is_not_a_number_is_refused_by_name():
    with pytest.raises(ImproperlyConfigured, match="FOLLOWING_SEND_RATE='fast'"):
        send_rate("fast")


def test_without_email_url_development_writes_files_into_var_mail():
    result = settings_of(
        "portal.settings", "EMAIL_BACKEND, EMAIL_FILE_PATH, EMAIL_TIMEOUT", DEBUG="1"
    )
    assert result.stdout.strip() == str(
        ("django.core.mail.backends.filebased.EmailBackend", str(MAIL_DIR), 10)
    ), result.stderr


def test_email_url_from_the_environment():
    result = settings_of(
        "portal.settings",
        "EMAIL_HOST, EMAIL_PORT, EMAIL_USE_TLS, DEFAULT_FROM_EMAIL",
        DEBUG="1",
        EMAIL_URL="submission://news:pw@smtp.example.org",
        DEFAULT_FROM_EMAIL="news@news.example.org",
    )
    assert result.stdout.strip() == "('smtp.example.org', 587, True, 'news@news.example.org')"


def test_production_refuses_to_start_without_email_url(tmp_path):
    result = settings_of(
        "portal.settings.production",
        "EMAIL_HOST",
        SECRET_KEY="mail-settings-test-" + "k7" * 30,
        ALLOWED_HOSTS="news.example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'production.sqlite3'}",
    )
    assert result.returncode != 0
    last = result.stderr.strip().splitlines()[-1]
    assert "Production settings need EMAIL_URL" in last
    assert "smtp://user:password@smtp.example.org:587/?tls=True" in last
