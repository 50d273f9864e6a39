from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from interventions.memberships import with_disagreements
from interventions.models.common import (
    Fact,
    HasPartialDates,
    PublishedQuerySet,
    SlugManager,
    date_order_constraint,
    partial_date_constraint,
    partial_date_fields,
    partial_date_parts,
    partial_date_parts_constraint,
    public_field,
    published_field,
    slug_url,
)

from .scales import (
    Framework,
    equivalent_condition,
    grade_on_scale_condition,
    grades_for,
    score_for,
)


def check_grade(framework: str, grade: str, field: str) -> None:
    if grade and score_for(framework, grade) is None:
        allowed = ", ".join(grades_for(framework))
        label = Framework(framework).label
        message = f'"{grade}" is not a grade of {label}. Use one of: {allowed}.'
        raise ValidationError({field: message})


INSPECTION_PUBLIC = ("published", "council__published", "source__published")


class ServiceScope(models.TextChoices):
    """Which of a council's services an inspection rates, so charts never join two of them."""

    NOT_STATED = "", "Not stated"
    ALL = "all", "All social services"
    ADULTS = "adults", "Adults' services"
    CHILDREN = "children", "Children's services"
    EDUCATION = "education", "Education"


class InspectionQuerySet(PublishedQuerySet):
    public_flags = INSPECTION_PUBLIC
    stored_flag = True

    def for_detail(self, public: bool = True):
        """The inspection, its council and every judgement, in printed order, each fact with
        its disagreements (read in the same queries: interventions.memberships)."""
        judgements = Judgement.objects.select_related("source").order_by("position")
        if public:
            judgements = judgements.published()
        inspections = self.select_related("council", "inspectorate", "source")
        return with_disagreements(inspections).prefetch_related(
            models.Prefetch("judgements", with_disagreements(judgements))
        )


