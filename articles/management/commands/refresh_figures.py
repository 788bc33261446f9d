"""Count the figures kept as data again from the links: a repair after writes
that went around the application (raw SQL, a partial restore)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from articles.figures import recount_figures
from articles.models import DailyTagUses
from companies.models import DailyMentions


class Command(BaseCommand):
    help = (
        "Count mentions per entity and uses per tag per day again from the article "
        "links (the figures of the home page, entity pages and lists)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count, report, and write nothing."
        )

    def handle(self, *args, **options):
        with transaction.atomic():
            before = _snapshot()
            recount_figures()
            after = _snapshot()
            if options["dry_run"]:
                transaction.set_rollback(True)
        changed = len(before ^ after)
        suffix = " (dry run: nothing written)" if options["dry_run"] else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"Figures counted again: {len(after)} rows, {changed} differed{suffix}."
            )
        )


def _snapshot() -> set[tuple]:
    mentions = DailyMentions.objects.values_list("kind", "entity_id", "day", "count")
    tags = DailyTagUses.objects.values_list("tag_id", "day", "count")
    return set(mentions.iterator()) | {("tag", *row) for row in tags.iterator()}
