"""Building blocks shared by every model that records a fact from a report."""

import datetime
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import get_script_prefix, get_urlconf, reverse

from ..locators import validate_locator


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

    The large fact tables (`stored_flag = True`) keep the answer in their own `public`
    column, kept true by `interventions.publishing`, so that hiding drafts costs no join
    when a list counts or sorts a million rows.
    """

    public_flags: tuple[str, ...] = ()  # none: every row is public (organisations, service areas)
    optional_parents: tuple[tuple[str, tuple[str, ...]], ...] = ()
    stored_flag = False

    @classmethod
    def public_condition(cls) -> Q:
        """The rule itself, read through the joins (the stored flag is computed from it)."""
        condition = Q(**dict.fromkeys(cls.public_flags, True))
        for parent, flags in cls.optional_parents:
            condition &= Q(**{f"{parent}__isnull": True}) | Q(**dict.fromkeys(flags, True))
        return condition

    @classmethod
    def flag_paths(cls) -> list[str]:
        return [*cls.public_flags, *(flag for _, flags in cls.optional_parents for flag in flags)]

    def published(self):
        if self.stored_flag:
            # "= true", not Django's bare "WHERE public": SQLite only seeks an index on the
            # column for a comparison, and every public list starts from that index.
            return self.filter(public=models.Value(True))
        return self.filter(self.public_condition())


def public_field() -> models.BooleanField:
    """Whether the public may see a fact: derived, never edited (see interventions.publishing)."""
    return models.BooleanField(
        default=False,  # fail closed: a row written behind the service's back stays hidden
        editable=False,
        help_text="Set by Casebook: this row and every record it belongs to are published.",
    )


@lru_cache(maxsize=8192)
def _slug_url(name: str, slug: str, prefix: str, urlconf) -> str:
    return reverse(name, kwargs={"slug": slug}, urlconf=urlconf)


def slug_url(name: str, slug: str) -> str:
    """reverse() for a record's page, remembered: an export of a million rows names the same
    few hundred councils over and over, and reverse() was a third of its time."""
    return _slug_url(name, slug, get_script_prefix(), get_urlconf())


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
        validators=[validate_locator],
        help_text=(
            "Where in the report, as a path from heading to paragraph, table, row or footnote "
            'separated by commas, several places joined by ";", e.g. "Background, para 2(2), '
            "first sentence\" or \"Background: table 'Findings of the 2011 Ofsted inspection', "
            "row 'Overall effectiveness'\"."
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
