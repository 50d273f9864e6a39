"""The case studies: interventions and their parts."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from .bodies import Council, Organisation
from .common import (
    Cited,
    Fact,
    HasPartialDates,
    PublishedQuerySet,
    SlugManager,
    date_order_constraint,
    partial_date_constraint,
    partial_date_fields,
    partial_date_parts,
    partial_date_parts_constraint,
    partial_date_range,
    published_field,
    slug_url,
)


class InterventionKind(models.TextChoices):
    PARTNERSHIP = "partnership", "Council-to-council partnership"
    OUTSOURCING = "outsourcing", "Outsourcing to a provider"
    IMPROVEMENT_NOTICE = "improvement-notice", "Improvement notice and board"
    DIRECTION = "direction", "Statutory direction or commissioner"
    TRUST = "trust", "Independent trust or company"
    SECTOR_SUPPORT = "sector-support", "Sector-led support or peer review"
    REVIEW = "review", "Review of options"
    MENTOR = "mentor", "Improvement mentor or adviser"


class Status(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    RECOMMENDED = "recommended", "Recommended"
    REJECTED = "rejected", "Rejected"
    ACTIVE = "active", "Active"
    COMPLETED = "completed", "Completed"
    UNKNOWN = "unknown", "Not stated"


class TargetMet(models.TextChoices):
    """Whether the headline target was met, as the report judges it.

    "Not stated" means the report has a target to judge against but gives no verdict on it;
    blank means there is nothing to judge yet (a review, an option never taken up, or an
    intervention still under way with no verdict due)."""

    MET = "met", "Met"
    PARTLY = "partly", "Partly met"
    NOT_MET = "not-met", "Not met"
    NOT_STATED = "not-stated", "Not stated"


class ServiceArea(models.Model):
    """A council service an intervention covers (children's social care, education, …)."""

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=100, unique=True)

    objects = SlugManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = "service area"

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)


class DisagreementScope(models.TextChoices):
    """Whether a disagreement is between reports or inside one report."""

    BETWEEN = "between", "Between sources"
    WITHIN = "within", "Within one source"

    @property
    def flag(self) -> str:
        """The words a page puts beside each fact that is part of one."""
        return FLAGS[self]


FLAGS = {
    DisagreementScope.BETWEEN: "Sources differ",
    DisagreementScope.WITHIN: "The report prints two versions",
}


