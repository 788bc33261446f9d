"""What nginx's micro-cache in front of the portal may keep, and how long.

nginx (``deploy/nginx-portal.conf``) keeps only the answers that carry
``X-Accel-Expires``, which the page cache's middleware sets on pages every
visitor may share; nginx reads it and never passes it on. Its value is an
absolute time, worked out for every answer (a page served from the page cache
included): the end of the ``EDGE_CACHE_SECONDS``-th whole second from now, so
with the default of 1 a copy is kept until the next second begins.

nginx counts whole seconds. A relative "1" would keep a copy one to two seconds;
then, once stale, the copy is still served, for ``STALE_SECONDS`` (the
``stale-while-revalidate`` of Cache-Control), to whoever asks while one request
renders the page anew: a crowd arriving just then costs one render. With the
absolute time, a publication shows through nginx within ``EDGE_CACHE_SECONDS +
STALE_SECONDS`` seconds (2 by default), plus one render.

nginx reads ``stale-while-revalidate`` only from a Cache-Control header that
comes before ``X-Accel-Expires``: ``mark()`` adds them in that order.
"""

import time

from django.conf import settings
from django.http import HttpResponseBase
from django.utils.cache import patch_cache_control

HEADER = "X-Accel-Expires"
STALE_SECONDS = 1


def expiry() -> str:
    """The ``X-Accel-Expires`` value of an answer made now ("0": not kept)."""
    seconds = settings.EDGE_CACHE_SECONDS
    if seconds <= 0:
        return "0"
    return f"@{int(time.time()) + seconds - 1}"


def mark(response: HttpResponseBase) -> None:
    """Let nginx keep ``response``, which every visitor may share."""
    if settings.EDGE_CACHE_SECONDS > 0:
        patch_cache_control(response, stale_while_revalidate=STALE_SECONDS)
    response[HEADER] = expiry()
