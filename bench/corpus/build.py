"""A whole corpus build, as ``bench/generate_corpus.py`` runs it.

Optionally the old synthetic data out, then the real catalog (the corpus names
its entities), the test entities, the articles a batch at a time with progress,
and last what every bulk writer owes the site: a new content version (cached
pages would not show the articles otherwise) and fresh planner statistics.
"""

from __future__ import annotations

import datetime as dt
import sys
from typing import TextIO

from articles.figures import recount_figures
from articles.seeding import DEFAULT_CATALOG, LoadError, load_catalog
from articles.seeding.planner_statistics import refresh_after_bulk_write
from portal.cache import bump_content_version

from .entities import add_synthetic_entities, clear_synthetic
from .writing import GenerateReport, generate


class CorpusError(Exception):
    """A corpus that cannot be built, with a message the person running it can act on."""


def build_corpus(
    *,
    articles: int = 1000,
    seed: int = 1,
    years: int = 4,
    until: dt.date | None = None,
    entities: int = 200,
    clear: bool = False,
    batch_size: int = 2000,
    verbosity: int = 1,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> GenerateReport:
    """Write ``articles`` synthetic articles (and what they need), reporting on ``stdout``."""
    if articles < 0 or years < 1 or batch_size < 1:
        raise CorpusError("--articles must be 0 or more, --years and --batch-size 1 or more.")
    stdout, stderr = stdout or sys.stdout, stderr or sys.stderr
    verbose = verbosity >= 1
    if clear:
        deleted = clear_synthetic()
        if verbose:
            print(f"Deleted {deleted} synthetic articles and the test entities.", file=stdout)
    _add_catalog(entities, stdout=stdout if verbose else None)

    def progress(done: int, seconds: float) -> None:
        if verbose:
            rate = done / seconds if seconds else 0
            print(f"  {done}/{articles} articles ({rate:.0f}/s)", file=stdout)

    try:
        report = generate(
            count=articles,
            seed=seed,
            years=years,
            until=until,
            batch_size=batch_size,
            progress=progress,
        )
    except ValueError as exc:
        raise CorpusError(f"Cannot generate articles: {exc}.") from None
    if articles or clear:
        # Written in bulk, without signals: the figures kept as data are counted once.
        recount_figures()
        bump_content_version()
        refresh_after_bulk_write(articles)
    if report.mismatched:
        print(
            f"{len(report.mismatched)} of {report.checked} articles checked with the "
            f"linker have different links (first: {report.mismatched[0]}); "
            "run `manage.py relink` to correct them.",
            file=stderr,
        )
    print(
        f"Generated {report.created} synthetic articles in {report.seconds:.1f} s "
        f"({report.rate:.0f} articles/s)",
        file=stdout,
    )
    return report


def _add_catalog(entities: int, *, stdout: TextIO | None) -> None:
    """The real catalog where it is missing, then ``entities`` test entities."""
    try:
        catalog_created, _kept = load_catalog(DEFAULT_CATALOG)
    except LoadError as exc:
        raise CorpusError(f"{exc} (the real catalog is loaded first)") from None
    entities_created = add_synthetic_entities(entities)
    if stdout and (catalog_created or entities_created):
        print(
            f"Catalog: {catalog_created} entities from {DEFAULT_CATALOG.name}, "
            f"{entities_created} test entities added.",
            file=stdout,
        )
