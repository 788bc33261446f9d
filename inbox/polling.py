"""One poll of one source: lease, fetch or read, parse, store, and the source's health.

A source's failure (``SourceError``: refused, timed out, not a feed...) is written
on the source in Russian and the next poll put off by the backoff; it never
reaches the other sources. Anything else is a defect: it is written on the source
as well, then raised for the job runner to record as a failed task.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field

from django.utils import timezone

from . import fetching, parsing
from .errors import SourceError
from .leases import claim, failure_health, release, success_health
from .models import Source
from .source_addresses import allowed_folder
from .storing import IngestCounts, ingest

logger = logging.getLogger(__name__)


@dataclass
class PollReport:
    """What one poll did, for the job's result, the command's line and the tests."""

    source_id: int
    source_name: str = ""
    # "new items" and friends in ``counts``; otherwise why nothing was stored.
    outcome: str = "polled"  # polled | not_modified | failed | busy
    counts: IngestCounts = field(default_factory=IngestCounts)
    error: str = ""

    def line(self) -> str:
        """One line per source for ``manage.py ingest --once``."""
        name = f"{self.source_name or 'source'} (#{self.source_id})"
        if self.outcome == "failed":
            return f"{name}: failed: {self.error}"
        if self.outcome == "busy":
            return f"{name}: skipped: another worker is polling it"
        if self.outcome == "not_modified":
            return f"{name}: unchanged (304 Not Modified)"
        line = f"{name}: {self.counts.summary()}"
        if self.counts.skipped:
            line += f", {len(self.counts.skipped)} entries skipped: " + " ".join(
                self.counts.skipped[:3]
            )
        return line

    def as_result(self) -> dict:
        """The job's result as the admin's task list shows it (plain data)."""
        return asdict(self)


def poll(source_id: int, *, force: bool = False) -> PollReport:
    """Poll a source if this worker gets its lease (and, unless forced, it is due)."""
    now = timezone.now()
    holder = claim(source_id, now=now, force=force)
    if holder is None:
        return PollReport(source_id, outcome="busy")
    source = Source.objects.get(pk=source_id)
    report = PollReport(source_id, source.name)
    try:
        etag, modified = _poll_claimed(source, report)
    except SourceError as error:
        report.outcome, report.error = "failed", str(error)
        release(source_id, holder=holder, **failure_health(source, now=now, message=str(error)))
        return report
    except BaseException as error:
        message = (
            f"Внутренняя ошибка при опросе ({type(error).__name__}); подробности в журнале "
            "обработчика задач. Следующий опрос будет как при сбое источника."
        )
        release(source_id, holder=holder, **failure_health(source, now=now, message=message))
        raise
    release(
        source_id,
        holder=holder,
        **success_health(
            source,
            now=now,
            new_items=report.counts.new,
            skipped=report.counts.skipped,
            etag=etag,
            modified=modified,
        ),
    )
    return report


def _poll_claimed(source: Source, report: PollReport) -> tuple[str, str]:
    """Read, parse and store into ``report``; the validators to keep (ETag, Last-Modified)."""
    if source.kind == Source.Kind.FOLDER:
        parsed = parsing.read_folder(allowed_folder(source.address))
        validators = ("", "")
    else:
        fetched = fetching.fetch(
            source.address, etag=source.etag, last_modified=source.last_modified
        )
        if fetched.content is None:
            report.outcome = "not_modified"
            # A 304 need not repeat the validators: the ones sent stay good.
            return (fetched.etag or source.etag, fetched.last_modified or source.last_modified)
        parsed = parsing.parse(
            fetched.content, kind=source.kind, content_type=fetched.content_type, url=fetched.url
        )
        validators = (fetched.etag, fetched.last_modified)
    report.counts = ingest(source, parsed.entries)
    report.counts.skipped[:0] = parsed.skipped
    logger.info("inbox: %s: %s", source.name, report.counts.summary())
    return validators
