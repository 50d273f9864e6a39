"""Spending lines and key statistics: the figures the reports give for councils."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from interventions.models.common import Fact, PublishedQuerySet, Qualifier, public_field


class CouncilFigureQuerySet(PublishedQuerySet):
    """A figure is public when its council and source are, and its intervention if it has one."""

    public_flags = ("council__published", "source__published")
    stored_flag = True
    optional_parents = (
        (
            "intervention",
            (
                "intervention__published",
                "intervention__subject_council__published",
                "intervention__source__published",
            ),
        ),
    )


class StatisticQuerySet(CouncilFigureQuerySet):
    """A statistic is about a council, an organisation or a person: public when its subject
    (a council or person may be a draft; organisations have none), its source and its case
    study are."""

    public_flags = ("source__published",)
    optional_parents = (
        ("council", ("council__published",)),
        ("person", ("person__published",)),
        *CouncilFigureQuerySet.optional_parents,
    )


class SourceRefManager(models.Manager.from_queryset(CouncilFigureQuerySet)):
    """Figures are found in fixtures by their source and a reference unique within it."""

    def get_by_natural_key(self, source_slug, ref):
        return self.get(source__slug=source_slug, ref=ref)


class StatisticManager(models.Manager.from_queryset(StatisticQuerySet)):
    def get_by_natural_key(self, source_slug, ref):
        return self.get(source__slug=source_slug, ref=ref)


class SpendingKind(models.TextChoices):
    BUDGET = "budget", "Budget"
    SPEND = "spend", "Spend (outturn)"
    CONTRACT = "contract", "Contract value"
    GRANT = "grant", "Grant or contribution"
    PER_HEAD = "per-head", "Per-head figure"


def one_party(prefix: str) -> Q:
    return ~(
        Q(**{f"{prefix}_council__isnull": False}) & Q(**{f"{prefix}_organisation__isnull": False})
    )


class SpendingLine(Fact):
    """A money figure: a cell of a budget table, a contract sum, a grant."""

    ref = models.SlugField(
        "reference",
        max_length=120,
        help_text="Short key, unique within the source, used by fixtures and exports.",
    )
    council = models.ForeignKey(
        "interventions.Council", on_delete=models.PROTECT, related_name="spending_lines"
    )
    intervention = models.ForeignKey(
        "interventions.Intervention",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="spending_lines",
    )
    line = models.CharField(
        max_length=300, help_text='As labelled, e.g. "Total Children & Families (Spend)".'
    )
    kind = models.CharField(max_length=10, choices=SpendingKind.choices)
    period = models.CharField(
        max_length=40, blank=True, default="", help_text='e.g. "2013/14" or "2004–2007".'
    )
    year = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="First calendar year of the period (2013 for 2013/14)."
    )
    amount_gbp = models.DecimalField(
        "amount (£)", max_digits=16, decimal_places=2, help_text="In pounds, not thousands."
    )
    qualifier = models.CharField(max_length=10, choices=Qualifier.choices, blank=True, default="")
    as_printed = models.CharField(
        max_length=100, help_text='The figure exactly as printed, e.g. "14,922" or "£820k".'
    )
    payer_council = models.ForeignKey(
        "interventions.Council",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payments_made",
    )
    payer_organisation = models.ForeignKey(
        "interventions.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payments_made",
    )
    payee_council = models.ForeignKey(
        "interventions.Council",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payments_received",
    )
    payee_organisation = models.ForeignKey(
        "interventions.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payments_received",
    )
    note = models.TextField(blank=True, default="")
    public = public_field()

    objects = SourceRefManager()
    history = HistoricalRecords(excluded_fields=["public"])

    class Meta:
        ordering = ["council", "year", "line", "ref"]
        verbose_name = "spending line"
        constraints = [
            *Fact.Meta.constraints,
            models.UniqueConstraint(fields=["source", "ref"], name="spendingline_ref_unique"),
            models.CheckConstraint(
                condition=Q(amount_gbp__gte=0), name="spendingline_amount_gte_0"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=SpendingKind.values), name="spendingline_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(qualifier__in=Qualifier.values), name="spendingline_qualifier_valid"
            ),
            models.CheckConstraint(condition=one_party("payer"), name="spendingline_one_payer"),
            models.CheckConstraint(condition=one_party("payee"), name="spendingline_one_payee"),
            models.CheckConstraint(condition=~Q(line=""), name="spendingline_line_not_blank"),
            models.CheckConstraint(
                condition=~Q(as_printed=""), name="spendingline_as_printed_not_blank"
            ),
        ]
        indexes = [
            # Public lists: the count and the default order (by period) read this index only.
            models.Index(fields=["public", "year"], name="spendingline_public_year"),
            models.Index(fields=["public", "amount_gbp"], name="spendingline_public_amount"),
            models.Index(fields=["year", "council"], name="spendingline_year_council"),
            # A case study's and a council's money, in year order, without scanning the table.
            # Partial: most lines belong to no case study, and with the NULLs counted in, the
            # planner took an intervention's lines for half the table and scanned by year.
            models.Index(
                fields=["intervention", "public", "year"],
                condition=Q(intervention__isnull=False),
                name="spendingline_case_study_pub",
            ),
            # With `public` second, a council's public lines are one seek; without it SQLite
            # preferred the (public, …) indexes and read all million rows for a facet.
            models.Index(fields=["council", "public", "year"], name="spendingline_council_pub"),
            # A council page's chart and table of years group its public lines by line and
            # year with their lowest and highest amounts: read from this index alone (57,443
            # lines of the largest council at scale 1: 0.84 s from the table, 0.10 s here).
            models.Index(
                fields=["council", "public", "line", "year", "amount_gbp"],
                name="spendingline_council_years",
            ),
        ]

    def __str__(self):
        return f"{self.line} {self.period}: {self.as_printed}".strip()

    def get_absolute_url(self):
        return f"{self.council.get_absolute_url()}#spending-{self.ref}"

    def natural_key(self):
        return (self.source.slug, self.ref)

    natural_key.dependencies = [
        "interventions.source",
        "interventions.council",
        "interventions.organisation",
        "interventions.intervention",
    ]

    @property
    def is_cost(self) -> bool:
        """A contract value or an outturn: what an intervention cost, not a grant towards it."""
        return self.kind in (SpendingKind.CONTRACT, SpendingKind.SPEND)

    @property
    def payer(self):
        return self.payer_council or self.payer_organisation

    @property
    def payee(self):
        return self.payee_council or self.payee_organisation


class Unit(models.TextChoices):
    COUNT = "count", "Number"
    PERCENT = "percent", "Per cent"
    GBP = "gbp", "Pounds"
    RATIO = "ratio", "Ratio"
    YEARS = "years", "Years"
    MONTHS = "months", "Months"


class Statistic(Fact):
    """A key figure about a council, an organisation or a person: population, deprivation,
    caseloads, staffing, a police force's areas, the term of someone's appointment."""

    ref = models.SlugField(
        "reference", max_length=120, help_text="Short key, unique within the source."
    )
    council = models.ForeignKey(
        "interventions.Council",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="statistics",
        help_text="The council the figure is about (or an organisation or person: one of them).",
    )
    organisation = models.ForeignKey(
        "interventions.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="statistics",
        help_text="The organisation the figure is about, e.g. a police force.",
    )
    person = models.ForeignKey(
        "interventions.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="statistics",
        help_text="The person the figure is about, e.g. the term of their appointment.",
    )
    intervention = models.ForeignKey(
        "interventions.Intervention",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="statistics",
    )
    measure = models.CharField(max_length=300, help_text="What is measured, as the report puts it.")
    period = models.CharField(
        max_length=60,
        blank=True,
        default="",
        help_text='When, e.g. "2011 census" or "10 April 2011".',
    )
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    year_inferred = models.BooleanField(
        "year inferred",
        default=False,
        help_text=(
            "Tick when the report does not print the year beside the figure and it is read "
            'from context ("10 April" in a report dated May 2011); say how in the note. It '
            "is shown in brackets: [2011]."
        ),
    )
    year_note = models.CharField(
        max_length=300,
        blank=True,
        default="",
        help_text="Why the year is what it is, where it is not printed (our own words).",
    )
    value = models.DecimalField(max_digits=16, decimal_places=4)
    unit = models.CharField(max_length=10, choices=Unit.choices)
    qualifier = models.CharField(max_length=10, choices=Qualifier.choices, blank=True, default="")
    as_printed = models.CharField(max_length=100, help_text='Exactly as printed, e.g. "38,900".')
    comparator_group = models.CharField(
        max_length=200,
        blank=True,
        default="",
        help_text="The table or group of councils the report compares this with.",
    )
    comparator_label = models.CharField(
        max_length=200,
        blank=True,
        default="",
        help_text='e.g. "England" or "Statistical neighbours".',
    )
    comparator_value = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    comparator_as_printed = models.CharField(max_length=100, blank=True, default="")
    note = models.TextField(blank=True, default="")
    public = public_field()

    objects = StatisticManager()
    history = HistoricalRecords(excluded_fields=["public"])

    class Meta:
        ordering = ["council", "measure", "year", "ref"]
        verbose_name = "statistic"
        # A council page's comparison tables: every figure in the same comparator groups.
        indexes = [
            models.Index(fields=["comparator_group", "measure"], name="statistic_group_measure"),
            # A council page's first key figures in order, their number, and the groups they
            # are compared in, read from this index (5,693 figures of the largest council at
            # scale 1: sorting them took 51 ms, finding their groups 43 ms).
            models.Index(
                fields=["council", "public", "comparator_group", "measure", "year", "ref"],
                name="statistic_council_order",
            ),
        ]
        constraints = [
            *Fact.Meta.constraints,
            models.UniqueConstraint(fields=["source", "ref"], name="statistic_ref_unique"),
            models.CheckConstraint(condition=Q(unit__in=Unit.values), name="statistic_unit_valid"),
            models.CheckConstraint(
                condition=Q(qualifier__in=Qualifier.values), name="statistic_qualifier_valid"
            ),
            models.CheckConstraint(condition=~Q(measure=""), name="statistic_measure_not_blank"),
            models.CheckConstraint(
                condition=Q(year_inferred=False) | Q(year__isnull=False),
                name="statistic_inferred_year_present",
            ),
            models.CheckConstraint(
                condition=~Q(as_printed=""), name="statistic_as_printed_not_blank"
            ),
            models.CheckConstraint(
                condition=Q(comparator_value__isnull=True) | ~Q(comparator_label=""),
                name="statistic_comparator_labelled",
            ),
            models.CheckConstraint(
                condition=(
                    Q(council__isnull=False, organisation__isnull=True, person__isnull=True)
                    | Q(council__isnull=True, organisation__isnull=False, person__isnull=True)
                    | Q(council__isnull=True, organisation__isnull=True, person__isnull=False)
                ),
                name="statistic_one_subject",
                violation_error_message=(
                    "A statistic is about exactly one council, organisation or person: "
                    "choose one of them, and only one."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.measure} ({self.when}): {self.as_printed}"

    @property
    def when(self) -> str:
        """The period as printed, with a year read from context after it in brackets:
        "10 April [2011]"."""
        if self.year_inferred and self.year is not None:
            return f"{self.period} [{self.year}]".strip()
        return self.period

    def clean(self):
        super().clean()
        if self.year_inferred and self.year is None:
            raise ValidationError(
                {"year_inferred": "Give the year read from context, or untick this."}
            )

    def get_absolute_url(self):
        return f"{self.subject.get_absolute_url()}#statistic-{self.ref}"

    @property
    def subject(self):
        """The council, organisation or person the figure is about (fetch it with the row)."""
        if self.council_id:
            return self.council
        return self.organisation if self.organisation_id else self.person

    def natural_key(self):
        return (self.source.slug, self.ref)

    natural_key.dependencies = [
        "interventions.source",
        "interventions.council",
        "interventions.organisation",
        "interventions.person",
        "interventions.intervention",
    ]
