"""Number every record's versions afresh from the history kept (interventions.recording)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from interventions import recording


class Command(BaseCommand):
    help = (
        "Renumber every record's public versions from its history and its parts' history, "
        "as the migration that introduced numbered versions did. Addresses already handed out "
        "keep answering only if the history they were made from is unchanged."
    )

    def handle(self, *args, verbosity: int = 1, **options):
        with transaction.atomic():
            made = recording.rebuild()
        if verbosity >= 1:
            self.stdout.write(self.style.SUCCESS(f"Numbered {made} versions."))
