"""Make the alerts and digests that are due and send them: what the worker's schedule does."""

from django.core.management.base import BaseCommand
from django.db import transaction

from following import sending
from following.digests.build import build_due


class Command(BaseCommand):
    help = (
        "Make every alert and digest that is due (a reader's local hour and weekday come) "
        "and send the queued messages. --now: every pending digest whatever the hour (the "
        "periods stay each reader's local day and week, so running it twice sends nothing "
        "twice)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--now", action="store_true", help="make the pending digests whatever the hour"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="count what would be made; make and send nothing"
        )

    def handle(self, *args, now, dry_run, verbosity, **options):
        if dry_run:
            with transaction.atomic():
                report = build_due(any_hour=now)
                transaction.set_rollback(True)
            if verbosity:
                self.stdout.write(report.line().replace("made", "would make", 1) + ", sent 0")
            return
        # Each batch of records is committed as it is written: a build that stops
        # half-way keeps them, and the next one makes only the rest.
        report = build_due(any_hour=now)
        sent = self._send_all()
        if verbosity:
            self.stdout.write(self.style.SUCCESS(f"{report.line()}, sent {sent}"))

    def _send_all(self) -> int:
        """Sending rounds until one sends nothing (all sent, or the rest wait for a retry)."""
        sent = 0
        while batch := sending.send_due():
            sent += batch
        return sent
