"""The inbox's background jobs, run by django-q2's workers (``manage.py qcluster``).

Every minute the schedule (``DUE_SOURCES_SCHEDULE``, made by a migration) runs
``enqueue_due_sources``, which queues a ``poll_source`` job per due source. A poll
links the items it stored (new or changed text) before it returns: linking is a
few milliseconds an item, and an item in the inbox should show its entities as soon
as it is there. Only their suggestions (natasha's NER, seconds per item) are queued
as a job of their own, so a slow NER pass never holds up the next feed or the
linking of another. The functions are called by dotted name
(``async_task("inbox.jobs.poll_source", …)``), so each takes and returns plain data.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Q
from django.utils import timezone
from django_q.tasks import async_task

from . import linking, polling
from .models import Source

DUE_SOURCES_SCHEDULE = "Входящие: опрос источников, чей срок настал"
POLL = "inbox.jobs.poll_source"
SUGGEST = "inbox.jobs.suggest_items"


def enqueue_poll(source: Source, *, force: bool = False) -> str:
    """Queue a poll of ``source``; the task's id."""
    return async_task(
        POLL, source.pk, force=force, task_name=f"Опрос: {source.name}"[:100], group="inbox"
    )


def enqueue_due_sources() -> int:
    """The scheduled job: queue a poll of every active source whose time has come.

    A source queued twice (a slow queue, two schedulers) is polled once: the
    second job finds it leased or no longer due."""
    now = timezone.now()
    # A source being polled now is left out: its poll sets the next time.
    free = Q(claimed_until__isnull=True) | Q(claimed_until__lte=now)
    sources = list(Source.objects.due(now=now).filter(free).only("pk", "name"))
    for source in sources:
        enqueue_poll(source)
    return len(sources)


def enqueue_suggestions(item_ids: Sequence[int]) -> None:
    if item_ids:
        async_task(SUGGEST, list(item_ids), task_name="Предложения по входящим", group="inbox")


def poll_and_link(source_id: int, *, force: bool = False) -> polling.PollReport:
    """Poll one source (if its lease is free), link the items it stored, and queue
    their suggestions: what ``poll_source`` and ``manage.py ingest --once`` do."""
    report = polling.poll(source_id, force=force)
    changed = report.counts.changed_ids
    if changed:
        linking.link_items(item_ids=changed)
        enqueue_suggestions(changed)
    return report


def poll_source(source_id: int, force: bool = False) -> dict:
    """The job: poll one source, its new and changed items linked, their suggestions queued."""
    return poll_and_link(source_id, force=force).as_result()


def link_items(item_ids: list[int]) -> int:
    """The job: link items to the catalog again; how many changed. Polls link their
    own items; this is for re-linking queued by hand, and runs the jobs queued by
    an older version of the inbox that linked in a job of its own."""
    return linking.link_items(item_ids=item_ids)


def suggest_items(item_ids: list[int]) -> int:
    """The job: names the catalog lacks in the items; how many found."""
    return linking.suggest_for_items(item_ids=item_ids)
