"""Delete previewed CSV imports that were never confirmed or cancelled and have expired."""

from django.conf import settings
from django.core.management.base import BaseCommand

from imports.models import PendingImport


class Command(BaseCommand):
    help = (
        "Delete CSV imports previewed in the admin and left unconfirmed for longer than "
        "CASEBOOK_IMPORT_PENDING_MINUTES (every new preview does this too)."
    )

    def handle(self, *args, **options):
        deleted, _ = PendingImport.objects.expired().delete()
        minutes = settings.CASEBOOK_IMPORT_PENDING_MINUTES
        self.stdout.write(f"{deleted} previewed import(s) older than {minutes} minutes deleted.")
