"""Scan articles for names the catalog lacks and store them as suggestions for editors."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from articles.suggestions import scan_articles


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            f"--since {value!r} is not a date: write it as YYYY-MM-DD, e.g. 2025-08-16."
        ) from None


class Command(BaseCommand):
    help = (
        "Find people, organisations, places (natasha NER) and vehicle models (capitalised "
        "Latin words) that the catalog lacks, and store them as suggestions for the admin. "
        "Loads ~300 MB of language models: run it as a job, not in a web worker."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--since",
            metavar="YYYY-MM-DD",
            help="Only articles dated that day or later (site time zone). Default: all.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would be stored; write nothing."
        )

    def handle(self, *args, **options):
        since = _date(options["since"]) if options["since"] else None
        report = scan_articles(since=since, dry_run=options["dry_run"])
        if options["verbosity"] >= 2:
            for name, kind, mentions in report.found:
                self.stdout.write(f"{kind}: {name} ({mentions})")
        self.stdout.write(self.style.SUCCESS(report.summary()))
