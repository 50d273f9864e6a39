"""CSV files that curators have previewed in the admin and not yet confirmed or cancelled."""

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone


def new_token() -> str:
    return secrets.token_urlsafe(32)


class PendingImportQuerySet(models.QuerySet):
    def expired(self):
        return self.filter(created_at__lt=PendingImport.expiry_cutoff())

    def live(self):
        return self.filter(created_at__gte=PendingImport.expiry_cutoff())


class PendingImport(models.Model):
    """A previewed CSV file, kept in the database (not on one server's disk) so that the
    confirm step works on any app server. The confirm form carries only the token; only the
    curator who uploaded the file can confirm or cancel it, and only for the list it was
    uploaded to. It is deleted on confirm or cancel, and once older than
    settings.CASEBOOK_IMPORT_PENDING_MINUTES (by the next preview, or `clear_pending_imports`).
    """

    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    model = models.CharField(max_length=100, help_text='The rows\' model, as "app_label.model".')
    file_name = models.CharField(max_length=255, blank=True, default="")
    text = models.TextField(help_text="The file as uploaded, decoded from UTF-8.")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = PendingImportQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        verbose_name = "CSV import awaiting confirmation"
        verbose_name_plural = "CSV imports awaiting confirmation"

    def __str__(self):
        return f"{self.file_name} ({self.model}, {self.created_at:%Y-%m-%d %H:%M})"

    @staticmethod
    def expiry_cutoff() -> datetime.datetime:
        minutes = settings.CASEBOOK_IMPORT_PENDING_MINUTES
        return timezone.now() - datetime.timedelta(minutes=minutes)
