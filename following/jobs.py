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
    """The job: send what is due; how many went out."""
    return sending.send_due()


# Following and confirming ----------------------------------------------------------

CLEANUP_SCHEDULE = "Подписки: удаление неподтверждённых адресов"  # migration 0002_i19follow_…


def remove_unconfirmed() -> int:
    """The daily job: forget addresses and subscriptions never confirmed; how many went."""
    # Imported here to keep this part's additions in one block.
    from django.utils import timezone

    from . import cleanup

    return cleanup.remove_unconfirmed(now=timezone.now())
