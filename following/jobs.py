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


# --- alerts and digests ----------------------------------------------------------
# Every minute the schedule (made by a migration) runs ``send_digests``: alerts
# go out within minutes of publication, digests at each reader's own hour.

DIGESTS_SCHEDULE = "Подписки: оповещения и подборки, чей срок настал"


def send_digests() -> dict[str, int]:
    """The scheduled job: make the records of what is due, then queue a sending round."""
    # Imported here to keep this part's additions in one block.
    import logging

    from .digests.build import build_due

    report = build_due()
    if report.total:
        logging.getLogger(__name__).info("alerts and digests: %s", report.line())
        enqueue_send()
    return report.made
