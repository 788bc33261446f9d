"""Production refuses a weak SECRET_KEY and leaves uploads to the web server in front.

Each case loads the settings in a process of its own, as gunicorn would, with an
environment that holds only what the case sets.
"""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from portal.setting_values import EXAMPLE_ENV, example_value, production_secret_key

ROOT = Path(__file__).resolve().parents[2]
GENERATE = "python3 -c 'import secrets; print(secrets.token_urlsafe(50))'"
# Probes the media route the way a request would find it.
MEDIA_ROUTE = (
    "import django; django.setup(); from django.urls import resolve, Resolver404\n"
    "try:\n    resolve('/media/articles/2025/08/a.jpg'); print('routed')\n"
    "except Resolver404:\n    print('not routed')\n"
)


def load(code: str, *, settings: str = "portal.settings.production", **env: str):
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "SECRET_", "SERVE_", "MEDIA_", "DEBUG", "ALLOWED_"))
    }
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": settings,
            "ALLOWED_HOSTS": "news.example.org",
            "DATABASE_URL": "postgres://portal@127.0.0.1:5432/portal",
            "EMAIL_URL": "smtp://127.0.0.1:25",
            **env,
        },
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def refusal(secret_key: str) -> str:
    """The last line of what loading production settings with ``secret_key`` prints."""
    result = load("import portal.settings.production", SECRET_KEY=secret_key)
    assert result.returncode != 0
    return result.stderr.strip().splitlines()[-1]


# --- SECRET_KEY ---------------------------------------------------------------------


def test_the_example_placeholder_is_refused_with_what_to_do():
    placeholder = example_value("SECRET_KEY", EXAMPLE_ENV)
    assert placeholder, "deploy/portal.env.example gives SECRET_KEY a placeholder"
    line = refusal(placeholder)
    assert line == (
        "django.core.exceptions.ImproperlyConfigured: SECRET_KEY is still the placeholder "
        f"from portal.env.example: generate one with {GENERATE} and set SECRET_KEY to it"
    )


def test_the_placeholder_is_refused_whatever_its_length(tmp_path):
    # Read from the example file, not spelt out here: a longer placeholder there
    # would still be refused.
    example = tmp_path / "portal.env.example"
    long_placeholder = "change-me-" + "x" * 60
    example.write_text(f"# a comment\nSECRET_KEY={long_placeholder}\nDEBUG=0\n")
    placeholder = example_value("SECRET_KEY", example)
    assert placeholder == long_placeholder
    with pytest.raises(ImproperlyConfigured, match="still the placeholder"):
        production_secret_key(long_placeholder, placeholder=placeholder)


def test_a_missing_example_file_leaves_the_length_rule(tmp_path):
    assert example_value("SECRET_KEY", tmp_path / "absent.env") is None


@pytest.mark.parametrize("length", [1, 32, 49])
def test_a_short_key_is_refused_by_its_length(length):
    # Characters no message uses, so that finding the key in the line means it was printed.
    key = ("§¤" * length)[:length]
    line = refusal(key)
    assert f"SECRET_KEY has {length} characters; production needs at least 50" in line
    assert GENERATE in line
    assert key not in line  # the key itself is never printed


def test_a_django_development_key_is_refused():
    line = refusal("django-insecure-" + secrets.token_urlsafe(50))
    assert "starts with 'django-insecure-'" in line
    assert GENERATE in line


def test_a_long_random_key_is_taken():
    key = secrets.token_urlsafe(50)
    result = load("from django.conf import settings; print(settings.SECRET_KEY)", SECRET_KEY=key)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == key


# --- SERVE_MEDIA --------------------------------------------------------------------


def test_production_does_not_serve_media_by_default():
    result = load(MEDIA_ROUTE, SECRET_KEY=secrets.token_urlsafe(50))
    assert result.stdout.strip() == "not routed", result.stderr


def test_production_serves_media_when_asked():
    result = load(MEDIA_ROUTE, SECRET_KEY=secrets.token_urlsafe(50), SERVE_MEDIA="1")
    assert result.stdout.strip() == "routed", result.stderr


def test_development_serves_media_by_default():
    result = load(MEDIA_ROUTE, settings="portal.settings", DEBUG="1")
    assert result.stdout.strip() == "routed", result.stderr
