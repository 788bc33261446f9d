"""Readers following entities by email: links in mail, limits, sending (following/).

Part of the default settings (``portal/settings/__init__.py`` imports them all).

SITE_URL                 the site's address as readers reach it, for links in mail
                         (default http://127.0.0.1:8000; production: https://<host>)
FOLLOWING_CONFIRM_DAYS   days a confirmation link works; unconfirmed addresses are
                         removed after them (default 3)
"""

import os

from portal.setting_values import whole_number

__all__ = ["FOLLOWING_CONFIRM_DAYS", "SITE_URL"]

SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").strip().rstrip("/")
FOLLOWING_CONFIRM_DAYS = whole_number(
    "FOLLOWING_CONFIRM_DAYS", os.environ.get("FOLLOWING_CONFIRM_DAYS", "3"), least=1
)
