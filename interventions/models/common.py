"""Building blocks shared by every model that records a fact from a report."""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass
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


class DateKind(models.TextChoices):
    """Whether a dated fact happened then, or was only planned or expected then."""

    ACTUAL = "actual", "Actual"
    PLANNED = "planned", "Planned"
    EXPECTED = "expected", "Expected (as reported)"


MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
# Days in each month with the year unknown: 29 February is allowed then.
MONTH_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def partial_date_fields(label: str, help_text: str = "") -> tuple[models.Field, models.Field]:
    """The sortable pair derived from a date's parts on save(): the first possible day (blank
    when the year is not known) and how much of it is known (day, month or year)."""
    date = models.DateField(
        label,
        null=True,
        blank=True,
        editable=False,
        help_text=help_text
        or "Set by Casebook from the parts: the first possible day, blank with no year.",
    )
    precision = models.CharField(
        f"{label} precision",
        max_length=5,
        choices=DatePrecision.choices,
        blank=True,
        default="",
        editable=False,
        help_text="Set by Casebook from the parts: day, month or year.",
    )
    return date, precision


def partial_date_parts(label: str, help_text: str = "") -> tuple[models.Field, ...]:
    """A date as the report prints it: year, month and day each known or not, whether the
    year is printed or inferred (and why), and whether the date is actual, planned or
    expected."""
    year = models.PositiveSmallIntegerField(
        f"{label}: year",
        null=True,
        blank=True,
        help_text=help_text or "Blank when the report gives no year (\u201c21 February\u201d).",
    )
    month = models.PositiveSmallIntegerField(
        f"{label}: month", null=True, blank=True, help_text="1 to 12; blank if not printed."
    )
    day = models.PositiveSmallIntegerField(
        f"{label}: day", null=True, blank=True, help_text="Blank if not printed."
    )
    year_inferred = models.BooleanField(
        f"{label}: year inferred",
        default=False,
        help_text="Tick when the report does not print the year beside this date and you "
        "read it from context; say how in the note. Shown as [2014].",
    )
    kind = models.CharField(
        f"{label}: actual, planned or expected",
        max_length=8,
        choices=DateKind.choices,
        default=DateKind.ACTUAL,
        help_text="Planned: the report says it will happen then; expected: the report says "
        "it was expected then.",
    )
    note = models.CharField(
        f"{label}: note",
        max_length=300,
        blank=True,
        default="",
        help_text="Why the year is inferred (required then), or any other caveat on this date.",
    )
    return year, month, day, year_inferred, kind, note


