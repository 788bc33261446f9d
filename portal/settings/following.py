"""Readers following entities by email: links in mail, limits, sending (following/).

Part of the default settings (``portal/settings/__init__.py`` imports them all).

SITE_URL                 the site's address as readers reach it, for links in mail
                         (default http://127.0.0.1:8000; production: https://<host>)
FOLLOWING_CONFIRM_DAYS   days a confirmation link works; unconfirmed addresses are
                         removed after them (default 3)
FOLLOWING_CONFIRMATIONS_PER_ADDRESS
                         confirmation mails one address gets in an hour (default 3);
                         past it the request is kept, unconfirmed, and no mail goes
FOLLOWING_CONFIRMATIONS_PER_CLIENT
                         follow requests one client address may make in an hour
                         (default 10); past it the answer is 429 and nothing is kept
"""

import os

from portal.setting_values import whole_number

__all__ = [
    "FOLLOWING_CONFIRMATIONS_PER_ADDRESS",
    "FOLLOWING_CONFIRMATIONS_PER_CLIENT",
    "FOLLOWING_CONFIRM_DAYS",
    "SITE_URL",
]

SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").strip().rstrip("/")
FOLLOWING_CONFIRM_DAYS = whole_number(
    "FOLLOWING_CONFIRM_DAYS", os.environ.get("FOLLOWING_CONFIRM_DAYS", "3"), least=1
)
FOLLOWING_CONFIRMATIONS_PER_ADDRESS = whole_number(
    "FOLLOWING_CONFIRMATIONS_PER_ADDRESS",
    os.environ.get("FOLLOWING_CONFIRMATIONS_PER_ADDRESS", "3"),
    least=1,
)
FOLLOWING_CONFIRMATIONS_PER_CLIENT = whole_number(
    "FOLLOWING_CONFIRMATIONS_PER_CLIENT",
    os.environ.get("FOLLOWING_CONFIRMATIONS_PER_CLIENT", "10"),
    least=1,
)
