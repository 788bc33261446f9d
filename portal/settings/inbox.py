"""The inbox's settings: how it fetches its sources (inbox/fetching.py).

Part of the default settings (``portal/settings/__init__.py`` imports them all);
production refuses private addresses by default (``production.py``).

INBOX_FETCH_TIMEOUT   seconds any one wait may take: connecting, each read (default 10)
INBOX_FETCH_DEADLINE  seconds the whole fetch may take, redirects included, however
                      slowly a server keeps sending (default 30)
INBOX_MAX_FEED_BYTES  the largest feed taken, counted unpacked as it streams in
                      (default 10485760, 10 MB)
INBOX_MAX_REDIRECTS   redirects followed before giving up (default 5)
INBOX_ALLOW_PRIVATE_ADDRESSES  "1": sources may be on private, loopback, link-local,
                      reserved or multicast addresses (default here; "0" in production)
INBOX_FOLDER_ROOTS    comma-separated full paths of the folders whose subfolders may be
                      folder sources (default here: var/inbox in the project; none in
                      production, where folder sources are refused until it is set)
"""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from portal.setting_values import env_flag, env_list, positive_seconds, whole_number

__all__ = [
    "INBOX_ALLOW_PRIVATE_ADDRESSES",
    "INBOX_FETCH_DEADLINE",
    "INBOX_FETCH_TIMEOUT",
    "INBOX_FOLDER_ROOTS",
    "INBOX_MAX_FEED_BYTES",
    "INBOX_MAX_REDIRECTS",
]

DEVELOPMENT_FOLDER_ROOT = Path(__file__).resolve().parents[2] / "var" / "inbox"


def folder_roots(default: str) -> list[Path]:
    """``INBOX_FOLDER_ROOTS`` (else ``default``) as paths; a relative one refused."""
    roots = [Path(value) for value in env_list("INBOX_FOLDER_ROOTS", default)]
    for root in roots:
        if not root.is_absolute():
            raise ImproperlyConfigured(
                f"INBOX_FOLDER_ROOTS: «{root}» is not a full path; give the folders that "
                "may hold folder sources as full paths (starting with /), separated by commas"
            )
    return roots


INBOX_FETCH_TIMEOUT = positive_seconds(
    "INBOX_FETCH_TIMEOUT", os.environ.get("INBOX_FETCH_TIMEOUT", "10")
)
INBOX_FETCH_DEADLINE = positive_seconds(
    "INBOX_FETCH_DEADLINE", os.environ.get("INBOX_FETCH_DEADLINE", "30")
)
INBOX_MAX_FEED_BYTES = whole_number(
    "INBOX_MAX_FEED_BYTES", os.environ.get("INBOX_MAX_FEED_BYTES", str(10 * 1024 * 1024)), least=1
)
INBOX_MAX_REDIRECTS = whole_number(
    "INBOX_MAX_REDIRECTS", os.environ.get("INBOX_MAX_REDIRECTS", "5"), least=0
)
# Allowed in development, for feeds served on this machine; production refuses
# them, so that an address typed into a source cannot reach the servers behind
# the firewall (metadata services, databases, the admin).
INBOX_ALLOW_PRIVATE_ADDRESSES = env_flag("INBOX_ALLOW_PRIVATE_ADDRESSES", default=True)
# A folder source reads files with the worker's rights: only below these folders,
# so that an address typed into a source cannot read the server's other files.
INBOX_FOLDER_ROOTS = folder_roots(str(DEVELOPMENT_FOLDER_ROOT))
