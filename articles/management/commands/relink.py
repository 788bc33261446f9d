"""Re-run entity linking over every article (after the catalog changed)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from articles.linking import build_matcher, link_entities
from articles.models import Article


class Command(BaseCommand):
    help = "Re-link catalog entities in all articles. Editors' added and removed links stay."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Report the changes; write nothing."
        )

    def handle(self, *args, **options):
        matcher = build_matcher()
        added = removed = changed = 0
        with transaction.atomic():
            for article in Article.objects.iterator(chunk_size=500):
                result = link_entities(article=article, matcher=matcher)
                added += len(result.added)
                removed += len(result.removed)
                changed += result.changed
                if result.changed and options["verbosity"] >= 2:
                    self.stdout.write(
                        f"{article.slug}: +{', '.join(map(str, result.added)) or '-'} "
                        f"−{', '.join(map(str, result.removed)) or '-'}"
                    )
            if options["dry_run"]:
                transaction.set_rollback(True)
        suffix = " (dry run: nothing written)" if options["dry_run"] else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"Relinked: {changed} articles changed, {added} links added, "
                f"{removed} removed{suffix}"
            )
        )
