"""Warnings on the admin's front page: what needs an operator's eye, from every app.

The core never imports an app: each app registers, from its ``AppConfig.ready()``,
a function that takes the request and returns its warnings as sentences (none when
all is well, or when the user may not see what they are about). The desk's front
page (``admin_site.DeskAdminSite.index``) shows them all above the list of apps.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.http import HttpRequest

Source = Callable[[HttpRequest], list[str]]

log = logging.getLogger(__name__)
_sources: list[Source] = []


def register(source: Source) -> None:
    """Add ``source`` (once, however often ``ready()`` runs)."""
    if source not in _sources:
        _sources.append(source)


def warnings_for(request: HttpRequest) -> list[str]:
    """Every registered app's warnings for this request, in the order they registered.

    A warning function that breaks is logged and skipped: the front page must open,
    the more so when something is wrong."""
    found: list[str] = []
    for source in _sources:
        try:
            found.extend(source(request))
        except Exception:
            log.exception("desk warnings from %s failed", getattr(source, "__qualname__", source))
    return found
