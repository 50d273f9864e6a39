from django.core.management.base import BaseCommand

from ratings import dataset


class Command(BaseCommand):
    help = "Write the published data set (natural-key JSON and a CSV per table) as a zip."

    def handle(self, *args, **options):
        path = dataset.build()
        self.stdout.write(self.style.SUCCESS(f"Wrote {path}"))
