"""Factories with fictional councils and reports, for unit tests."""

import datetime
from decimal import Decimal

import factory

from interventions import models as im
from ratings import models as rm


def date_parts(field: str, value, precision: str) -> dict:
    """A date written the short way in a test (a day, and how much of it the report gives)
    as the parts the model stores: `start_date=date(2004, 10, 1)` with precision "month"
    becomes start_date_year=2004, start_date_month=10."""
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value)
    parts = im.PartialDate.from_date(value, precision or im.DatePrecision.DAY)
    return {f"{field}_year": parts.year, f"{field}_month": parts.month, f"{field}_day": parts.day}


class PartialDatesFactory(factory.django.DjangoModelFactory):
    """Lets a test give a date and its precision; the model keeps its parts (and derives
    the date and precision from them on save)."""

    class Meta:
        abstract = True

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        for field in getattr(cls._meta.model, "partial_dates", ()):
            if field in kwargs or f"{field}_precision" in kwargs:
                value = kwargs.pop(field, None)
                precision = kwargs.pop(f"{field}_precision", "")
                given = {k: kwargs[k] for k in kwargs if k.startswith(f"{field}_")}
                kwargs.update({**date_parts(field, value, precision), **given})
        return kwargs


class SourceFactory(PartialDatesFactory):
    class Meta:
        model = im.Source
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"report-{n}")
    title = factory.Sequence(lambda n: f"Report number {n}")
    kind = im.SourceKind.REVIEW
    publisher = "Department of Examples"
    date = datetime.date(2012, 3, 1)
    date_precision = im.DatePrecision.MONTH


class CouncilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = im.Council

    slug = factory.Sequence(lambda n: f"exampleshire-{n}")
    name = factory.Sequence(lambda n: f"Exampleshire {n} Council")
    council_type = im.CouncilType.UNITARY
    region = im.Region.SOUTH_WEST
    source = factory.SubFactory(SourceFactory)
    locator = "para 1"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = im.Organisation
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"provider-{n}")
    name = factory.Sequence(lambda n: f"Provider {n} Ltd")
    kind = im.OrganisationKind.PROVIDER
    source = factory.SubFactory(SourceFactory)
    locator = "para 2"

    @factory.post_generation
    def council(obj, create, extracted, **kwargs):
        """OrganisationFactory(council=c): a board or unit of that council (its one owner)."""
        if create and extracted is not None:
            im.Ownership.objects.create(organisation=obj, council=extracted)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = im.Person

    slug = factory.Sequence(lambda n: f"person-{n}")
    name = factory.Sequence(lambda n: f"Person Number {n}")
    source = factory.SubFactory(SourceFactory)
    locator = "para 3"


class PostFactory(PartialDatesFactory):
    class Meta:
        model = im.Post

    person = factory.SubFactory(PersonFactory)
    position = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Director number {n}")
    source = factory.SubFactory(SourceFactory)
    locator = "para 4"


class FactFactory(PartialDatesFactory):
    """A fact, which may be part of disagreements: `discrepancies=[...]`, or one with
    `discrepancy=`."""

    class Meta:
        abstract = True
        skip_postgeneration_save = True

    @factory.post_generation
    def discrepancies(self, create, extracted, **kwargs):
        if create and extracted:
            self.discrepancies.add(*extracted)

    @factory.post_generation
    def discrepancy(self, create, extracted, **kwargs):
        if create and extracted:
            self.discrepancies.add(extracted)


class InterventionFactory(FactFactory):
    class Meta:
        model = im.Intervention

    slug = factory.Sequence(lambda n: f"intervention-{n}")
    title = factory.Sequence(lambda n: f"Improvement partnership {n}")
    subject_council = factory.SubFactory(CouncilFactory)
    kind = im.InterventionKind.PARTNERSHIP
    status = im.Status.COMPLETED
    start_date = datetime.date(2004, 10, 1)
    start_date_precision = im.DatePrecision.MONTH
    end_date = datetime.date(2007, 11, 1)
    end_date_precision = im.DatePrecision.MONTH
    summary = "A stronger council helped a weaker one."
    source = factory.SubFactory(SourceFactory)
    locator = "para 1(1)"