class Inspection(HasPartialDates, Fact):
    """An inspection or assessment of one council's service, with its overall grade."""

    partial_dates = (
        "start_date",
        "end_date",
        "published_date",
    )
    date_ranges = (("start_date", "end_date"),)

    slug = models.SlugField(max_length=120, unique=True)
    council = models.ForeignKey(
        "interventions.Council", on_delete=models.PROTECT, related_name="inspections"
    )
    framework = models.CharField(max_length=20, choices=Framework.choices)
    inspectorate = models.ForeignKey(
        "interventions.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inspections",
    )
    title = models.CharField(max_length=300)
    service = models.CharField(
        max_length=200,
        blank=True,
        default="",
        help_text='What was judged, e.g. "Adult social care".',
    )
    service_scope = models.CharField(
        "service rated",
        max_length=12,
        choices=ServiceScope.choices,
        blank=True,
        default="",
        help_text=(
            "Which services the grade covers, as the report says: adults', children's, education, "
            "or all social services. Charts draw each on its own line."
        ),
    )
    period = models.CharField(
        max_length=40, blank=True, default="", help_text='The year assessed, e.g. "2005/2006".'
    )
    year = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Calendar year the judgement was made or, for a period, the year it began.",
    )
    start_date, start_date_precision = partial_date_fields("inspection began")
    (
        start_date_year,
        start_date_month,
        start_date_day,
        start_date_year_inferred,
        start_date_kind,
        start_date_note,
    ) = partial_date_parts("inspection began")
    end_date, end_date_precision = partial_date_fields("inspection ended")
    (
        end_date_year,
        end_date_month,
        end_date_day,
        end_date_year_inferred,
        end_date_kind,
        end_date_note,
    ) = partial_date_parts("inspection ended")
    published_date, published_date_precision = partial_date_fields("published")
    (
        published_date_year,
        published_date_month,
        published_date_day,
        published_date_year_inferred,
        published_date_kind,
        published_date_note,
    ) = partial_date_parts("published")
    overall_grade = models.CharField(max_length=30, blank=True, default="")
    overall_score = models.SmallIntegerField(null=True, blank=True, editable=False)
    overall_as_printed = models.CharField(
        "overall grade as printed",
        max_length=200,
        blank=True,
        default="",
        help_text=(
            "Exactly as printed. A grade printed only as a word that is not on the framework's "
            'scale ("inadequate" for an APA) stays here, with the overall grade left blank.'
        ),
    )
    equivalent_grade = models.CharField(
        "equivalent grade",
        max_length=30,
        blank=True,
        default="",
        help_text=(
            "Only where the report states the grade as an equivalent on another scale "
            '("equivalent to one star"): that grade, on the scale chosen below.'
        ),
    )
    equivalent_framework = models.CharField(
        "equivalent on",
        max_length=20,
        choices=Framework.choices,
        blank=True,
        default="",
        help_text="The framework whose scale the equivalent grade is on, as the report says.",
    )
    summary = models.TextField(blank=True, default="")
    led_to = models.ManyToManyField(
        "interventions.Intervention",
        blank=True,
        related_name="trigger_inspections",
        verbose_name="interventions it led to",
        help_text="Only where the report says this inspection led to the intervention.",
    )
    published = published_field()
    public = public_field()

    objects = SlugManager.from_queryset(InspectionQuerySet)()
    history = HistoricalRecords(excluded_fields=["public"])

    class Meta:
        ordering = ["council", "year", "start_date", "slug"]
        verbose_name = "inspection"
        constraints = [
            *Fact.Meta.constraints,
            models.CheckConstraint(condition=~Q(slug=""), name="inspection_slug_not_blank"),
            models.CheckConstraint(
                condition=Q(framework__in=Framework.values), name="inspection_framework_valid"
            ),
            models.CheckConstraint(
                condition=Q(service_scope__in=ServiceScope.values),
                name="inspection_service_scope_valid",
            ),
            models.CheckConstraint(
                condition=grade_on_scale_condition("overall_grade", "overall_score"),
                name="inspection_overall_grade_on_scale",
            ),
            models.CheckConstraint(
                condition=equivalent_condition("equivalent_grade", "equivalent_framework"),
                name="inspection_equivalent_on_scale",
                violation_error_message=(
                    "An equivalent grade needs the framework it is on, and must be a grade of "
                    "that framework's scale."
                ),
            ),
            partial_date_constraint("start_date", "inspection_start_precision"),
            partial_date_parts_constraint("start_date", "inspection_start_parts_valid"),
            partial_date_constraint("end_date", "inspection_end_precision"),
            partial_date_parts_constraint("end_date", "inspection_end_parts_valid"),
            partial_date_constraint("published_date", "inspection_published_precision"),
            partial_date_parts_constraint("published_date", "inspection_published_parts_valid"),
            date_order_constraint("start_date", "end_date", "inspection_end_after_start"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.overall_score = score_for(self.framework, self.overall_grade)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return slug_url("ratings:inspection-detail", self.slug)

    def natural_key(self):
        return (self.slug,)

    natural_key.dependencies = ["interventions.source", "interventions.council"]

    def clean(self):
        if self.framework:
            check_grade(self.framework, self.overall_grade, "overall_grade")
        if bool(self.equivalent_grade) != bool(self.equivalent_framework):
            raise ValidationError(
                {
                    "equivalent_grade": (
                        "Give both the equivalent grade and the framework it is on, or neither."
                    )
                }
            )
        if self.equivalent_framework:
            check_grade(self.equivalent_framework, self.equivalent_grade, "equivalent_grade")
        self.clean_partial_dates()

    def scale_levels(self) -> list[tuple[int, str]]:
        """The framework's whole grade scale as (score, grade), worst first: charts draw it."""
        return sorted((score, grade) for grade, score in grades_for(self.framework).items())

    @property
    def equivalent_display(self) -> str:
        """'equivalent to 1 star on the CSCI social services star rating, as the report says'."""
        if not self.equivalent_grade:
            return ""
        scale = Framework(self.equivalent_framework).label
        return f"equivalent to {self.equivalent_grade} on the {scale}, as the report says"

    @property
    def published_display(self) -> str:
        return self.date_parts("published_date").display()


class JudgementQuerySet(PublishedQuerySet):
    public_flags = (*(f"inspection__{flag}" for flag in INSPECTION_PUBLIC), "source__published")
    stored_flag = True


class JudgementManager(models.Manager.from_queryset(JudgementQuerySet)):
    def get_by_natural_key(self, inspection_slug, position):
        return self.get(inspection__slug=inspection_slug, position=position)


class Judgement(Fact):
    """One row of an inspection's judgements, in the order printed."""

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="judgements")
    position = models.PositiveSmallIntegerField(help_text="Order in the printed table.")
    section = models.CharField(max_length=200, blank=True, default="")
    area = models.CharField(max_length=300)
    framework = models.CharField(
        max_length=20,
        choices=Framework.choices,
        editable=False,
        help_text="Copied from the inspection; the grade must be on its scale.",
    )
    grade = models.CharField(max_length=30, blank=True, default="")
    score = models.SmallIntegerField(null=True, blank=True, editable=False)
    grade_as_printed = models.CharField(max_length=200, blank=True, default="")
    headline = models.BooleanField(
        "overall result of its section",
        default=False,
        help_text=(
            'Tick for the row that gives a section\'s overall result ("Overall effectiveness") '
            "when the inspection prints no single overall grade; charts draw these rows."
        ),
    )
    public = public_field()

    objects = JudgementManager()
    history = HistoricalRecords(excluded_fields=["public"])

    class Meta:
        ordering = ["inspection", "position"]
        verbose_name = "judgement"
        indexes = [models.Index(fields=["public", "framework"], name="judgement_public_framework")]
        constraints = [
            *Fact.Meta.constraints,
            models.UniqueConstraint(
                fields=["inspection", "position"], name="judgement_position_unique"
            ),
            models.CheckConstraint(
                condition=Q(framework__in=Framework.values), name="judgement_framework_valid"
            ),
            models.CheckConstraint(
                condition=grade_on_scale_condition("grade", "score"),
                name="judgement_grade_on_scale",
            ),
            models.CheckConstraint(condition=~Q(area=""), name="judgement_area_not_blank"),
        ]

    def __str__(self):
        return f"{self.area}: {self.grade or 'not graded'}"

    def save(self, *args, **kwargs):
        if self.inspection_id:
            self.framework = self.inspection.framework
        self.score = score_for(self.framework, self.grade) if self.framework else None
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return f"{self.inspection.get_absolute_url()}#judgement-{self.position}"

    def natural_key(self):
        return (self.inspection.slug, self.position)

    natural_key.dependencies = ["ratings.inspection"]

    def clean(self):
        if self.inspection_id:
            self.framework = self.inspection.framework
            check_grade(self.framework, self.grade, "grade")
