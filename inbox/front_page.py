"""The inbox's warnings on the admin's front page: sources that need an operator's eye."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone

from .health import unwell
from .models import Source

SHOWN = 5


def source_warnings(request: HttpRequest) -> list[str]:
    """One line per unwell source (``health.unwell``), a few at most, for users who see them."""
    if not request.user.has_perm("inbox.view_source"):
        return []
    found = unwell(Source.objects.filter(active=True), now=timezone.now())
    lines = [f"Источник «{source.name}»: {message}" for source, message in found[:SHOWN]]
    if len(found) > SHOWN:
        lines.append(f"И ещё источников с неполадками: {len(found) - SHOWN} (см. «Источники»).")
    return lines
