#!/usr/bin/env python
"""Django's command-line utility for the portal (``manage.py help`` lists the commands)."""

import os
import sys
from pathlib import Path

DEVELOPMENT_SETTINGS = "portal.settings"
# Written once by `make run`; never read under any other settings (production's included).
LOCAL_SECRET_KEY = Path(__file__).resolve().parent / "var" / "secret_key"


def use_local_secret_key() -> None:
    """Local development without SECRET_KEY in the environment: the key `make run` made."""
    if os.environ.get("SECRET_KEY") or os.environ["DJANGO_SETTINGS_MODULE"] != DEVELOPMENT_SETTINGS:
        return
    try:
        key = LOCAL_SECRET_KEY.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return  # the settings say what to do
    except OSError as error:
        sys.exit(f"manage.py: cannot read {LOCAL_SECRET_KEY} ({error.strerror}): export SECRET_KEY")
    if key:
        os.environ["SECRET_KEY"] = key


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEVELOPMENT_SETTINGS)
    use_local_secret_key()
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as error:
        # A setting to fix: one line that says how, not a traceback.
        sys.exit(f"manage.py: configuration error: {error}")


if __name__ == "__main__":
    main()
