"""What the admin's front page says about readers' mail when it needs an operator's eye.

Three things: messages that failed in the last day (the server's last answer says
why), retries that have gone on for over an hour (the server keeps refusing), and
messages that should have gone out long ago (no worker is sending them). Only for
users who may see the delivery records.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from portal.durations import duration

from .models import Delivery

FAILED_WITHIN = timedelta(hours=24)
RETRYING_FOR = timedelta(hours=1)
# A round runs every minute: a quarter of an hour late means none is running.
STALLED_AFTER = timedelta(minutes=15)


def failed_recently(*, now: datetime) -> str:
    failed = Delivery.objects.filter(
        status=Delivery.Status.FAILED, last_attempt_at__gte=now - FAILED_WITHIN
    )
    last = failed.order_by("-last_attempt_at").first()
    if last is None:
        return ""
    return (
        f"Письма читателям не доставлены за сутки: {failed.count()}. "
        f"Последний ответ сервера: «{last.last_response}»."
    )


def retrying_long(*, now: datetime) -> str:
    retrying = Delivery.objects.filter(
        status=Delivery.Status.RETRYING, first_attempt_at__lt=now - RETRYING_FOR
    )
    oldest = retrying.order_by("first_attempt_at").first()
    if oldest is None:
        return ""
    return (
        f"Письма читателям не уходят уже {duration(now - oldest.first_attempt_at)}: "
        f"в повторе {retrying.count()}, последний ответ сервера: «{oldest.last_response}»."
    )


def waiting_since(*, now: datetime) -> datetime | None:
    """Since when the longest-waiting due message has been due, if over STALLED_AFTER."""
    cutoff = now - STALLED_AFTER
    late = [
        Delivery.objects.filter(status=Delivery.Status.QUEUED, created_at__lt=cutoff)
        .order_by("created_at")
        .values_list("created_at", flat=True)
        .first(),
        Delivery.objects.filter(status=Delivery.Status.RETRYING, next_attempt_at__lt=cutoff)
        .order_by("next_attempt_at")
        .values_list("next_attempt_at", flat=True)
        .first(),
        Delivery.objects.filter(status=Delivery.Status.SENDING, claimed_until__lt=cutoff)
        .order_by("claimed_until")
        .values_list("claimed_until", flat=True)
        .first(),
    ]
    return min((moment for moment in late if moment is not None), default=None)


def stalled(*, now: datetime) -> str:
    since = waiting_since(now=now)
    if since is None:
        return ""
    cutoff = now - STALLED_AFTER
    count = Delivery.objects.filter(
        Q(status=Delivery.Status.QUEUED, created_at__lt=cutoff)
        | Q(status=Delivery.Status.RETRYING, next_attempt_at__lt=cutoff)
        | Q(status=Delivery.Status.SENDING, claimed_until__lt=cutoff)
    ).count()
    return (
        f"Письма читателям ждут отправки уже {duration(now - since)} ({count}): запущен ли "
        "обработчик задач (manage.py qcluster, служба portal-worker)?"
    )


def sending_warnings(request: HttpRequest) -> list[str]:
    """The front page's warnings about readers' mail (``portal.desk_warnings``)."""
    if not request.user.has_perm("following.view_delivery"):
        return []
    now = timezone.now()
    found = (failed_recently(now=now), retrying_long(now=now), stalled(now=now))
    return [warning for warning in found if warning]
