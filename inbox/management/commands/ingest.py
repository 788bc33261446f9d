"""Poll the inbox's sources from the shell: queue the polls, or run them here and now."""

from django.core.management.base import BaseCommand, CommandError

from inbox import jobs
from inbox.models import Source


class Command(BaseCommand):
    help = (
        "Poll the inbox's active sources (or one with --source). Without --once, queue "
        "their polls for the worker (manage.py qcluster). With --once, poll them in this "
        "process, one after another, link the new items, and print a line per source; "
        "a source a worker is polling at that moment is skipped (its lease)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--source", type=int, metavar="ID", help="only this source")
        parser.add_argument(
            "--once", action="store_true", help="poll now in this process and wait for the result"
        )

    def handle(self, *args, source, once, **options):
        sources = self._sources(source)
        if not once:
            for each in sources:
                jobs.enqueue_poll(each, force=True)
            self.stdout.write(f"Queued {len(sources)} polls for the worker (manage.py qcluster)")
            return
        failed = 0
        for each in sources:
            # Linked here; NER is slow and large: the suggestions stay a job for the worker.
            report = jobs.poll_and_link(each.pk, force=True)
            failed += report.outcome == "failed"
            style = self.style.ERROR if report.outcome == "failed" else self.style.SUCCESS
            self.stdout.write(style(report.line()))
        if failed:
            raise CommandError(f"{failed} of {len(sources)} sources failed (the reasons above)")

    def _sources(self, source_id: int | None) -> list[Source]:
        if source_id is None:
            sources = list(Source.objects.filter(active=True).order_by("pk"))
            if not sources:
                raise CommandError(
                    "No active sources: add one with manage.py add_source URL --kind …"
                )
            return sources
        source = Source.objects.filter(pk=source_id).first()
        if source is None:
            raise CommandError(
                f"--source {source_id}: no such source (the admin's «Источники» lists them)"
            )
        return [source]
