"""Staff or visitor: decided for the page cache, before the session middleware runs.

A session cookie proves nothing by itself: anyone can send one, and a cache that
skipped every request carrying one would render afresh for every made-up value.
A request counts as staff only when its cookie names a live session of an active
staff user; any other is a visitor's, passed on without the cookie (and without
an ``Authorization`` header, which nothing here reads), so that it is rendered,
stored and served exactly as for anyone else.

What it costs, per request:
- no session cookie (visitors): nothing;
- a cookie: one lookup in the session store (by primary key with the database
  engine) and, for a session with a user in it, one for the user. Staff pages
  are rendered anyway; a cookie found to be no staff session is remembered as
  such for a minute in this process (as a digest; at most 10,000, the oldest
  forgotten first), so a visitor who kept an old cookie costs one lookup a minute.
  Made-up values cost one indexed lookup each, not the render they used to force.

Remembering "no staff" is safe because a key never becomes a staff session:
signing in always issues a new session key (``login()`` cycles or flushes it).

A marker cookie set at sign-in would save the lookup, but sessions opened without
passing through the sign-in page (older sessions, ``Client.force_login``) would lose
their previews, and a marker still has to be checked against something.
"""

import hashlib
import logging
from importlib import import_module

from django.conf import settings
from django.contrib.auth import SESSION_KEY, get_user_model
from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.http import HttpRequest

from .lifetimes import RecentKeys

logger = logging.getLogger(__name__)

NOT_STAFF_SECONDS = 60
NOT_STAFF_LIMIT = 10_000
# Digests of session cookies that are no staff session (made up, expired, signed out).
not_staff = RecentKeys(seconds=NOT_STAFF_SECONDS, size=NOT_STAFF_LIMIT)


def signed_in_staff(request: HttpRequest) -> bool:
    """Whether ``request`` carries the session cookie of signed-in staff."""
    cookie = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not cookie:
        return False
    digest = hashlib.blake2b(cookie.encode(errors="replace"), digest_size=16).digest()
    if digest in not_staff:
        return False
    try:
        staff = staff_session(cookie)
    except DatabaseError as error:
        # A visitor's page (from the cache, maybe) is all anyone can get now; the
        # cookie is asked about again next time.
        logger.warning("Session lookup failed (%s); serving as a visitor", error)
        return False
    if not staff:
        not_staff.add(digest)
    return staff


def staff_session(session_key: str) -> bool:
    """Whether ``session_key`` names a live session of an active staff user."""
    session = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
    user_id = session.get(SESSION_KEY)  # an invalid or expired key reads as empty
    if user_id is None:
        return False
    users = get_user_model()._default_manager
    try:
        return users.filter(pk=user_id, is_active=True, is_staff=True).exists()
    except (ValueError, ValidationError):
        return False


def as_visitor(request: HttpRequest) -> None:
    """Pass ``request`` on as a visitor's: no session is opened, no one is signed in."""
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        request.COOKIES = {
            name: value
            for name, value in request.COOKIES.items()
            if name != settings.SESSION_COOKIE_NAME
        }
    request.META.pop("HTTP_AUTHORIZATION", None)
