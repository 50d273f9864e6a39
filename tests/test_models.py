"""Behaviour of the models that pages and curators rely on."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from interventions.models import format_partial_date
from ratings import models as rm

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("precision", "expected"),
    [
        ("day", "14 January 2008"),
        ("month", "January 2008"),
        ("year", "2008"),
        ("", "14 January 2008"),
    ],
)
def test_partial_dates_show_only_the_precision_the_report_gave(precision, expected):
    assert format_partial_date(datetime.date(2008, 1, 14), precision) == expected


def test_month_precision_keeps_october_2004_a_month():
    intervention = f.InterventionFactory(
        start_date=datetime.date(2004, 10, 1), start_date_precision="month"
    )
    assert intervention.start_display == "October 2004"


def test_a_day_past_the_end_of_its_month_is_a_form_error():
    intervention = f.InterventionFactory.build(
        start_date_year=2011, start_date_month=2, start_date_day=29
    )
    with pytest.raises(ValidationError) as error:
        intervention.clean()
    assert "February 2011 has no day 29" in str(error.value)


def test_judgement_takes_its_framework_and_score_from_its_inspection():
    inspection = f.InspectionFactory(framework=rm.Framework.OFSTED_SIF, overall_grade="Inadequate")
    judgement = f.JudgementFactory(inspection=inspection, grade="Requires improvement")
    assert judgement.framework == rm.Framework.OFSTED_SIF
    assert judgement.score == 2
    assert inspection.overall_score == 1


def test_grade_off_the_scale_is_a_clear_form_error():
    inspection = f.InspectionFactory(framework=rm.Framework.CSCI_STARS, overall_grade="")
    judgement = f.JudgementFactory.build(inspection=inspection, grade="Good")
    with pytest.raises(ValidationError) as error:
        judgement.clean()
    assert '"Good" is not a grade of CSCI social services star rating' in str(error.value)
    assert "0 stars" in str(error.value)


def test_every_framework_has_an_ordered_scale():
    for framework in rm.Framework:
        scores = list(rm.grades_for(framework).values())
        assert scores == sorted(scores)
        assert len(set(scores)) == len(scores)
