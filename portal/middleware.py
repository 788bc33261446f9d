"""The page cache in front of the views (how it stays correct: ``portal/cache.py``).

It sits first in ``MIDDLEWARE``, so a hit skips every other middleware (security
headers, locale, sessions, CSRF, authentication, messages), the URL resolver and
the view: one version read (a query; with Redis, usually the version this process
was told by pub/sub), one cache read (with Redis, usually the copy this process
keeps), one response object whose headers, those the other middleware added
included, were worked out when the page was stored.
Errors of the cache or of the version read never leave it: the page is then
rendered as if uncached, through the outage middleware's 503 if the database is
down.

Staff signed in to the admin get fresh pages, are never served from the cache
and never fill it, and their pages are marked private for proxies and browsers.
Everyone else is a visitor, whatever cookie they send: a session cookie that is no
live staff session is dropped from the request and the page is served, rendered
and stored as for anyone (``portal/visitors.py``, which also says what the check
costs).
"""

import hashlib

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date, quote_etag

from . import cache, edge, visitors

SAFE_METHODS = frozenset({"GET", "HEAD"})
# The load balancer's checks must reach the application every time.
UNCACHED_PATHS = frozenset({"/healthz", "/ok"})
CONDITIONAL_HEADERS = (
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_MATCH",
    "HTTP_IF_UNMODIFIED_SINCE",
)
# Only the session cookie changes a page, and anonymous pages are rendered
# without one; any other Vary (say, a compressing middleware's Accept-Encoding)
# would mean visitors must not share a copy.
SHAREABLE_VARY = frozenset({"cookie"})
UNSHAREABLE_CACHE_CONTROL = ("private", "no-store", "no-cache")


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        # The admin (wherever ADMIN_PATH puts it), and files, served with their own
        # validators: never worth a version read.
        files = [url for url in (settings.STATIC_URL, settings.MEDIA_URL) if url.startswith("/")]
        self.uncached_prefixes = ("/" + settings.ADMIN_PATH, *files)

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        path = request.path_info
        if (
            request.method not in SAFE_METHODS
            or path in UNCACHED_PATHS
            or path.startswith(self.uncached_prefixes)
        ):
            return self.get_response(request)
        if visitors.signed_in_staff(request):
            return self.personal(request)
        visitors.as_visitor(request)
        return self.anonymous(request)

    def personal(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        patch_cache_control(response, private=True, no_cache=True)
        patch_vary_headers(response, ["Cookie"])
        return response

    def anonymous(self, request: HttpRequest) -> HttpResponseBase:
        # Before the view reads the database: the page shows the content of this
        # moment or later, never earlier.
        rendered_at = timezone.now()
        key = version = None
        if settings.PAGE_CACHE:
            key = cache.page_key(request)
            found = cache.fetch_page(key)
            if found is not None:
                version, page = found
                if page is not None:
                    return self.from_cache(request, page)
        response = self.get_response(request)
        if not shareable(response):
            return response
        patch_cache_control(response, public=True, max_age=settings.PAGE_CACHE_MAX_AGE)
        patch_vary_headers(response, ["Cookie"])
        # Only answers marked so are kept by nginx's micro-cache: never a redirect,
        # an error or anything personal, whatever Cache-Control they carry.
        edge.mark(response)
        if not response.has_header("ETag"):
            digest = hashlib.md5(response.content, usedforsecurity=False).hexdigest()
            response["ETag"] = quote_etag(digest)
        # When this copy was made, not what a view may say (a feed's newest item):
        # that can move back, on unpublishing, and would answer 304 wrongly.
        last_modified = int(rendered_at.timestamp())
        response["Last-Modified"] = http_date(last_modified)
        # HEAD answers are not kept: a view may leave their body out.
        stored = version is not None and request.method == "GET"
        if stored:
            try:
                expires = cache.page_expiry(rendered_at=rendered_at)
            except DatabaseError:
                # The database went away after the page was rendered: the page is
                # served, not kept (this middleware stands outside the outage one).
                stored = False
        if stored:
            page = cache.CachedPage(
                version=version,
                expires=expires,
                etag=response["ETag"],
                last_modified=last_modified,
                headers=(*response.items(), ("X-Cache", "HIT")),
                content=response.content,
            )
            cache.store_page(key, page)
        response = conditional(request, response, response["ETag"], last_modified)
        if stored:
            # For operators and benchmarks: was the cache asked, and did it know the page?
            response["X-Cache"] = "MISS"
        return response

    def from_cache(self, request: HttpRequest, page: cache.CachedPage) -> HttpResponseBase:
        response = HttpResponse(page.content)
        # Straight into the header store: they were checked when the page was
        # stored, and setting them one by one again would cost a fifth of a hit.
        store = {name.lower(): (name, value) for name, value in page.headers}
        # An absolute time, so one of now; in the place it had, after Cache-Control.
        store["x-accel-expires"] = (edge.HEADER, edge.expiry())
        response.headers._store = store
        answer = conditional(request, response, page.etag, page.last_modified)
        if answer is not response:  # a 304 or 412 keeps few of the page's headers
            answer["X-Cache"] = "HIT"
        return answer


def shareable(response: HttpResponseBase) -> bool:
    """Whether every anonymous visitor may get this very response."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if any(directive in cache_control for directive in UNSHAREABLE_CACHE_CONTROL):
        return False
    vary = {header.strip().lower() for header in response.get("Vary", "").split(",")} - {""}
    return vary <= SHAREABLE_VARY


def conditional(
    request: HttpRequest, response: HttpResponseBase, etag: str, last_modified: int
) -> HttpResponseBase:
    """304 (or 412) when the request's validators say so, else ``response``."""
    if any(header in request.META for header in CONDITIONAL_HEADERS):
        return get_conditional_response(
            request, etag=etag, last_modified=last_modified, response=response
        )
    return response
