"""Mail: how the portal sends readers' messages, and how fast (following/sending.py).

Part of the default settings (``portal/settings/__init__.py`` imports them all);
production requires ``EMAIL_URL`` (``production.py``).

EMAIL_URL              where mail goes, in dj-email-url's format:
                       smtp://user:password@smtp.example.org:587/?tls=True (STARTTLS),
                       smtp://user:password@smtp.example.org:465/?ssl=True (TLS from the
                       start), submission://user:password@host (587 with STARTTLS),
                       console: (standard output), file:/path/to/folder.
                       Unset (development only): one file per sending round in var/mail/
DEFAULT_FROM_EMAIL     the sender readers see (default «Новости промышленности <news@localhost>»)
EMAIL_TIMEOUT          seconds any one wait on the mail server may take (default 10; the
                       URL's ?timeout= wins)
FOLLOWING_SEND_RATE    messages per second at most (default 10): providers limit it
FOLLOWING_BATCH_SIZE   messages one sending round takes, over one connection (default 200)
FOLLOWING_MAX_ATTEMPTS tries before a temporary failure counts as final (default 6)
FOLLOWING_RETRY_SECONDS  the first retry's delay; each next one doubles it (default 300)
"""

import os
import urllib.parse
from pathlib import Path

import dj_email_url
from django.core.exceptions import ImproperlyConfigured

from portal.setting_values import positive_seconds, whole_number

__all__ = [
    "DEFAULT_FROM_EMAIL",
    "EMAIL_BACKEND",
    "EMAIL_FILE_PATH",
    "EMAIL_HOST",
    "EMAIL_HOST_PASSWORD",
    "EMAIL_HOST_USER",
    "EMAIL_PORT",
    "EMAIL_TIMEOUT",
    "EMAIL_USE_SSL",
    "EMAIL_USE_TLS",
    "FOLLOWING_BATCH_SIZE",
    "FOLLOWING_MAX_ATTEMPTS",
    "FOLLOWING_RETRY_SECONDS",
    "FOLLOWING_SEND_RATE",
    "SERVER_EMAIL",
]

MAIL_DIR = Path(__file__).resolve().parents[2] / "var" / "mail"
EXPECTED = (
    "smtp://user:password@host:587/?tls=True (or ?ssl=True on 465; user and password "
    "percent-encoded), console: or file:/folder"
)


def hide_password(url: str) -> str:
    """``url`` fit for an error message: the password replaced by ***."""
    parts = urllib.parse.urlsplit(url)
    if parts.password is None:
        return url
    user = parts.username or ""
    host = parts.netloc.rpartition("@")[2]
    return urllib.parse.urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))


def email_settings(url: str, *, timeout: float) -> dict:
    """Django's EMAIL_* settings from an ``EMAIL_URL``, or a one-line error saying what to write."""
    shown = hide_password(url)
    scheme = urllib.parse.urlsplit(url).scheme
    if scheme not in dj_email_url.SCHEMES:
        known = ", ".join(sorted(dj_email_url.SCHEMES))
        raise ImproperlyConfigured(
            f"EMAIL_URL={shown!r}: unknown scheme {scheme!r} (one of {known}); expected {EXPECTED}"
        )
    try:
        parsed = dj_email_url.parse(url)
    except ValueError as error:
        # A port or ?timeout= that is not a number; the error's text never holds the password.
        raise ImproperlyConfigured(
            f"EMAIL_URL={shown!r} cannot be read ({error}); expected {EXPECTED}"
        ) from None
    if scheme == "file":
        # dj-email-url drops the path's first character (file:/var/x would be var/x).
        parsed["EMAIL_FILE_PATH"] = urllib.parse.unquote(urllib.parse.urlsplit(url).path)
        if not parsed["EMAIL_FILE_PATH"]:
            raise ImproperlyConfigured(
                f"EMAIL_URL={shown!r} names no folder: write file:/path/to/folder"
            )
    # Django expects strings where the URL has no user or password.
    parsed["EMAIL_HOST_USER"] = parsed["EMAIL_HOST_USER"] or ""
    parsed["EMAIL_HOST_PASSWORD"] = parsed["EMAIL_HOST_PASSWORD"] or ""
    parsed["EMAIL_HOST"] = parsed["EMAIL_HOST"] or "localhost"
    parsed["EMAIL_PORT"] = parsed["EMAIL_PORT"] or 25
    # A server that never answers must not hold a worker: Django waits forever without one.
    parsed["EMAIL_TIMEOUT"] = parsed["EMAIL_TIMEOUT"] or timeout
    return parsed


def send_rate(value: str) -> float:
    """``FOLLOWING_SEND_RATE``: messages per second, above zero."""
    try:
        rate = float(value)
    except ValueError:
        rate = float("nan")
    if not 0 < rate < float("inf"):
        raise ImproperlyConfigured(
            f"FOLLOWING_SEND_RATE={value!r} is not a number of messages per second above "
            "zero: set it to your provider's limit, for example FOLLOWING_SEND_RATE=10"
        )
    return rate


def development_mail() -> dict:
    """No EMAIL_URL: every sending round writes its messages into one file in var/mail/."""
    return email_settings(f"file:{MAIL_DIR}", timeout=10)


EMAIL_URL = os.environ.get("EMAIL_URL", "").strip()
_timeout = positive_seconds("EMAIL_TIMEOUT", os.environ.get("EMAIL_TIMEOUT", "10"))
_mail = email_settings(EMAIL_URL, timeout=_timeout) if EMAIL_URL else development_mail()

EMAIL_BACKEND = _mail["EMAIL_BACKEND"]
EMAIL_HOST = _mail["EMAIL_HOST"]
EMAIL_PORT = _mail["EMAIL_PORT"]
EMAIL_HOST_USER = _mail["EMAIL_HOST_USER"]
EMAIL_HOST_PASSWORD = _mail["EMAIL_HOST_PASSWORD"]
EMAIL_USE_TLS = _mail["EMAIL_USE_TLS"]
EMAIL_USE_SSL = _mail["EMAIL_USE_SSL"]
EMAIL_TIMEOUT = _mail["EMAIL_TIMEOUT"]
EMAIL_FILE_PATH = _mail["EMAIL_FILE_PATH"] or str(MAIL_DIR)

DEFAULT_FROM_EMAIL = (
    os.environ.get("DEFAULT_FROM_EMAIL", "").strip()
    or _mail.get("DEFAULT_FROM_EMAIL")
    or "Новости промышленности <news@localhost>"
)
# Django's own messages to the operators (errors) come from the same address.
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", "").strip() or _mail.get(
    "SERVER_EMAIL", DEFAULT_FROM_EMAIL
)

FOLLOWING_SEND_RATE = send_rate(os.environ.get("FOLLOWING_SEND_RATE", "10"))
FOLLOWING_BATCH_SIZE = whole_number(
    "FOLLOWING_BATCH_SIZE", os.environ.get("FOLLOWING_BATCH_SIZE", "200"), least=1
)
FOLLOWING_MAX_ATTEMPTS = whole_number(
    "FOLLOWING_MAX_ATTEMPTS", os.environ.get("FOLLOWING_MAX_ATTEMPTS", "6"), least=1
)
FOLLOWING_RETRY_SECONDS = positive_seconds(
    "FOLLOWING_RETRY_SECONDS", os.environ.get("FOLLOWING_RETRY_SECONDS", "300")
)
