"""The following app's background jobs, run by django-q2's workers (``manage.py qcluster``).

Functions are queued by dotted name (``async_task("following.jobs.send_due")``), so
each takes and returns plain data.
"""

from __future__ import annotations

from django_q.tasks import async_task

from . import sending

SEND = "following.jobs.send_due"


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


# Every minute (a migration makes the schedule): retries whose time has come, and
# whatever a round that died left behind, go out without anyone asking.
SEND_SCHEDULE = "Письма читателям: отправка того, чей срок настал"


# Following and confirming ----------------------------------------------------------

CLEANUP_SCHEDULE = "Подписки: удаление неподтверждённых адресов"  # migration 0002_cleanup_schedule


def remove_unconfirmed() -> int:
    """The daily job: forget addresses and subscriptions never confirmed; how many went."""
    # Imported here to keep this part's additions in one block.
    from django.utils import timezone

    from . import cleanup

    return cleanup.remove_unconfirmed(now=timezone.now())
