"""Re-run entity linking over every article (after the catalog changed)."""

from collections import Counter

from django.core.management.base import BaseCommand
from django.db import transaction

from articles.figures import figures_batch
from articles.linking import POSITION_FIELDS, Matcher, build_matcher, link_articles
from articles.models import Article
from portal.cache import bump_content_version

# Articles linked per batch: a fixed number of queries each, little memory.
BATCH_SIZE = 500
# What linking reads and writes (and the slug, for -v 2).
FIELDS = ["slug", "title", "lead", "body", *POSITION_FIELDS]


class Command(BaseCommand):
    help = "Re-link catalog entities in all articles. Editors' added and removed links stay."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Report the changes; write nothing."
        )

    def handle(self, *args, **options):
        matcher = build_matcher()
        totals = Counter()
        articles = Article.objects.only(*FIELDS).order_by("pk")
        with transaction.atomic(), figures_batch():
            batch: list[Article] = []
            for article in articles.iterator(chunk_size=BATCH_SIZE):
                batch.append(article)
                if len(batch) == BATCH_SIZE:
                    totals += self._relink(batch, matcher, options["verbosity"])
                    batch = []
            totals += self._relink(batch, matcher, options["verbosity"])
            if options["dry_run"]:
                transaction.set_rollback(True)
        if (totals["changed"] or totals["positions"]) and not options["dry_run"]:
            # Bulk writes send no signals: cached pages must learn of the new links.
            bump_content_version()
        suffix = " (dry run: nothing written)" if options["dry_run"] else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"Relinked: {totals['changed']} articles changed, {totals['added']} links added, "
                f"{totals['removed']} removed{suffix}"
            )
        )

    def _relink(self, articles: list[Article], matcher: Matcher, verbosity: int) -> Counter:
        counts = Counter()
        if not articles:
            return counts
        before = [_positions(article) for article in articles]
        results = link_articles(articles=articles, matcher=matcher)
        for article, positions in zip(articles, before, strict=True):
            result = results[article.pk]
            counts["added"] += len(result.added)
            counts["removed"] += len(result.removed)
            counts["changed"] += result.changed
            counts["positions"] += positions != _positions(article)
            if result.changed and verbosity >= 2:
                self.stdout.write(
                    f"{article.slug}: +{', '.join(map(str, result.added)) or '-'} "
                    f"−{', '.join(map(str, result.removed)) or '-'}"
                )
        return counts


def _positions(article: Article) -> tuple:
    return tuple(getattr(article, name) for name in POSITION_FIELDS)
