"""The following app's background jobs, run by django-q2's workers (``manage.py qcluster``).

Three schedules, made by migrations: every minute ``send_digests`` (alerts within
minutes of publication, digests at each reader's own hour) and ``send_due`` (retries
whose time has come, whatever a round that died left behind); every day
``remove_unconfirmed``. Functions are queued by dotted name
(``async_task("following.jobs.send_due")``), so each takes and returns plain data.
"""

from __future__ import annotations

import logging

from django.utils import timezone
from django_q.tasks import async_task

from . import cleanup, sending
from .digests.build import build_due

logger = logging.getLogger(__name__)

SEND = "following.jobs.send_due"
SEND_SCHEDULE = "Письма читателям: отправка того, чей срок настал"
DIGESTS_SCHEDULE = "Подписки: оповещения и подборки, чей срок настал"
CLEANUP_SCHEDULE = "Подписки: удаление неподтверждённых адресов"


def enqueue_send() -> str:
    """Queue a sending round (a confirmation was asked for, a digest was made)."""
    return async_task(SEND, task_name="Письма читателям", group="following")


def send_due() -> int:
    """The job: send a batch of what is due; how many went out. A full batch queues the
    next round at once, so a long queue drains at the configured rate, not a batch a minute."""
    report = sending.send_round()
    if report.claimed >= sending.batch_size():
        enqueue_send()
    return report.sent


def send_digests() -> dict[str, int]:
    """The scheduled job: make the records of what is due, then queue a sending round."""
    report = build_due()
    if report.total:
        logger.info("alerts and digests: %s", report.line())
        enqueue_send()
    return report.made


def remove_unconfirmed() -> int:
    """The daily job: forget addresses and subscriptions never confirmed; how many went."""
    return cleanup.remove_unconfirmed(now=timezone.now())
