"""A record's public versions, numbered per record: what a citation points at."""

from django.conf import settings
from django.db import models


class RecordVersion(models.Model):
    """One version of a record as the public could read it: the record and its parts.

    A change to a case study or to any of its parts (participants, phases, money…) saved
    together (one admin save, one import) makes one version. Each record's versions count
    1, 2, 3…; the record's page as it stood is read from the history of it and its parts at
    `recorded` (interventions.sections.State). Changes made while a record is a draft make
    no version: the public never sees them, so nothing of them is numbered or linked.
    """

    record = models.CharField(max_length=100, help_text="The record's model, app_label.model.")
    record_id = models.PositiveBigIntegerField()
    number = models.PositiveIntegerField()
    recorded = models.DateTimeField(help_text="The moment the version's state is read at.")
    kind = models.CharField(max_length=20, default="Changed")
    changed = models.JSONField(default=list, blank=True, help_text="What changed, in words.")
    reason = models.TextField(blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "record version"
        constraints = [
            models.UniqueConstraint(
                fields=["record", "record_id", "number"], name="one_number_per_record_version"
            )
        ]
        indexes = [models.Index(fields=["record", "record_id", "recorded"])]
        ordering = ["record", "record_id", "number"]

    def __str__(self):
        return f"{self.record} {self.record_id} version {self.number}"
