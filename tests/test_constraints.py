"""The database itself refuses bad data, whatever path it comes by (admin, fixture, shell)."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from interventions import models as im
from ratings import models as rm

from . import factories as f

pytestmark = pytest.mark.django_db


def refused(callable_, *args, **kwargs):
    with pytest.raises(IntegrityError), transaction.atomic():
        callable_(*args, **kwargs)


def test_duplicate_council_slug_is_refused():
    f.CouncilFactory(slug="slough")
    refused(f.CouncilFactory, slug="slough")


def test_duplicate_council_name_is_refused():
    f.CouncilFactory(name="Slough Borough Council")
    refused(f.CouncilFactory, name="Slough Borough Council")


def test_duplicate_intervention_slug_is_refused():
    f.InterventionFactory(slug="kent-swindon")
    refused(f.InterventionFactory, slug="kent-swindon")


def test_duplicate_source_slug_is_refused():
    f.SourceFactory(slug="opm-2014")
    refused(im.Source.objects.create, slug="opm-2014", title="Another", kind="review")


def test_blank_slug_is_refused():
    refused(f.InterventionFactory, slug="")


def test_duplicate_gss_code_is_refused_but_blank_codes_are_not():
    f.CouncilFactory(gss_code="E06000039")
    f.CouncilFactory(gss_code="")
    f.CouncilFactory(gss_code="")
    refused(f.CouncilFactory, gss_code="E06000039")


def test_grade_not_on_the_frameworks_scale_is_refused():
    inspection = f.InspectionFactory(framework=rm.Framework.CSCI_STARS, overall_grade="2 stars")
    # "Good" is an Ofsted grade, not a star rating.
    refused(f.JudgementFactory, inspection=inspection, grade="Good")


def test_overall_grade_not_on_the_frameworks_scale_is_refused():
    refused(f.InspectionFactory, framework=rm.Framework.OFSTED_SIF, overall_grade="Adequate")


def test_requires_improvement_is_only_a_single_inspection_framework_grade():
    f.InspectionFactory(framework=rm.Framework.OFSTED_SIF, overall_grade="Requires improvement")
    refused(
        f.InspectionFactory,
        framework=rm.Framework.OFSTED_SLAC,
        overall_grade="Requires improvement",
    )


def test_score_that_does_not_match_the_grade_is_refused():
    judgement = f.JudgementFactory(grade="Adequate")
    assert judgement.score == 2
    refused(rm.Judgement.objects.filter(pk=judgement.pk).update, score=4)


def test_grade_changed_behind_the_models_back_is_refused():
    judgement = f.JudgementFactory(grade="Adequate")
    refused(rm.Judgement.objects.filter(pk=judgement.pk).update, grade="3 stars")


def test_ungraded_judgement_is_allowed_and_has_no_score():
    judgement = f.JudgementFactory(grade="", grade_as_printed="its equivalent")
    assert judgement.score is None


def test_negative_amount_is_refused():
    refused(f.SpendingLineFactory, amount_gbp=Decimal("-1.00"))


def test_zero_amount_is_allowed():
    assert f.SpendingLineFactory(amount_gbp=Decimal("0.00")).pk


def test_intervention_ending_before_it_starts_is_refused():
    refused(
        f.InterventionFactory,
        start_date=datetime.date(2007, 1, 1),
        end_date=datetime.date(2006, 1, 1),
    )


def test_phase_ending_before_it_starts_is_refused():
    refused(
        f.PhaseFactory,
        start_date=datetime.date(2007, 1, 1),
        start_date_precision="month",
        end_date=datetime.date(2006, 1, 1),
        end_date_precision="month",
    )


def test_inspection_ending_before_it_starts_is_refused():
    refused(
        f.InspectionFactory,
        start_date=datetime.date(2011, 4, 15),
        start_date_precision="day",
        end_date=datetime.date(2011, 4, 4),
        end_date_precision="day",
    )


def test_council_abolished_before_it_was_created_is_refused():
    refused(
        f.CouncilFactory, start_date=datetime.date(1998, 4, 1), end_date=datetime.date(1990, 1, 1)
    )


# The sortable date and precision are derived from the parts on save(); written behind
# save()'s back (a queryset update), the database still refuses a half-set pair.
def test_date_without_precision_is_refused():
    intervention = f.InterventionFactory()
    refused(im.Intervention.objects.filter(pk=intervention.pk).update, start_date_precision="")


def test_precision_without_date_is_refused():
    intervention = f.InterventionFactory()
    refused(im.Intervention.objects.filter(pk=intervention.pk).update, start_date=None)


def test_month_thirteen_is_refused():
    intervention = f.InterventionFactory()
    refused(im.Intervention.objects.filter(pk=intervention.pk).update, start_date_month=13)


def test_day_without_month_is_refused():
    intervention = f.InterventionFactory(start_date=None)
    refused(im.Intervention.objects.filter(pk=intervention.pk).update, start_date_day=4)


def test_inferred_year_without_a_year_is_refused():
    intervention = f.InterventionFactory(end_date=None, start_date=None)
    refused(
        im.Intervention.objects.filter(pk=intervention.pk).update, start_date_year_inferred=True
    )


def test_unknown_date_kind_is_refused():
    intervention = f.InterventionFactory()
    refused(im.Intervention.objects.filter(pk=intervention.pk).update, start_date_kind="hoped")


def test_fact_without_a_source_is_refused():
    intervention = f.InterventionFactory()
    refused(
        im.Lesson.objects.create,
        intervention=intervention,
        position=1,
        kind="lesson",
        text="x",
        locator="para 4",
    )


def test_fact_with_a_blank_locator_is_refused():
    refused(f.StatisticFactory, locator="")


def test_judgement_with_a_blank_locator_is_refused():
    refused(f.JudgementFactory, locator="")


def test_two_parts_at_the_same_position_are_refused():
    phase = f.PhaseFactory(position=1)
    refused(f.PhaseFactory, intervention=phase.intervention, position=1)


def test_two_judgements_at_the_same_position_are_refused():
    judgement = f.JudgementFactory(position=1)
    refused(f.JudgementFactory, inspection=judgement.inspection, position=1)


def test_participant_that_is_both_a_council_and_an_organisation_is_refused():
    refused(f.ParticipantFactory, organisation=f.OrganisationFactory())


def test_participant_naming_nobody_is_refused():
    refused(f.ParticipantFactory, council=None, organisation=None, person_name="")


def test_participant_that_is_only_a_named_person_is_allowed():
    participant = f.ParticipantFactory(council=None, person_name="Liz Railton", role="chair")
    assert str(participant) == "Liz Railton: Chair"


def test_payment_with_two_payers_is_refused():
    refused(
        f.SpendingLineFactory,
        payer_council=f.CouncilFactory(),
        payer_organisation=f.OrganisationFactory(),
    )


def test_duplicate_spending_reference_within_a_source_is_refused():
    line = f.SpendingLineFactory(ref="budget-2012")
    refused(f.SpendingLineFactory, ref="budget-2012", source=line.source)


def test_unknown_choice_values_are_refused():
    refused(f.InterventionFactory, status="abandoned")
    refused(f.InterventionFactory, kind="merger")
    refused(f.StatisticFactory, unit="furlongs")
    refused(f.SpendingLineFactory, kind="bribe")


def test_comparator_value_without_a_label_is_refused():
    refused(f.StatisticFactory, comparator_value=Decimal("21"), comparator_label="")


def test_link_from_an_intervention_to_itself_is_refused():
    intervention = f.InterventionFactory()
    refused(
        im.InterventionLink.objects.create,
        from_intervention=intervention,
        to_intervention=intervention,
        kind="model-for",
        source=intervention.source,
        locator="para 1",
    )


def test_council_that_is_its_own_successor_is_refused():
    council = f.CouncilFactory()
    council.successor = council
    refused(council.save)


def test_deleting_a_cited_source_is_refused():
    from django.db.models import ProtectedError

    intervention = f.InterventionFactory()
    with pytest.raises(ProtectedError):
        intervention.source.delete()


def test_deleting_a_council_with_interventions_is_refused():
    from django.db.models import ProtectedError

    intervention = f.InterventionFactory()
    with pytest.raises(ProtectedError):
        intervention.subject_council.delete()
