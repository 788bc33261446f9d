"""Whether a source needs an operator's eye, said in Russian.

A source is unwell when it has been failing for longer than ``HEALTH_INTERVALS`` of
its poll intervals, when its polls are that late (no worker is running), or when it
answers but has brought nothing new for ``SILENT_AFTER``.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from portal.durations import duration

from .models import Source

HEALTH_INTERVALS = 3
# Regional sources publish every few days at least; a week of nothing new usually
# means a feed that moved, leaving its old address serving a frozen copy.
SILENT_AFTER = timedelta(days=7)


def warning(source: Source, *, now: datetime) -> str:
    """What is wrong with the source, or "" when nothing is."""
    if not source.active:
        return ""
    limit = HEALTH_INTERVALS * source.interval_delta
    since_success = now - (source.last_success_at or source.created_at)
    if source.consecutive_failures and since_success > limit:
        return (
            f"Ошибки уже {duration(since_success)} ({source.consecutive_failures} опросов "
            f"подряд): {source.last_error}"
        )
    if now - source.next_poll_at > limit:
        return (
            f"Опрос опаздывает на {duration(now - source.next_poll_at)}: запущен ли обработчик "
            "задач (manage.py qcluster, служба portal-worker)?"
        )
    if source.last_success_at and not source.consecutive_failures:
        since_new = now - (source.last_new_item_at or source.created_at)
        if since_new > max(SILENT_AFTER, limit):
            return f"Нового нет уже {duration(since_new)}, хотя источник отвечает."
    return ""


def unwell(sources, *, now: datetime) -> list[tuple[Source, str]]:
    """The sources among ``sources`` with a warning, and the warning."""
    found = ((source, warning(source, now=now)) for source in sources)
    return [(source, message) for source, message in found if message]
