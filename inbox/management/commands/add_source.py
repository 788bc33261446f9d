"""Add a source to the inbox from the shell."""

from urllib.parse import urlsplit

from django.core.management.base import BaseCommand, CommandError

from inbox.models import Source
from inbox.source_addresses import FOLDER, address_error


class Command(BaseCommand):
    help = (
        "Add a source to the inbox: a feed's address (RSS, Atom, JSON Feed, ninjs) or a "
        "folder of seed-format files. The worker polls it from its next minute on."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "address", help="http(s):// address of the feed, or a folder's full path"
        )
        parser.add_argument("--kind", required=True, choices=Source.Kind.values)
        parser.add_argument("--name", help="how editors see it (default: the address's host)")
        parser.add_argument(
            "--interval", type=int, default=30, help="minutes between polls (default 30)"
        )
        parser.add_argument(
            "--tags", nargs="+", default=[], help="tags every item of it gets (space or comma)"
        )
        parser.add_argument("--dry-run", action="store_true", help="check, add nothing")

    def handle(self, *args, address, kind, name, interval, tags, dry_run, **options):
        address = address.strip()
        if message := address_error(kind, address):
            raise CommandError(message)
        if interval < 1:
            raise CommandError(f"--interval {interval}: give the minutes between polls, 1 or more.")
        if existing := Source.objects.filter(address=address).first():
            raise CommandError(
                f"{address}: already a source, #{existing.pk} «{existing.name}» (change it in "
                "the admin, «Источники»)."
            )
        tag_names = [tag.strip() for value in tags for tag in value.split(",") if tag.strip()]
        source = Source(
            name=(name or _default_name(kind, address)).strip()[:200],
            kind=kind,
            address=address,
            interval=interval,
            default_tags=", ".join(dict.fromkeys(tag_names)),
        )
        if dry_run:
            self.stdout.write(f"Would add «{source.name}» ({kind}, every {interval} min)")
            return
        source.save()
        self.stdout.write(
            self.style.SUCCESS(
                f"Added source #{source.pk} «{source.name}» ({kind}, every {interval} min). "
                f"The worker polls it within a minute; now: manage.py ingest --source "
                f"{source.pk} --once"
            )
        )


def _default_name(kind: str, address: str) -> str:
    if kind == FOLDER:
        return address.rstrip("/").rsplit("/", 1)[-1] or address
    return urlsplit(address).hostname or address
