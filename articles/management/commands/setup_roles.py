"""Create the «Редактор» and «Автор» groups with their permissions."""

from django.core.management.base import BaseCommand

from articles.roles import setup_roles


class Command(BaseCommand):
    help = "Create or update the editor and author groups. Safe to run again."

    def handle(self, *args, **options):
        for name, count in setup_roles().items():
            if options["verbosity"] >= 1:
                self.stdout.write(self.style.SUCCESS(f"{name}: {count} permissions"))
