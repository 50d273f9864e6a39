"""Building blocks shared by every model that records a fact from a report."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q


class DatePrecision(models.TextChoices):
    """How much of a date the report states: "October 2004" stays a month."""

    DAY = "day", "Day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"


class Qualifier(models.TextChoices):
    """The words a report puts in front of a figure ("up to £3.6 million")."""

    EXACT = "", "Exactly"
    UP_TO = "up to", "Up to"
    OVER = "over", "Over"
    ABOUT = "about", "About"
    AT_LEAST = "at least", "At least"


def partial_date_fields(label: str, help_text: str = "") -> tuple[models.Field, models.Field]:
    """A date and its precision. The date holds the first day of the month or year."""
    date = models.DateField(
        label,
        null=True,
        blank=True,
        help_text=help_text or "For a month or a year, enter its first day and set the precision.",
    )
    precision = models.CharField(
        f"{label} precision",
        max_length=5,
        choices=DatePrecision.choices,
        blank=True,
        default="",
        help_text="Day, month or year: as much as the report states.",
    )
    return date, precision


def partial_date_constraint(field: str, name: str) -> models.CheckConstraint:
    """A precision is given exactly when a date is."""
    precision = f"{field}_precision"
    return models.CheckConstraint(
        condition=(Q(**{f"{field}__isnull": True}) & Q(**{precision: ""}))
        | (Q(**{f"{field}__isnull": False}) & Q(**{f"{precision}__in": DatePrecision.values})),
        name=name,
    )


def date_order_constraint(start: str, end: str, name: str) -> models.CheckConstraint:
    """An end may not come before its start."""
    return models.CheckConstraint(
        condition=Q(**{f"{start}__isnull": True})
        | Q(**{f"{end}__isnull": True})
        | Q(**{f"{end}__gte": models.F(start)}),
        name=name,
    )


def format_partial_date(value: datetime.date | None, precision: str) -> str:
    """Show a date only as precisely as the report gave it."""
    if value is None:
        return ""
    if precision == DatePrecision.YEAR:
        return str(value.year)
    if precision == DatePrecision.MONTH:
        return f"{value:%B} {value.year}"
    return f"{value.day} {value:%B} {value.year}"


def validate_partial_date(value: datetime.date | None, precision: str, field: str) -> None:
    """Curator-facing check that a month or year is entered as its first day."""
    if value is None:
        return
    if precision == DatePrecision.MONTH and value.day != 1:
        raise ValidationError({field: "For a month, enter the first day of that month."})
    if precision == DatePrecision.YEAR and (value.month, value.day) != (1, 1):
        raise ValidationError({field: "For a year, enter 1 January of that year."})


class PublishedQuerySet(models.QuerySet):
    """Rows the public may see: published, and every record they belong to published too.

    `public_flags` are paths to published flags that must all be true; `optional_parents`
    pairs a nullable foreign key with the flags that must be true when it is set.
    """

    public_flags: tuple[str, ...] = ()  # none: every row is public (organisations, service areas)
    optional_parents: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def published(self):
        condition = Q(**dict.fromkeys(self.public_flags, True))
        for parent, flags in self.optional_parents:
            condition &= Q(**{f"{parent}__isnull": True}) | Q(**dict.fromkeys(flags, True))
        return self.filter(condition)


def published_field() -> models.BooleanField:
    return models.BooleanField(
        default=True,
        help_text=(
            "Untick to keep this record (and every fact that belongs to it) off the public "
            "site while you work on it. Signed-in staff can still preview it."
        ),
    )


class SlugManager(models.Manager.from_queryset(PublishedQuerySet)):
    """Seeded records are found by their slug in fixtures."""

    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Cited(models.Model):
    """A row that states something a report says: where it says it."""

    source = models.ForeignKey(
        "interventions.Source",
        on_delete=models.PROTECT,
        related_name="%(app_label)s_%(class)s_facts",
        help_text="The report this comes from.",
    )
    locator = models.CharField(
        max_length=255,
        help_text=(
            "Where in the report: paragraph, section heading, table title or page, "
            'e.g. "para 2(2)" or "table: Findings of the 2011 Ofsted inspection".'
        ),
    )

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=~Q(locator=""), name="%(app_label)s_%(class)s_locator_not_blank"
            ),
        ]


class Fact(Cited):
    """A cited fact that may belong to a disagreement between sources."""

    discrepancy = models.ForeignKey(
        "interventions.Discrepancy",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="%(app_label)s_%(class)s_facts",
        help_text="Set when sources disagree about this fact: each version is its own row.",
    )

    class Meta(Cited.Meta):
        abstract = True
