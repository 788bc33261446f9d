"""Load seed documents and the entity catalog, then link and tag the articles."""

import argparse
import codecs
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from articles.linking import refresh_positions
from articles.seeding import DEFAULT_CATALOG, MAX_BYTES, LoadError, load_documents
from portal.cache import bump_content_version


def byte_count(value: str) -> int:
    """A size in bytes, optionally with a K or M suffix (binary): 1048576, 512K, 2M."""
    units = {"K": 1024, "M": 1024 * 1024}
    text = value.strip().upper()
    factor = units.get(text[-1:], 1)
    try:
        number = int(text[:-1] if factor != 1 else text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a size: give bytes, or a number with K or M (e.g. 2M)"
        ) from None
    if number <= 0:
        raise argparse.ArgumentTypeError(f"{value!r}: the size must be positive")
    return number * factor


class Command(BaseCommand):
    help = (
        "Load seed documents (*.txt opening with 'date YYYY-MM-DD') and the entity catalog. "
        "All files are validated first; on any error nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "paths",
            nargs="*",
            type=Path,
            help="Seed files or folders (the *.txt files directly inside; symbolic links "
            "there that lead out of the folder are refused). Default: seeds/",
        )
        parser.add_argument(
            "--catalog",
            type=Path,
            default=DEFAULT_CATALOG,
            help="Entity catalog fixture to load first (default: seeds/catalog.json). "
            "Entities already in the database are kept as they are.",
        )
        parser.add_argument(
            "--no-catalog", action="store_true", help="Do not load the entity catalog."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would happen; write nothing."
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Overwrite articles an editor has changed since they were loaded.",
        )
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="Load the valid files and report the invalid ones instead of stopping.",
        )
        parser.add_argument(
            "--encoding",
            default="utf-8",
            help="Text encoding of the files, any Python codec (default utf-8; e.g. cp1251).",
        )
        parser.add_argument(
            "--max-bytes",
            type=byte_count,
            default=MAX_BYTES,
            help="Refuse files larger than this many bytes; K and M suffixes work "
            "(default 1M). Seed documents are a few kilobytes each.",
        )

    def handle(self, *args, **options):
        try:
            codecs.lookup(options["encoding"])
        except LookupError:
            raise CommandError(
                f"Unknown encoding {options['encoding']!r}: use a Python codec name "
                "such as utf-8 or cp1251."
            ) from None
        paths = options["paths"] or [Path(settings.BASE_DIR) / "seeds"]
        try:
            report = load_documents(
                paths=paths,
                catalog=None if options["no_catalog"] else options["catalog"],
                dry_run=options["dry_run"],
                force=options["force"],
                skip_invalid=options["skip_invalid"],
                encoding=options["encoding"],
                max_bytes=options["max_bytes"],
                # Counts, not a line per file: memory stays flat however many there are.
                keep_articles=False,
                listener=self._list_article if options["verbosity"] >= 2 else None,
            )
        except LoadError as exc:
            for error in exc.errors:
                self.stderr.write(self.style.ERROR(str(error)))
            raise CommandError(
                f"{len(exc.errors)} invalid file(s); nothing was written. Fix them, "
                "or pass --skip-invalid to load the valid files."
            ) from None

        verbose = options["verbosity"] >= 1
        if verbose and (report.catalog_created or report.catalog_kept):
            self.stdout.write(
                f"catalog: {report.catalog_created} entities added, "
                f"{report.catalog_kept} already present"
            )
        for article, reason in report.skipped:
            self.stderr.write(self.style.WARNING(f"skipped {article.source_key}: {reason}"))
        for error in report.invalid:
            self.stderr.write(self.style.WARNING(f"skipped invalid {error}"))
        self.stdout.write(self.style.SUCCESS(report.summary().capitalize()))
        if not options["dry_run"]:
            self._refresh_positions(verbose)

    def _list_article(self, outcome: str, article) -> None:
        """``-v 2``: each article as its batch is written (skipped ones are warned of later)."""
        if outcome != "skipped":
            self.stdout.write(f"{outcome}: {article.source_key}: {article.title}")

    def _refresh_positions(self, verbose: bool) -> None:
        """Articles that have no mention positions yet (written before positions
        covered the lead, or outside the linker) get them, links untouched."""
        refreshed = refresh_positions()
        if refreshed:
            bump_content_version()  # bulk writes: the page cache's signals miss them
            if verbose:
                self.stdout.write(f"mention positions stored for {refreshed} article(s)")
