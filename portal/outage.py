"""A friendly 503 page while the database is down, instead of a server error.

When the database cannot be reached (the server is stopped, restarting, or refuses
connections), any query raises ``OperationalError`` or ``InterfaceError``, and Django
would answer 500 with its error page. ``DatabaseOutageMiddleware`` turns those
answers into 503 "Service Unavailable" with ``Retry-After``: the right status for a
temporary fault (crawlers come back later instead of dropping pages), and a page
that tells visitors the site will be back soon.

Django converts an exception into a response inside each middleware layer, so the
exception itself never reaches an outer middleware. The ``got_request_exception``
signal, sent while the exception is being handled, marks the request instead; the
middleware then swaps the 500 response of a marked request for the 503 page.

The page renders without the database: no context processors run (the template
gets the site name and links, which need none), and nothing reads the session or
the user. Persistent connections recover by themselves once the database is back:
with ``CONN_HEALTH_CHECKS`` a broken connection is noticed at the start of the next
request and replaced.

Place the middleware after ``SecurityMiddleware`` (its headers then reach the 503
page too) and before anything that reads the database (the page cache, sessions,
authentication).
"""

from __future__ import annotations

import sys

from django.conf import settings
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.template.loader import render_to_string

from .context_processors import site_links

OUTAGE_ERRORS = (OperationalError, InterfaceError)
# Seconds a client should wait before trying again: a restart usually takes less.
RETRY_AFTER = 30
MARK = "_portal_database_outage"


def is_database_outage(error: BaseException | None) -> bool:
    """Whether ``error`` (or an exception it was raised from) means the database is unreachable."""
    seen = 0
    while error is not None and seen < 5:
        if isinstance(error, OUTAGE_ERRORS):
            return True
        error = error.__cause__ or error.__context__
        seen += 1
    return False


def _note_outage(sender, request: HttpRequest | None = None, **kwargs) -> None:
    # Sent from within Django's ``except`` block: sys.exc_info() is the view's exception.
    if request is not None and is_database_outage(sys.exc_info()[1]):
        setattr(request, MARK, True)


def outage_response(request: HttpRequest) -> HttpResponse:
    """The 503 page, rendered without touching the database."""
    context = {"site_name": settings.SITE_NAME, "links_": site_links(), "request": request}
    body = "" if request.method == "HEAD" else render_to_string("503.html", context)
    response = HttpResponse(body, status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER)
    # Neither browsers nor proxies may keep it: the site is back in seconds.
    response["Cache-Control"] = "no-store"
    # The clickjacking middleware sits inside and never sees this page.
    response["X-Frame-Options"] = getattr(settings, "X_FRAME_OPTIONS", "DENY")
    return response


class DatabaseOutageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        got_request_exception.connect(_note_outage, dispatch_uid="portal-database-outage")

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if response.status_code == 500 and getattr(request, MARK, False):
            # Django logs the exception, and then this answer as "Service Unavailable".
            return outage_response(request)
        return response
