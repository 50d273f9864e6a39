from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from .common import (
    HasPartialDates,
    PublishedQuerySet,
    SlugManager,
    partial_date_constraint,
    partial_date_fields,
    partial_date_parts,
    partial_date_parts_constraint,
    published_field,
    slug_url,
)


class SourceKind(models.TextChoices):
    CABINET_REPORT = "cabinet-report", "Cabinet report"
    BOARD_REPORT = "board-report", "Board report"
    REVIEW = "review", "Review"
    NEWS_ARTICLE = "news-article", "News or trade press article"
    INSPECTION_REPORT = "inspection-report", "Inspection report"


class SourceQuerySet(PublishedQuerySet):
    public_flags = ("published",)

    def for_detail(self):
        """The source page reads the report alone with it; each kind of fact citing it is
        one capped query of its section."""
        return self.all()


class Source(HasPartialDates, models.Model):
    """A report or article that Casebook's facts come from."""

    partial_dates = ("date",)

    slug = models.SlugField(max_length=100, unique=True)
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=SourceKind.choices)
    publisher = models.CharField(max_length=200, blank=True, default="")
    authors = models.TextField(
        blank=True,
        default="",
        help_text=(
            "One author per line, as named in the report (“Hilary Thompson”, or “Thompson, "
            "Hilary” where the family name is not the last word). Blank if none is named."
        ),
    )
    prepared_for = models.CharField(
        "prepared for",
        max_length=200,
        blank=True,
        default="",
        help_text='Whom the report was written for, as printed, e.g. "Department for Education".',
    )
    pages = models.CharField(
        max_length=50,
        blank=True,
        default="",
        help_text='Where an article appears in its issue, as printed, e.g. "18".',
    )
    date, date_precision = partial_date_fields("date")
    (date_year, date_month, date_day, date_year_inferred, date_kind, date_note) = (
        partial_date_parts("date")
    )
    date_as_printed = models.CharField(
        max_length=100,
        blank=True,
        default="",
        help_text='The date exactly as the report prints it, e.g. "13 March issue".',
    )
    url = models.URLField("web address", blank=True, default="")
    summary = models.TextField(
        blank=True, default="", help_text="What the report is, in our words."
    )
    notes = models.TextField(
        blank=True, default="", help_text="Caveats for readers: slips, gaps, how the text survived."
    )
    published = published_field()

    objects = SlugManager.from_queryset(SourceQuerySet)()
    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "title"]
        verbose_name = "source"
        constraints = [
            partial_date_constraint("date", "source_date_precision"),
            partial_date_parts_constraint("date", "source_date_parts_valid"),
            models.CheckConstraint(condition=~Q(title=""), name="source_title_not_blank"),
            models.CheckConstraint(condition=~Q(slug=""), name="source_slug_not_blank"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return slug_url("interventions:source-detail", self.slug)

    def natural_key(self):
        return (self.slug,)

    def clean(self):
        self.clean_partial_dates()

    @property
    def author_list(self) -> list[str]:
        return [line.strip() for line in self.authors.splitlines() if line.strip()]

    @property
    def date_display(self) -> str:
        """As printed: the stored parts where they give a year, else the printed form
        ("13 March issue"), which says more than its day and month alone."""
        parts = self.date_parts("date")
        if parts.year is None and self.date_as_printed:
            return self.date_as_printed
        return parts.display()
