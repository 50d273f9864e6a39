from django.core.management.base import BaseCommand
from django.db import transaction

from interventions import searchindex


class Command(BaseCommand):
    help = "Write the search index again from every searchable record."

    def handle(self, *args, **options):
        with transaction.atomic():
            count = searchindex.rebuild()
        if options["verbosity"] >= 1:
            self.stdout.write(f"Indexed {count} records for search.")
