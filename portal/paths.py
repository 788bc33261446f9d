"""Page URLs of slugged objects without a full ``reverse()`` per link.

A page lists dozens of links; ``reverse()`` costs tens of microseconds each. The
URL pattern is resolved once per process and the slug (always URL-safe) put in.
"""

from functools import cache

from django.urls import reverse

SENTINEL = "slug-placeholder-0"


@cache
def _around_slug(url_name: str) -> tuple[str, str]:
    head, tail = reverse(url_name, kwargs={"slug": SENTINEL}).split(SENTINEL)
    return head, tail


def slug_url(url_name: str, slug: str) -> str:
    head, tail = _around_slug(url_name)
    return f"{head}{slug}{tail}"
