"""Bookkeeping for the site itself, not facts from a report."""

from django.db import models


class DataVersion(models.Model):
    """A number that goes up whenever public content may have changed.

    Cached counts and pages are keyed by it, so a single edit anywhere retires every cached
    answer on every server process at once (see `interventions.datacache`).
    """

    number = models.BigIntegerField(default=0)
    changed = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "data version"

    def __str__(self):
        return f"data version {self.number}"