class Discrepancy(models.Model):
    """A point of disagreement: between reports, or inside one report (a table that prints
    two grades for one area). Each version stays its own row, with its source; a fact may
    be part of several (`Fact.discrepancies`)."""

    slug = models.SlugField(max_length=100, unique=True)
    title = models.CharField(max_length=200, help_text='What is in dispute, e.g. "Contract sum".')
    scope = models.CharField(
        max_length=7,
        choices=DisagreementScope.choices,
        default=DisagreementScope.BETWEEN,
        help_text=(
            "Between sources: two or more reports differ. Within one source: one report "
            "prints two versions (every fact in it then cites that report; the seed checks)."
        ),
    )
    note = models.TextField(blank=True, default="", help_text="How the versions differ, briefly.")

    objects = SlugManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["title"]
        verbose_name = "disagreement"
        verbose_name_plural = "disagreements"
        constraints = [
            models.CheckConstraint(
                condition=Q(scope__in=DisagreementScope.values),
                name="interventions_discrepancy_scope_valid",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return slug_url("interventions:disagreement-detail", self.slug)

    def natural_key(self):
        return (self.slug,)

    @property
    def flag(self) -> str:
        return FLAGS.get(self.scope, FLAGS[DisagreementScope.BETWEEN])

    def scope_problem(self, source_ids) -> str:
        """Why the member facts' reports do not fit the scope ("" when they do)."""
        sources = set(source_ids)
        if self.scope == DisagreementScope.WITHIN and len(sources) > 1:
            return (
                f'Disagreement "{self.slug}" is within one source, but its facts cite '
                f"{len(sources)} reports."
            )
        if self.scope == DisagreementScope.BETWEEN and len(sources) == 1:
            return (
                f'Disagreement "{self.slug}" is between sources, but all its facts cite one '
                "report: set its scope to within one source."
            )
        return ""


# What a linked case study is fetched with: its page names its council, and whether it may be
# named at all is read from its council and source (interventions.visibility).
PARENTS = ("subject_council", "source")
INTERVENTION_PUBLIC = ("published", "subject_council__published", "source__published")


class InterventionQuerySet(PublishedQuerySet):
    public_flags = INTERVENTION_PUBLIC

    def for_detail(self, public: bool = True):
        """The case study and all its parts: one query per kind of part, whatever their
        number. Parts are reached by their reverse relations, so that this app names no
        model another app owns (interventions.sections)."""
        from ..memberships import with_disagreements as flagged
        from ..views.details.serialise import spending_rows

        cited = ("source",)
        link_end = (
            "source",
            *(f"{end}_intervention__{parent}" for end in ("to", "from") for parent in PARENTS),
        )

        def shown(queryset):
            # Each fact with its disagreements, read in the same query (memberships).
            return flagged(queryset.published() if public else queryset)

        def part(name, *related):
            model = Intervention._meta.get_field(name).related_model
            return models.Prefetch(name, shown(model.objects.select_related(*related, *cited)))

        def rows(name):
            return Intervention._meta.get_field(name).related_model.objects

        links = InterventionLink.objects.select_related(*link_end)
        return flagged(self.select_related("subject_council", *cited)).prefetch_related(
            "service_areas",
            part("participants", "council", "organisation", "person"),
            part("phases"),
            part("workstreams"),
            part("lessons"),
            part("milestones"),
            models.Prefetch("spending_lines", shown(spending_rows(rows("spending_lines")))),
            models.Prefetch(
                "statistics",
                shown(
                    rows("statistics")
                    .select_related("council", "organisation", "person", *cited)
                    .order_by("measure", "year")
                ),
            ),
            models.Prefetch("links_from", shown(links)),
            models.Prefetch("links_to", shown(links)),
        )


class Intervention(HasPartialDates, Fact):
    """A case study: what was done to or for a council's failing service."""

    partial_dates = (
        "status_as_of",
        "start_date",
        "end_date",
    )
    date_ranges = (("start_date", "end_date"),)

    slug = models.SlugField(max_length=100, unique=True)
    title = models.CharField(max_length=200)
    subject_council = models.ForeignKey(
        Council,
        on_delete=models.PROTECT,
        related_name="interventions",
        help_text="The council whose service was failing.",
    )
    kind = models.CharField(max_length=20, choices=InterventionKind.choices)
    service_areas = models.ManyToManyField(ServiceArea, blank=True, related_name="interventions")
    status = models.CharField(
        max_length=12,
        choices=Status.choices,
        help_text='As the report states it; "Not stated" when it does not (reading in the note).',
    )
    status_note = models.TextField(
        "status note",
        blank=True,
        default="",
        help_text=(
            'Only with "Not stated": the curator\'s reading of the status, in our own words, '
            "shown beside it."
        ),
    )
    status_as_of, status_as_of_precision = partial_date_fields("status as of")
    (
        status_as_of_year,
        status_as_of_month,
        status_as_of_day,
        status_as_of_year_inferred,
        status_as_of_kind,
        status_as_of_note,
    ) = partial_date_parts(
        "status as of",
        "The date the report states the status at (usually the report's own date). "
        'Blank with "Not stated".',
    )
    mentioned_only = models.BooleanField(
        "mentioned in passing",
        default=False,
        help_text="The reports only mention it (as a model or comparison); recorded briefly.",
    )
    start_date, start_date_precision = partial_date_fields("start date")
    (
        start_date_year,
        start_date_month,
        start_date_day,
        start_date_year_inferred,
        start_date_kind,
        start_date_note,
    ) = partial_date_parts("start date")
    end_date, end_date_precision = partial_date_fields("end date")
    (
        end_date_year,
        end_date_month,
        end_date_day,
        end_date_year_inferred,
        end_date_kind,
        end_date_note,
    ) = partial_date_parts("end date")
    summary = models.TextField(blank=True, default="", help_text="In our own words.")
    trigger = models.TextField(blank=True, default="", help_text="What led to the intervention.")
    target = models.TextField("headline target", blank=True, default="")
    outcome = models.TextField(blank=True, default="")
    target_met = models.CharField(
        max_length=10,
        choices=TargetMet.choices,
        blank=True,
        default="",
        help_text=(
            '"Not stated" when there is a target but the report gives no verdict on it (put your '
            "reading in the note); blank when there is nothing to judge (not assessed yet, or "
            "not applicable: a review, or an option never taken up)."
        ),
    )
    target_met_note = models.TextField(
        "target met note",
        blank=True,
        default="",
        help_text='Only with "Not stated": the curator\'s reading, in our own words.',
    )
    published = published_field()

    objects = SlugManager.from_queryset(InterventionQuerySet)()
    history = HistoricalRecords(m2m_fields=[service_areas])

    class Meta:
        ordering = ["start_date", "title"]
        verbose_name = "intervention"
        constraints = [
            *Fact.Meta.constraints,
            models.CheckConstraint(condition=~Q(slug=""), name="intervention_slug_not_blank"),
            models.CheckConstraint(condition=~Q(title=""), name="intervention_title_not_blank"),
            models.CheckConstraint(
                condition=Q(kind__in=InterventionKind.values), name="intervention_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="intervention_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(target_met="") | Q(target_met__in=TargetMet.values),
                name="intervention_target_met_valid",
            ),
            models.CheckConstraint(
                condition=Q(status_note="") | Q(status=Status.UNKNOWN),
                name="intervention_status_note_only_not_stated",
            ),
            models.CheckConstraint(
                condition=Q(status_as_of__isnull=True) | ~Q(status=Status.UNKNOWN),
                name="intervention_status_as_of_only_stated",
            ),
            models.CheckConstraint(
                condition=Q(target_met_note="") | Q(target_met=TargetMet.NOT_STATED),
                name="intervention_target_met_note_only_not_stated",
            ),
            partial_date_constraint("start_date", "intervention_start_precision"),
            partial_date_parts_constraint("start_date", "intervention_start_parts_valid"),
            partial_date_constraint("end_date", "intervention_end_precision"),
            partial_date_parts_constraint("end_date", "intervention_end_parts_valid"),
            partial_date_constraint("status_as_of", "intervention_status_as_of_precision"),
            partial_date_parts_constraint("status_as_of", "intervention_status_as_of_parts_valid"),
            date_order_constraint("start_date", "end_date", "intervention_end_after_start"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return slug_url("interventions:intervention-detail", self.slug)

    def natural_key(self):
        return (self.slug,)

    natural_key.dependencies = [
        "interventions.source",
        "interventions.council",
        "interventions.servicearea",
        "interventions.discrepancy",
    ]

    def clean(self):
        errors = self.partial_date_errors()
        if self.status == Status.UNKNOWN and self.date_parts("status_as_of").known:
            errors["status_as_of_year"] = (
                "A status the report does not state has no date: leave this blank."
            )
        if self.status_note and self.status != Status.UNKNOWN:
            errors["status_note"] = (
                'The note is for "Not stated" only: a stated status speaks for itself.'
            )
        if self.target_met_note and self.target_met != TargetMet.NOT_STATED:
            errors["target_met_note"] = 'The note is for "Not stated" only.'
        if errors:
            raise ValidationError(errors)

    @property
    def start_display(self) -> str:
        return self.date_parts("start_date").display()

    @property
    def end_display(self) -> str:
        return self.date_parts("end_date").display()

    @property
    def status_as_of_display(self) -> str:
        return self.date_parts("status_as_of").display()


class PartQuerySet(PublishedQuerySet):
    public_flags = (*(f"intervention__{flag}" for flag in INTERVENTION_PUBLIC), "source__published")


class PartManager(models.Manager.from_queryset(PartQuerySet)):
    """Parts of an intervention are found by the intervention's slug and their position."""

    def get_by_natural_key(self, intervention_slug, position):
        return self.get(intervention__slug=intervention_slug, position=position)


class InterventionPart(Fact):
    """An ordered part of one intervention."""

    position = models.PositiveSmallIntegerField(
        help_text="Order within the intervention, as the report gives it."
    )

    objects = PartManager()

    class Meta(Fact.Meta):
        abstract = True
        ordering = ["intervention", "position"]

    def get_absolute_url(self):
        return f"{self.intervention.get_absolute_url()}#{self._meta.model_name}-{self.position}"

    def natural_key(self):
        return (self.intervention.slug, self.position)

    natural_key.dependencies = ["interventions.intervention"]


def part_constraints(name: str) -> list:
    return [
        *Fact.Meta.constraints,
        models.UniqueConstraint(
            fields=["intervention", "position"], name=f"{name}_position_unique"
        ),
    ]


class ParticipantRole(models.TextChoices):
    LEAD_PARTNER = "lead-partner", "Lead partner"
    PARTNER = "partner", "Partner"
    PROVIDER = "provider", "Provider"
    SUBCONTRACTOR = "subcontractor", "Subcontractor"
    FUNDER = "funder", "Funder"
    OVERSIGHT = "oversight", "Oversight (issued or monitored the intervention)"
    REVIEWER = "reviewer", "Reviewer"
    CHAIR = "chair", "Chair"
    COMMISSIONER = "commissioner", "Commissioner"
    BOARD = "board", "Board"
    LEADERSHIP = "leadership", "Leadership post"
    ADVISER = "adviser", "Adviser"
    CONTRIBUTOR = "contributor", "Contributor"
    NOT_STATED = "not-stated", "Not stated"


class Participant(InterventionPart):
    """Who took part, in what role: a council, an organisation, and/or a named person."""

    intervention = models.ForeignKey(
        Intervention, on_delete=models.PROTECT, related_name="participants"
    )
    council = models.ForeignKey(
        Council, on_delete=models.PROTECT, null=True, blank=True, related_name="participations"
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participations",
    )
    person = models.ForeignKey(
        "interventions.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participations",
        help_text="The person's own record, if they are named (their page lists this role).",
    )
    role = models.CharField(
        max_length=20,
        choices=ParticipantRole.choices,
        help_text='As the report states it; "Not stated" when it names them without a role.',
    )
    person_name = models.CharField(
        "person's name",
        max_length=200,
        blank=True,
        default="",
        help_text="A named individual, as printed here (filled from the person's record).",
    )
    post = models.CharField(
        max_length=200, blank=True, default="", help_text="Their post or title, as printed."
    )
    described_as = models.CharField(
        "role described as",
        max_length=300,
        blank=True,
        default="",
        help_text=(
            "A role with no one named in it, as the report describes it, e.g. "
            '"a proposed independent chair". Leave blank when a person or body is named.'
        ),
    )
    description = models.TextField(blank=True, default="", help_text="What they did.")

    history = HistoricalRecords()

    class Meta(InterventionPart.Meta):
        verbose_name = "participant"
        constraints = [
            *part_constraints("participant"),
            models.CheckConstraint(
                condition=~(Q(council__isnull=False) & Q(organisation__isnull=False)),
                name="participant_one_body",
            ),
            models.CheckConstraint(
                condition=Q(council__isnull=False)
                | Q(organisation__isnull=False)
                | Q(person__isnull=False)
                | ~Q(person_name="")
                | ~Q(described_as=""),
                name="participant_names_someone",
                violation_error_message=(
                    "Name a council, an organisation or a person, or describe the role as "
                    'the report prints it ("role described as").'
                ),
            ),
            models.CheckConstraint(
                condition=Q(role__in=ParticipantRole.values), name="participant_role_valid"
            ),
        ]

    def __str__(self):
        body = self.council or self.organisation
        who = ", ".join(str(part) for part in (self.person_name, body) if part)
        return f"{who or self.described_as}: {self.get_role_display()}"

    @property
    def role_only(self) -> bool:
        """A role the report describes without naming anyone in it."""
        return not (self.council_id or self.organisation_id or self.person_id or self.person_name)

    def save(self, *args, **kwargs):
        if self.person_id and not self.person_name:
            self.person_name = self.person.name
        super().save(*args, **kwargs)


class Phase(HasPartialDates, InterventionPart):
    partial_dates = (
        "start_date",
        "end_date",
    )
    date_ranges = (("start_date", "end_date"),)

    intervention = models.ForeignKey(Intervention, on_delete=models.PROTECT, related_name="phases")
    name = models.CharField(max_length=200)
    start_date, start_date_precision = partial_date_fields("start date")
    (
        start_date_year,
        start_date_month,
        start_date_day,
        start_date_year_inferred,
        start_date_kind,
        start_date_note,
    ) = partial_date_parts("start date")
    end_date, end_date_precision = partial_date_fields("end date")
    (
        end_date_year,
        end_date_month,
        end_date_day,
        end_date_year_inferred,
        end_date_kind,
        end_date_note,
    ) = partial_date_parts("end date")
    led_by = models.CharField(max_length=200, blank=True, default="")
    description = models.TextField(blank=True, default="")

    history = HistoricalRecords()

    class Meta(InterventionPart.Meta):
        verbose_name = "phase"
        constraints = [
            *part_constraints("phase"),
            partial_date_constraint("start_date", "phase_start_precision"),
            partial_date_parts_constraint("start_date", "phase_start_parts_valid"),
            partial_date_constraint("end_date", "phase_end_precision"),
            partial_date_parts_constraint("end_date", "phase_end_parts_valid"),
            date_order_constraint("start_date", "end_date", "phase_end_after_start"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        self.clean_partial_dates()

    @property
    def start_display(self) -> str:
        return self.date_parts("start_date").display()

    @property
    def end_display(self) -> str:
        return self.date_parts("end_date").display()


class Workstream(InterventionPart):
    intervention = models.ForeignKey(
        Intervention, on_delete=models.PROTECT, related_name="workstreams"
    )
    name = models.CharField(max_length=200)
    objective = models.TextField(blank=True, default="")
    lead = models.CharField(max_length=200, blank=True, default="")

    history = HistoricalRecords()

    class Meta(InterventionPart.Meta):
        verbose_name = "workstream"
        constraints = part_constraints("workstream")

    def __str__(self):
        return self.name


class LessonKind(models.TextChoices):
    ACHIEVEMENT = "achievement", "Achievement"
    CHALLENGE = "challenge", "Challenge"
    LESSON = "lesson", "Lesson learned"


class Lesson(InterventionPart):
    intervention = models.ForeignKey(Intervention, on_delete=models.PROTECT, related_name="lessons")
    kind = models.CharField(max_length=12, choices=LessonKind.choices)
    text = models.TextField(help_text="In our own words.")

    history = HistoricalRecords()

    class Meta(InterventionPart.Meta):
        verbose_name = "lesson"
        constraints = [
            *part_constraints("lesson"),
            models.CheckConstraint(
                condition=Q(kind__in=LessonKind.values), name="lesson_kind_valid"
            ),
            models.CheckConstraint(condition=~Q(text=""), name="lesson_text_not_blank"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.text[:60]}"


class Milestone(HasPartialDates, InterventionPart):
    """A dated event in an intervention's story: announced, started, inspected, ended."""

    partial_dates = (
        "date",
        "end_date",
    )
    date_ranges = (("date", "end_date"),)

    intervention = models.ForeignKey(
        Intervention, on_delete=models.PROTECT, related_name="milestones"
    )
    date, date_precision = partial_date_fields("date")
    (date_year, date_month, date_day, date_year_inferred, date_kind, date_note) = (
        partial_date_parts("date")
    )
    end_date, end_date_precision = partial_date_fields("end date")
    (
        end_date_year,
        end_date_month,
        end_date_day,
        end_date_year_inferred,
        end_date_kind,
        end_date_note,
    ) = partial_date_parts("end date")
    description = models.CharField(max_length=300, help_text="What happened, in our words.")

    history = HistoricalRecords()

    class Meta(InterventionPart.Meta):
        verbose_name = "milestone"
        constraints = [
            *part_constraints("milestone"),
            partial_date_constraint("date", "milestone_date_precision"),
            partial_date_parts_constraint("date", "milestone_date_parts_valid"),
            partial_date_constraint("end_date", "milestone_end_precision"),
            partial_date_parts_constraint("end_date", "milestone_end_parts_valid"),
            date_order_constraint("date", "end_date", "milestone_end_after_start"),
            models.CheckConstraint(
                condition=~Q(description=""), name="milestone_description_not_blank"
            ),
        ]

    def __str__(self):
        return f"{self.date_display}: {self.description}"

    def clean(self):
        self.clean_partial_dates()

    @property
    def date_display(self) -> str:
        start, end = self.date_parts("date"), self.date_parts("end_date")
        if not end.known:
            return start.display()
        return partial_date_range(start, end)


class LinkKind(models.TextChoices):
    MODEL_FOR = "model-for", "Cited as a model for"
    COMPARED_WITH = "compared-with", "Compared with"
    ALTERNATIVE_TO = "alternative-to", "Alternative to"
    FOLLOWED_BY = "followed-by", "Followed by"
    PART_OF = "part-of", "Part of"


class LinkQuerySet(PublishedQuerySet):
    public_flags = (
        *(f"from_intervention__{flag}" for flag in INTERVENTION_PUBLIC),
        *(f"to_intervention__{flag}" for flag in INTERVENTION_PUBLIC),
        "source__published",
    )


class LinkManager(models.Manager.from_queryset(LinkQuerySet)):
    def get_by_natural_key(self, from_slug, to_slug, kind):
        return self.get(from_intervention__slug=from_slug, to_intervention__slug=to_slug, kind=kind)


class InterventionLink(Cited):
    """One intervention related to another, e.g. cited as a model for it."""

    from_intervention = models.ForeignKey(
        Intervention, on_delete=models.PROTECT, related_name="links_from"
    )
    to_intervention = models.ForeignKey(
        Intervention, on_delete=models.PROTECT, related_name="links_to"
    )
    kind = models.CharField(max_length=20, choices=LinkKind.choices)
    note = models.TextField(blank=True, default="")

    objects = LinkManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["from_intervention", "kind", "to_intervention"]
        verbose_name = "related intervention"
        constraints = [
            *Cited.Meta.constraints,
            models.UniqueConstraint(
                fields=["from_intervention", "to_intervention", "kind"], name="link_unique"
            ),
            models.CheckConstraint(
                condition=~Q(from_intervention=models.F("to_intervention")),
                name="link_not_to_itself",
            ),
            models.CheckConstraint(condition=Q(kind__in=LinkKind.values), name="link_kind_valid"),
        ]

    def __str__(self):
        return (
            f"{self.from_intervention} — {self.get_kind_display().lower()} — {self.to_intervention}"
        )

    def natural_key(self):
        return (self.from_intervention.slug, self.to_intervention.slug, self.kind)

    natural_key.dependencies = ["interventions.intervention"]
