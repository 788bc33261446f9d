"""Values from the environment made into settings, or refused in one line that says what to do.

Kept out of the settings modules, which run as they are imported, so that each
rule can be tested on its own. Production's ``SECRET_KEY``: at least Django's own
length (``check --deploy``'s W009), and not the placeholder of the example
environment file, read from that file rather than spelt out here, so whatever it
comes to say, a key copied from it is refused.
"""

import os
import re
from pathlib import Path

from django.core.checks.security.base import SECRET_KEY_INSECURE_PREFIX, SECRET_KEY_MIN_LENGTH
from django.core.exceptions import ImproperlyConfigured

EXAMPLE_ENV = Path(__file__).resolve().parents[1] / "deploy" / "portal.env.example"
GENERATE_SECRET_KEY = "python3 -c 'import secrets; print(secrets.token_urlsafe(50))'"


def env_flag(name: str, default: bool = False) -> bool:
    """An on/off setting: "1", "true", "yes" or "on" is on, anything else off."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def example_value(name: str, example: Path = EXAMPLE_ENV) -> str | None:
    """What the example environment file gives ``name`` (a ``NAME=value`` line), if anything."""
    try:
        lines = example.read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    for line in lines:
        key, equals, value = line.partition("=")
        if equals and key.strip() == name:
            return value.strip()
    return None


def production_secret_key(value: str, *, placeholder: str | None) -> str:
    """``value`` if it can sign production's sessions and tokens; else a one-line error."""
    fix = f"generate one with {GENERATE_SECRET_KEY} and set SECRET_KEY to it"
    if placeholder and value.strip() == placeholder:
        raise ImproperlyConfigured(
            f"SECRET_KEY is still the placeholder from {EXAMPLE_ENV.name}: {fix}"
        )
    if len(value) < SECRET_KEY_MIN_LENGTH:
        raise ImproperlyConfigured(
            f"SECRET_KEY has {len(value)} characters; production needs at least "
            f"{SECRET_KEY_MIN_LENGTH} random ones: {fix}"
        )
    if value.startswith(SECRET_KEY_INSECURE_PREFIX):
        raise ImproperlyConfigured(
            f"SECRET_KEY starts with {SECRET_KEY_INSECURE_PREFIX!r}, Django's mark of a "
            f"key made for development: {fix}"
        )
    return value


def admin_path(value: str) -> str:
    """``ADMIN_PATH`` as a URL pattern prefix: no leading slash, one trailing slash."""
    path = value.strip().strip("/")
    segment = r"[A-Za-z0-9_~-][A-Za-z0-9_.~-]*"
    if not re.fullmatch(rf"{segment}(/{segment})*", path):
        raise ImproperlyConfigured(
            f"ADMIN_PATH={value!r} is not a usable path: use Latin letters, digits, "
            "'-', '_', '.', '~' and '/', for example ADMIN_PATH=office-7f3c/"
        )
    return path + "/"


def address_failure_limit(value: str, *, pair_limit: int) -> int:
    """``AXES_ADDRESS_FAILURE_LIMIT``: it counts every user name tried from one address,
    so it must be above the limit for one name (``AXES_FAILURE_LIMIT``)."""
    limit = int(value)
    if limit <= pair_limit:
        raise ImproperlyConfigured(
            f"AXES_ADDRESS_FAILURE_LIMIT={limit} must be higher than AXES_FAILURE_LIMIT="
            f"{pair_limit} (it counts every user name tried from one address): raise it, "
            "for example to 4 times AXES_FAILURE_LIMIT"
        )
    return limit


def positive_seconds(name: str, value: str) -> float:
    """A duration in seconds, above zero: ``INBOX_FETCH_TIMEOUT`` and the like."""
    try:
        seconds = float(value)
    except ValueError:
        seconds = float("nan")
    if not 0 < seconds < float("inf"):
        raise ImproperlyConfigured(
            f"{name}={value!r} is not a number of seconds above zero: set it to one, "
            f"for example {name}=10"
        )
    return seconds


def whole_number(name: str, value: str, *, least: int) -> int:
    """A count or a size in bytes, at least ``least``: ``INBOX_MAX_FEED_BYTES`` and the like."""
    try:
        number = int(value.strip().replace("_", ""))
    except ValueError:
        number = least - 1
    if number < least:
        raise ImproperlyConfigured(
            f"{name}={value!r} is not a whole number of at least {least}: set it to one, "
            f"for example {name}={max(least, 5)}"
        )
    return number


def env_number(name: str, default: str) -> float:
    """A non-negative number from the environment, or an error naming the variable."""
    value = os.environ.get(name, default)
    try:
        number = float(value)
    except ValueError:
        number = -1.0
    if not number >= 0 or number == float("inf"):
        raise ImproperlyConfigured(f"{name}={value!r}: expected a number ≥ 0, such as {default}")
    return number


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]
