"""Councils and the other organisations that take part in interventions."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from .common import (
    Cited,
    Fact,
    PublishedQuerySet,
    SlugManager,
    date_order_constraint,
    published_field,
    slug_url,
)


class CouncilType(models.TextChoices):
    COUNTY = "county", "County council"
    UNITARY = "unitary", "Unitary authority"
    METROPOLITAN = "metropolitan", "Metropolitan district"
    LONDON_BOROUGH = "london-borough", "London borough"
    SHIRE_DISTRICT = "shire-district", "Shire district"


class Region(models.TextChoices):
    NORTH_EAST = "north-east", "North East"
    NORTH_WEST = "north-west", "North West"
    YORKSHIRE = "yorkshire", "Yorkshire and the Humber"
    EAST_MIDLANDS = "east-midlands", "East Midlands"
    WEST_MIDLANDS = "west-midlands", "West Midlands"
    EAST = "east", "East of England"
    LONDON = "london", "London"
    SOUTH_EAST = "south-east", "South East"
    SOUTH_WEST = "south-west", "South West"


class CouncilQuerySet(PublishedQuerySet):
    public_flags = ("published",)

    def for_detail(self):
        """What the council page reads with the council: its report, successor and
        predecessors (its boards, units and owned bodies, with all their owners, are one query
        of interventions.record_sections; the long lists each one capped query)."""
        return self.select_related("source", "successor").prefetch_related("predecessors")


class Council(Fact):
    """A local authority, as a time-bounded body. Comparator councils are councils too.

    The source and locator say where a report first names the council; its type and
    region are reference data (the ONS classification), not facts from the reports.
    """

    slug = models.SlugField(max_length=100, unique=True)
    name = models.CharField(max_length=200, unique=True)
    also_known_as = models.CharField(
        max_length=200,
        blank=True,
        default="",
        help_text='Other names and abbreviations the reports use, e.g. "SBC, Swindon Council".',
    )
    council_type = models.CharField("type", max_length=20, choices=CouncilType.choices, blank=True)
    region = models.CharField(max_length=20, choices=Region.choices, blank=True)
    gss_code = models.CharField(
        "GSS code",
        max_length=9,
        blank=True,
        default="",
        help_text="The ONS (GSS) code, e.g. E06000039. Leave blank if not known.",
    )
    start_date = models.DateField(null=True, blank=True, help_text="When the council was created.")
    end_date = models.DateField(null=True, blank=True, help_text="When it was abolished or merged.")
    successor = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
        help_text="The council that took over when this one ended.",
    )
    published = published_field()

    objects = SlugManager.from_queryset(CouncilQuerySet)()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = "council"
        constraints = [
            *Cited.Meta.constraints,
            models.CheckConstraint(condition=~Q(slug=""), name="council_slug_not_blank"),
            models.CheckConstraint(condition=~Q(name=""), name="council_name_not_blank"),
            models.CheckConstraint(
                condition=Q(council_type="") | Q(council_type__in=CouncilType.values),
                name="council_type_valid",
            ),
            models.CheckConstraint(
                condition=Q(region="") | Q(region__in=Region.values), name="council_region_valid"
            ),
            models.UniqueConstraint(
                fields=["gss_code"], condition=~Q(gss_code=""), name="council_gss_code_unique"
            ),
            date_order_constraint("start_date", "end_date", "council_end_after_start"),
            models.CheckConstraint(
                condition=Q(successor__isnull=True) | ~Q(successor=models.F("pk")),
                name="council_not_own_successor",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return slug_url("interventions:council-detail", self.slug)

    def natural_key(self):
        return (self.slug,)

    natural_key.dependencies = ["interventions.source"]


class OrganisationKind(models.TextChoices):
    GOVERNMENT = "government", "Government department"
    INSPECTORATE = "inspectorate", "Inspectorate"
    PROVIDER = "provider", "Private provider"
    CONSULTANCY = "consultancy", "Consultancy"
    CHARITY = "charity", "Charity or voluntary organisation"
    SOCIAL_ENTERPRISE = "social-enterprise", "Trust, social enterprise or company"
    BOARD = "board", "Board"
    COUNCIL_UNIT = "council-unit", "Unit or group within a council"
    HEALTH = "health", "Health body"
    POLICE = "police", "Police"
    OTHER = "other", "Other"


class OrganisationQuerySet(PublishedQuerySet):
    def for_detail(self):
        """What the organisation page reads with the organisation itself."""
        return self.select_related("source", "successor").prefetch_related(
            "predecessors",
            models.Prefetch(
                "ownerships", Ownership.objects.select_related("council").order_by("position")
            ),
        )


class Organisation(Fact):
    """Any party that is not a council: departments, inspectorates, providers, boards."""

    slug = models.SlugField(max_length=100, unique=True)
    name = models.CharField(max_length=200)
    abbreviation = models.CharField(max_length=30, blank=True, default="")
    kind = models.CharField(max_length=20, choices=OrganisationKind.choices)
    owners = models.ManyToManyField(
        Council,
        through="Ownership",
        blank=True,
        related_name="owned_organisations",
        help_text=(
            "The councils a board or unit belongs to, or that own a company: every one the "
            "report names (Achieving for Children: Richmond upon Thames and Kingston)."
        ),
    )
    successor = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
        help_text="The body that took over its role (ODPM → DCLG).",
    )
    description = models.TextField(blank=True, default="")

    # no draft state: published() is every organisation
    objects = SlugManager.from_queryset(OrganisationQuerySet)()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = "organisation"
        constraints = [
            *Cited.Meta.constraints,
            models.CheckConstraint(condition=~Q(slug=""), name="organisation_slug_not_blank"),
            models.CheckConstraint(condition=~Q(name=""), name="organisation_name_not_blank"),
            models.CheckConstraint(
                condition=Q(kind__in=OrganisationKind.values), name="organisation_kind_valid"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.abbreviation})" if self.abbreviation else self.name

    def get_absolute_url(self):
        return slug_url("interventions:organisation-detail", self.slug)

    def natural_key(self):
        return (self.slug,)

    natural_key.dependencies = ["interventions.source", "interventions.council"]

    def clean(self):
        if self.successor_id and self.successor_id == self.pk:
            raise ValidationError({"successor": "An organisation cannot succeed itself."})


class OwnershipManager(models.Manager.from_queryset(PublishedQuerySet)):
    def get_by_natural_key(self, organisation_slug, council_slug):
        return self.get(organisation__slug=organisation_slug, council__slug=council_slug)


class Ownership(models.Model):
    """One council that a board or unit belongs to, or that owns (or jointly owns) a body.

    A body owned by several councils has a row for each: no page shows only one of them.
    Cited by the organisation's own source and locator."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="ownerships"
    )
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="ownerships")
    position = models.PositiveSmallIntegerField(
        default=1, help_text="Order among the owners, as the report names them."
    )

    objects = OwnershipManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation", "position", "id"]
        verbose_name = "owning council"
        verbose_name_plural = "owning councils"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "council"], name="ownership_council_once"
            ),
        ]

    def __str__(self):
        return f"{self.organisation.name}: {self.council.name}"

    def natural_key(self):
        return (self.organisation.slug, self.council.slug)

    natural_key.dependencies = ["interventions.organisation", "interventions.council"]
