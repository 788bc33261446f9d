"""Generate a synthetic corpus of articles for load tests (see ``articles/corpus.py``)."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from articles import corpus
from articles.seeding import DEFAULT_CATALOG, LoadError, load_catalog
from articles.seeding.planner_statistics import refresh_after_bulk_write
from portal.cache import bump_content_version


class Command(BaseCommand):
    help = (
        "Create N synthetic articles (source key 'synthetic-…', tag «Синтетика») with entity "
        "links and tags, written in bulk. For load tests; never on a production database."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--articles", type=int, default=1000, help="How many articles (default 1000)."
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=1,
            help="Random seed: the same seed gives the same articles (default 1).",
        )
        parser.add_argument(
            "--years",
            type=int,
            default=4,
            help="Spread the dates over this many years up to today (default 4).",
        )
        parser.add_argument(
            "--until",
            type=dt.date.fromisoformat,
            default=None,
            help="The day the dates run up to, YYYY-MM-DD (default today); "
            "about 1%% of the articles are scheduled after it.",
        )
        parser.add_argument(
            "--entities",
            type=int,
            default=200,
            help="Test entities to add to the catalog first («Тестовый завод 7», "
            "«Testmark 3 Alpha»; default 200, 0 for the real catalog only).",
        )
        parser.add_argument(
            "--clear",
            action="store_true",
            help="Delete the synthetic articles and test entities first.",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=2000,
            help="Articles written per transaction (default 2000).",
        )

    def handle(self, *args, **options):
        if options["articles"] < 0 or options["years"] < 1 or options["batch_size"] < 1:
            raise CommandError("--articles must be 0 or more, --years and --batch-size 1 or more.")
        verbose = options["verbosity"] >= 1
        if options["clear"]:
            deleted = corpus.clear()
            if verbose:
                self.stdout.write(f"Deleted {deleted} synthetic articles and the test entities.")
        try:
            catalog_created, _kept = load_catalog(DEFAULT_CATALOG)
        except LoadError as exc:
            raise CommandError(f"{exc} (the real catalog is loaded first)") from None
        entities_created = corpus.add_synthetic_entities(options["entities"])
        if verbose and (catalog_created or entities_created):
            self.stdout.write(
                f"Catalog: {catalog_created} entities from {DEFAULT_CATALOG.name}, "
                f"{entities_created} test entities added."
            )

        def progress(done: int, seconds: float) -> None:
            if verbose:
                rate = done / seconds if seconds else 0
                self.stdout.write(f"  {done}/{options['articles']} articles ({rate:.0f}/s)")

        try:
            report = corpus.generate(
                count=options["articles"],
                seed=options["seed"],
                years=options["years"],
                until=options["until"],
                batch_size=options["batch_size"],
                progress=progress,
            )
        except ValueError as exc:
            raise CommandError(f"Cannot generate articles: {exc}.") from None
        if options["articles"] or options["clear"]:
            bump_content_version()
            refresh_after_bulk_write(options["articles"])
        if report.mismatched:
            self.stderr.write(
                self.style.WARNING(
                    f"{len(report.mismatched)} of {report.checked} articles checked with the "
                    f"linker have different links (first: {report.mismatched[0]}); "
                    "run `manage.py relink` to correct them."
                )
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {report.created} synthetic articles in {report.seconds:.1f} s "
                f"({report.rate:.0f} articles/s)"
            )
        )