@dataclass(frozen=True)
class PartialDate:
    """A date's parts as stored, with everything derived from them."""

    year: int | None = None
    month: int | None = None
    day: int | None = None
    year_inferred: bool = False
    kind: str = DateKind.ACTUAL
    note: str = ""

    @classmethod
    def of(cls, obj, field: str) -> PartialDate:
        return cls(
            getattr(obj, f"{field}_year"),
            getattr(obj, f"{field}_month"),
            getattr(obj, f"{field}_day"),
            bool(getattr(obj, f"{field}_year_inferred")),
            getattr(obj, f"{field}_kind") or DateKind.ACTUAL,
            getattr(obj, f"{field}_note") or "",
        )

    @classmethod
    def from_date(cls, value: datetime.date | None, precision: str) -> PartialDate:
        """The parts of a date stored the old way: first day plus precision."""
        if value is None:
            return cls()
        if precision == DatePrecision.YEAR:
            return cls(value.year)
        if precision == DatePrecision.MONTH:
            return cls(value.year, value.month)
        return cls(value.year, value.month, value.day)

    @property
    def known(self) -> bool:
        return any(part is not None for part in (self.year, self.month, self.day))

    @property
    def precision(self) -> str:
        """How much of the sortable date is known: blank without a year."""
        if self.year is None:
            return ""
        if self.month is None:
            return DatePrecision.YEAR
        return DatePrecision.MONTH if self.day is None else DatePrecision.DAY

    @property
    def first_day(self) -> datetime.date | None:
        """The first day it can be, for sorting and year filters; None without a year."""
        if self.year is None:
            return None
        try:
            return datetime.date(self.year, self.month or 1, self.day or 1)
        except ValueError:
            return None  # refused by validation; never stored by a clean save

    def errors(self) -> list[tuple[str, str]]:
        """What is wrong with these parts, as (part, message in a curator's words)."""
        if self.month is not None and not 1 <= self.month <= 12:
            return [("month", "The month is a number from 1 to 12.")]
        if self.day is not None and self.month is None:
            return [("day", "A day needs its month: enter the month too.")]
        if self.day is not None:
            if self.year is None:
                last = MONTH_DAYS[self.month - 1]
            else:
                last = calendar.monthrange(self.year, self.month)[1]
            if not 1 <= self.day <= last:
                where = MONTHS[self.month - 1] + (f" {self.year}" if self.year else "")
                return [("day", f"{where} has no day {self.day} (it has {last} days).")]
        if self.year is not None and not 1000 <= self.year <= 2999:
            return [("year", "Enter the year in full, e.g. 2014.")]
        if self.year_inferred and self.year is None:
            return [("year", "Only a year that is entered can be inferred: enter the year.")]
        if self.year_inferred and not self.note.strip():
            return [("note", "Say in the note how the year is known.")]
        return []

    def without_kind(self) -> str:
        """As printed: "21 February", "April 2014", "16 April [2014]"."""
        year = ""
        if self.year is not None:
            year = f"[{self.year}]" if self.year_inferred else str(self.year)
        words = []
        if self.day is not None:
            words.append(str(self.day))
        if self.month is not None and 1 <= self.month <= 12:
            words.append(MONTHS[self.month - 1])
        if year:
            words.append(year)
        return " ".join(words)

    def display(self) -> str:
        """As printed, with "planned: " or "expected: " in front where it is one."""
        text = self.without_kind()
        if text and self.kind != DateKind.ACTUAL:
            return f"{self.kind}: {text}"
        return text

    def edtf(self) -> str:
        """Library of Congress EDTF: 2014-04-16, XXXX-02-21, 2014?-04-16 (year inferred)."""
        if not self.known:
            return ""
        year = "XXXX" if self.year is None else f"{self.year:04d}"
        if self.year_inferred:
            year += "?"
        parts = [year]
        if self.month is not None:
            parts.append(f"{self.month:02d}")
            if self.day is not None:
                parts.append(f"{self.day:02d}")
        elif self.day is not None:
            parts.extend(["XX", f"{self.day:02d}"])
        return "-".join(parts)

    def as_json(self) -> dict | None:
        if not self.known:
            return None
        first = self.first_day
        return {
            "date": first.isoformat() if first else None,
            "precision": self.precision,
            "year": self.year,
            "month": self.month,
            "day": self.day,
            "year_inferred": self.year_inferred,
            "kind": self.kind,
            "note": self.note,
            "edtf": self.edtf(),
            "display": self.display(),
        }


def partial_date_range(start: PartialDate, end: PartialDate) -> str:
    """Two dates as one span: "16 April to 16 May [2014]" keeps each date as printed; a kind
    other than actual is said once in front when both share it."""
    first, last = start.without_kind(), end.without_kind()
    if (
        start.year_inferred
        and end.year_inferred
        and start.year == end.year
        and start.month is not None
        and end.month is not None
    ):
        first = PartialDate(None, start.month, start.day).without_kind()  # year said once
    if start.kind == end.kind or not (first and last):
        kind = start.kind if first else end.kind
        prefix = f"{kind}: " if kind != DateKind.ACTUAL else ""
    else:
        prefix = ""
        first, last = start.display(), end.display()
    if first and last:
        return prefix + (first if first == last else f"{first} to {last}")
    if first:
        return f"{prefix}from {first}"
    if last:
        return f"{prefix}until {last}"
    return ""


