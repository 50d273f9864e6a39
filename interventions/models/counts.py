"""Counts of public facts kept beside the facts (interventions.summaries)."""

from django.db import models


class FactCount(models.Model):
    """How many public rows of one list share one combination of values.

    Each list that is summarised (`interventions.summaries.Summary`) keeps one set of rows per
    *grain*: a combination of the dimensions it counts by, always with the council. A row of
    grain "kind,year" says how many public rows of the list have this council, this kind and
    this year; the dimensions outside its grain are blank. The list's count and each facet's
    counts are then one SUM over the smallest grain that holds every dimension asked about.
    Kept exact by the publishing service on every write; `manage.py fact_counts` rebuilds
    and verifies.
    """

    list = models.CharField(max_length=30)
    grain = models.CharField(max_length=80)
    council = models.ForeignKey(
        "interventions.Council", null=True, on_delete=models.CASCADE, related_name="+"
    )
    intervention = models.ForeignKey(
        "interventions.Intervention", null=True, on_delete=models.CASCADE, related_name="+"
    )
    organisation = models.ForeignKey(
        "interventions.Organisation", null=True, on_delete=models.CASCADE, related_name="+"
    )
    person = models.ForeignKey(
        "interventions.Person", null=True, on_delete=models.CASCADE, related_name="+"
    )
    year = models.SmallIntegerField(null=True)
    kind = models.CharField(max_length=30, blank=True, default="")
    grade = models.CharField(max_length=30, blank=True, default="")
    scope = models.CharField(max_length=200, blank=True, default="")
    n = models.PositiveIntegerField()

    # Derived from other tables and rewritten with them: writing it is not an edit of its own
    # (interventions.apps.watch_content leaves it out).
    derived = True

    class Meta:
        verbose_name = "count of public facts"
        ordering = ["list", "grain", "council"]
        indexes = [
            models.Index(fields=["list", "grain", "council"], name="factcount_grain_council"),
        ]

    def __str__(self):
        return f"{self.list} [{self.grain}]: {self.n}"