class PartFactory(FactFactory):
    intervention = factory.SubFactory(InterventionFactory)
    position = factory.Sequence(lambda n: n + 1)
    source = factory.SelfAttribute("intervention.source")
    locator = "para 3"


class ParticipantFactory(PartFactory):
    class Meta:
        model = im.Participant

    council = factory.SubFactory(CouncilFactory)
    role = im.ParticipantRole.LEAD_PARTNER


class PhaseFactory(PartFactory):
    class Meta:
        model = im.Phase

    name = factory.Sequence(lambda n: f"Phase {n}")


class WorkstreamFactory(PartFactory):
    class Meta:
        model = im.Workstream

    name = factory.Sequence(lambda n: f"Workstream {n}")


class LessonFactory(PartFactory):
    class Meta:
        model = im.Lesson

    kind = im.LessonKind.LESSON
    text = "Leadership mattered."


class MilestoneFactory(PartFactory):
    class Meta:
        model = im.Milestone

    date = datetime.date(2005, 4, 1)
    date_precision = im.DatePrecision.MONTH
    description = "Interim director appointed."


class InspectionFactory(FactFactory):
    class Meta:
        model = rm.Inspection

    slug = factory.Sequence(lambda n: f"inspection-{n}")
    council = factory.SubFactory(CouncilFactory)
    framework = rm.Framework.OFSTED_SLAC
    title = factory.Sequence(lambda n: f"Inspection {n}")
    year = 2011
    overall_grade = "Inadequate"
    source = factory.SubFactory(SourceFactory)
    locator = "table 1"


class JudgementFactory(FactFactory):
    class Meta:
        model = rm.Judgement

    inspection = factory.SubFactory(InspectionFactory)
    position = factory.Sequence(lambda n: n + 1)
    area = "Overall effectiveness"
    grade = "Adequate"
    source = factory.SelfAttribute("inspection.source")
    locator = "table 1"


class SpendingLineFactory(FactFactory):
    class Meta:
        model = rm.SpendingLine

    ref = factory.Sequence(lambda n: f"line-{n}")
    council = factory.SubFactory(CouncilFactory)
    line = "Children's social care budget"
    kind = rm.SpendingKind.BUDGET
    period = "2012/13"
    year = 2012
    amount_gbp = Decimal("14922000.00")
    as_printed = "14,922"
    source = factory.SubFactory(SourceFactory)
    locator = "budget table"


class StatisticFactory(FactFactory):
    class Meta:
        model = rm.Statistic

    ref = factory.Sequence(lambda n: f"stat-{n}")
    council = factory.SubFactory(CouncilFactory)
    measure = "Population aged 0-17"
    period = "2011/12"
    year = 2011
    value = Decimal("38000")
    unit = rm.Unit.COUNT
    as_printed = "38,000"
    source = factory.SubFactory(SourceFactory)
    locator = "population table"


# Detail pages ---------------------------------------------------------------------------


class DiscrepancyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = im.Discrepancy

    slug = factory.Sequence(lambda n: f"disagreement-{n}")
    title = factory.Sequence(lambda n: f"Disagreement {n}")
    note = "The reports give different figures."


class ServiceAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = im.ServiceArea
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"service-{n}")
    name = factory.Sequence(lambda n: f"Service {n}")


class InterventionLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = im.InterventionLink

    from_intervention = factory.SubFactory(InterventionFactory)
    to_intervention = factory.SubFactory(InterventionFactory)
    kind = im.LinkKind.MODEL_FOR
    source = factory.SelfAttribute("from_intervention.source")
    locator = "para 4"


def latest_version_url(record) -> str:
    """The address of the record's latest public version (`…/versions/vN/`)."""
    from interventions.versions import record_versions, version_url

    return version_url(record, record_versions(record).latest("number").number)