def partial_date_parts_constraint(field: str, name: str) -> models.CheckConstraint:
    """The database's own check on a date's parts: a real month, a day only with a month,
    a plausible day, "inferred" only for a year that is there, and a known kind."""
    year, month, day = f"{field}_year", f"{field}_month", f"{field}_day"
    return models.CheckConstraint(
        condition=(Q(**{f"{month}__isnull": True}) | Q(**{f"{month}__range": (1, 12)}))
        & (
            Q(**{f"{day}__isnull": True})
            | (Q(**{f"{month}__isnull": False}) & Q(**{f"{day}__range": (1, 31)}))
        )
        & (Q(**{f"{field}_year_inferred": False}) | Q(**{f"{year}__isnull": False}))
        & Q(**{f"{field}_kind__in": DateKind.values}),
        name=name,
    )


class HasPartialDates:
    """For a model with partial dates: `partial_dates` names each date (its parts are
    `<name>_year`, `_month`, `_day`, `_year_inferred`, `_kind`, `_note`), `date_ranges`
    the (start, end) pairs. save() derives each sortable `<name>` and `<name>_precision`
    from the parts, so they are never typed twice."""

    partial_dates: tuple[str, ...] = ()
    date_ranges: tuple[tuple[str, str], ...] = ()

    def date_parts(self, field: str) -> PartialDate:
        return PartialDate.of(self, field)

    def derive_partial_dates(self) -> None:
        for field in self.partial_dates:
            parts = PartialDate.of(self, field)
            setattr(self, field, parts.first_day)
            setattr(self, f"{field}_precision", parts.precision)

    def partial_date_errors(self) -> dict[str, list[str]]:
        """Errors on the parts, each under the part a curator must change; then the order of
        each range, for dates whose year is known."""
        errors: dict[str, list[str]] = {}
        for field in self.partial_dates:
            for part, message in PartialDate.of(self, field).errors():
                errors.setdefault(f"{field}_{part}", []).append(message)
        if errors:
            return errors
        self.derive_partial_dates()
        for start, end in self.date_ranges:
            first, last = getattr(self, start), getattr(self, end)
            if first and last and last < first:
                errors[f"{end}_year"] = ["The end comes before the start."]
        return errors

    def clean_partial_dates(self) -> None:
        errors = self.partial_date_errors()
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.derive_partial_dates()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:  # a part saved alone takes its derived pair with it
            derived = [
                name
                for field in self.partial_dates
                if any(str(u).startswith(f"{field}_") for u in update_fields)
                for name in (field, f"{field}_precision")
            ]
            kwargs["update_fields"] = {*update_fields, *derived}
        super().save(*args, **kwargs)


def partial_date_constraint(field: str, name: str) -> models.CheckConstraint:
    """The derived precision is given exactly when the derived date is."""
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
    """Show a sortable date only as precisely as the report gave it (no kind, no brackets:
    use PartialDate.display() for a record's own dates)."""
    if value is None:
        return ""
    if precision == DatePrecision.YEAR:
        return str(value.year)
    if precision == DatePrecision.MONTH:
        return f"{value:%B} {value.year}"
    return f"{value.day} {value:%B} {value.year}"


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
    """A cited fact that may belong to one or more disagreements (interventions.disagreements).

    Each concrete model gets its own membership table (`<app>_<model>_discrepancies`), so that
    a disagreement can group facts of any kinds while this app never names a `ratings` model.
    Membership changes are kept in the fact's history (`_history_m2m_fields`, read by
    django-simple-history for every concrete model), so a version shows them as they stood.
    """

    discrepancies = models.ManyToManyField(
        "interventions.Discrepancy",
        blank=True,
        related_name="%(app_label)s_%(class)s_facts",
        verbose_name="disagreements",
        help_text=(
            "The disagreements this fact is part of: between reports, or within one report "
            "(a table printing two grades for one area). Each version stays its own row."
        ),
    )

    _history_m2m_fields = ["discrepancies"]

    class Meta(Cited.Meta):
        abstract = True
