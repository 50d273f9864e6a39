"""Dates as the reports print them (issue 13, point 1).

A partial date holds year, month and day independently, says whether its year is printed or
read from context (shown "[2011]", with the reason in a note), and whether the date is actual,
planned or expected. The sortable date and precision are derived from the parts on save.
"""

import datetime
import importlib
import json

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from interventions.models import (
    DateKind,
    DatePrecision,
    Intervention,
    Milestone,
    PartialDate,
    Source,
    partial_date_range,
)
from ratings.models import Inspection

from . import factories as f
from .test_compare import csv_rows
from .test_curators import curator  # noqa: F401  (the fixture)
from .test_detail_pages import element, page, plain
from .test_edit_conflicts import opened_form

pytestmark = pytest.mark.django_db

OPM_REVIEW = "/interventions/slough-opm-dfe-review-2014/"
KENT_NOTICE = "/interventions/kent-2011-improvement-notice/"
WHY = "The report is dated June 2011 and recounts this among the year's steps."


def undated(**parts):
    """An intervention with no start or end, then the parts given."""
    blank = {
        f"{field}_{part}": None
        for field in ("start_date", "end_date")
        for part in ("year", "month", "day")
    }
    return f.InterventionFactory(**{**blank, **parts})


# Validation ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("parts", "part", "message"),
    [
        ({"month": 13}, "month", "The month is a number from 1 to 12."),
        ({"month": 0}, "month", "The month is a number from 1 to 12."),
        ({"day": 4}, "day", "A day needs its month"),
        ({"day": 30, "month": 2}, "day", "February has no day 30 (it has 29 days)."),
        ({"day": 29, "month": 2, "year": 2011}, "day", "February 2011 has no day 29"),
        ({"day": 31, "month": 4, "year": 2014}, "day", "April 2014 has no day 31"),
        ({"year": 14}, "year", "Enter the year in full"),
        ({"month": 2, "year_inferred": True, "note": WHY}, "year", "Only a year that is entered"),
        ({"year": 2011, "year_inferred": True}, "note", "Say in the note how the year is known."),
    ],
)
def test_impossible_parts_are_explained_under_the_part_to_fix(parts, part, message):
    problems = PartialDate(**parts).errors()
    assert problems
    assert problems[0][0] == part
    assert message in problems[0][1]


@pytest.mark.parametrize(
    "parts",
    [
        {"day": 29, "month": 2},  # 29 February with no year: it may be a leap year
        {"day": 29, "month": 2, "year": 2012},
        {"day": 21, "month": 2},
        {"month": 2},
        {"year": 2011, "year_inferred": True, "note": WHY},
        {},
    ],
)
def test_possible_parts_are_accepted(parts):
    assert PartialDate(**parts).errors() == []


def test_clean_names_the_field_a_curator_must_change():
    intervention = f.InterventionFactory.build(
        start_date_year=None, start_date_month=None, start_date_day=21
    )
    with pytest.raises(ValidationError) as error:
        intervention.full_clean(validate_constraints=False)
    assert "start_date_day" in error.value.message_dict


def test_an_end_before_its_start_is_a_form_error_on_the_end():
    intervention = f.InterventionFactory.build(
        start_date_year=2011, start_date_month=5, end_date_year=2011, end_date_month=4
    )
    with pytest.raises(ValidationError) as error:
        intervention.clean()
    assert error.value.message_dict["end_date_year"] == ["The end comes before the start."]


# Display ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("parts", "shown"),
    [
        ({"year": 2008, "month": 1, "day": 14}, "14 January 2008"),
        ({"year": 2004, "month": 10}, "October 2004"),
        ({"year": 2003}, "2003"),
        ({"month": 2, "day": 21}, "21 February"),
        ({"month": 6}, "June"),
        ({"year": 2014, "month": 4, "day": 16, "year_inferred": True}, "16 April [2014]"),
        ({"year": 2011, "year_inferred": True}, "[2011]"),
        ({"year": 2014, "month": 5, "day": 22, "kind": DateKind.PLANNED}, "planned: 22 May 2014"),
        ({"month": 5, "kind": DateKind.EXPECTED}, "expected: May"),
        ({}, ""),
    ],
)
def test_a_date_is_shown_as_printed(parts, shown):
    assert PartialDate(**parts).display() == shown


def test_a_planned_span_says_planned_once_and_an_inferred_shared_year_once():
    start = PartialDate(2014, 4, 16, True, DateKind.PLANNED)
    end = PartialDate(2014, 5, 16, True, DateKind.PLANNED)
    assert partial_date_range(start, end) == "planned: 16 April to 16 May [2014]"
    assert partial_date_range(PartialDate(2004, 10), PartialDate(2007, 11)) == (
        "October 2004 to November 2007"
    )
    assert partial_date_range(PartialDate(None, 2, 21), PartialDate()) == "from 21 February"


@pytest.mark.parametrize(
    ("parts", "edtf"),
    [
        ({"year": 2014, "month": 4, "day": 16}, "2014-04-16"),
        ({"year": 2014, "month": 4, "day": 16, "year_inferred": True}, "2014?-04-16"),
        ({"month": 2, "day": 21}, "XXXX-02-21"),
        ({"month": 6}, "XXXX-06"),
        ({"year": 2003}, "2003"),
        ({}, ""),
    ],
)
def test_edtf_form_of_each_date(parts, edtf):
    assert PartialDate(**parts).edtf() == edtf


# The sortable date, derived on save ---------------------------------------------------------


@pytest.mark.parametrize(
    ("parts", "date", "precision"),
    [
        ({"year": 2011, "month": 2, "day": 21}, datetime.date(2011, 2, 21), DatePrecision.DAY),
        ({"year": 2011, "month": 2}, datetime.date(2011, 2, 1), DatePrecision.MONTH),
        ({"year": 2011}, datetime.date(2011, 1, 1), DatePrecision.YEAR),
        ({"month": 2, "day": 21}, None, ""),
        ({"month": 2, "day": 29}, None, ""),
        ({}, None, ""),
    ],
)
def test_save_derives_the_first_possible_day_and_its_precision(parts, date, precision):
    milestone = f.MilestoneFactory(
        date=None, **{f"date_{name}": value for name, value in parts.items()}
    )
    milestone.refresh_from_db()
    assert (milestone.date, milestone.date_precision) == (date, precision)


def test_changing_a_part_moves_the_sortable_date_on_the_next_save():
    milestone = f.MilestoneFactory(date_year=2011, date_month=2, date_day=None)
    milestone.date_year = None
    milestone.save()
    milestone.refresh_from_db()
    assert milestone.date is None
    assert milestone.date_display == "February"


def test_a_part_saved_alone_with_update_fields_moves_its_sortable_date():
    milestone = f.MilestoneFactory(date_year=2011, date_month=2, date_day=None)
    milestone.date_month = 3
    milestone.save(update_fields=["date_month"])
    milestone.refresh_from_db()
    assert milestone.date == datetime.date(2011, 3, 1)


# Sorting and filtering ----------------------------------------------------------------------


def list_titles(client, query: str) -> list[str]:
    response = client.get(f"/interventions/?format=json&{query}")
    assert response.status_code == 200
    return [row["title"] for row in response.json()["results"]]


@pytest.fixture
def dated(db):
    """One intervention for each precision, one with no year, one with an inferred year."""
    council = f.CouncilFactory()
    made = {
        "Day": {"start_date_year": 2011, "start_date_month": 2, "start_date_day": 21},
        "Month": {"start_date_year": 2011, "start_date_month": 1},
        "Year": {"start_date_year": 2010},
        "No year": {"start_date_month": 1, "start_date_day": 2},
        "Inferred": {
            "start_date_year": 2012,
            "start_date_month": 4,
            "start_date_year_inferred": True,
            "start_date_note": WHY,
        },
    }
    for title, parts in made.items():
        undated(title=title, subject_council=council, **parts)
    return made


def test_each_precision_sorts_by_its_first_possible_day_and_no_year_sorts_last(client, dated):
    assert list_titles(client, "sort=start") == ["Year", "Month", "Day", "Inferred", "No year"]


def test_a_date_with_no_year_never_matches_a_year_filter(client, dated):
    assert "No year" not in list_titles(client, "year_from=1900")
    assert "No year" not in list_titles(client, "year_to=2100")
    assert set(list_titles(client, "year_from=2011&year_to=2011")) == {"Day", "Month"}
    assert list_titles(client, "year_from=2010&year_to=2010") == ["Year"]


def test_inferred_years_can_be_left_out_or_looked_at_alone(client, dated):
    assert list_titles(client, "years=inferred") == ["Inferred"]
    printed = list_titles(client, "years=printed")
    assert "Inferred" not in printed
    assert {"Day", "Month", "Year", "No year"} <= set(printed)
    assert "Inferred" in list_titles(client, "")


def test_a_bad_years_value_is_a_message_not_an_error(client, dated):
    response = client.get("/interventions/?years=guessed")
    assert response.status_code == 200
    assert "could not be used" in response.content.decode()
    assert client.get("/interventions/?years=guessed&format=json").status_code == 400


# CSV and JSON -------------------------------------------------------------------------------


def test_csv_and_json_carry_each_dates_parts(client, dated):
    rows = {
        row["title"]: row for row in client.get("/interventions/?format=json").json()["results"]
    }
    assert rows["Inferred"]["start_edtf"] == "2012?-04"
    assert rows["Inferred"]["start_year_inferred"] is True
    assert rows["Inferred"]["start_note"] == WHY
    assert rows["Inferred"]["start_kind"] == "actual"
    assert rows["No year"]["start"] is None
    assert rows["No year"]["start_edtf"] == "XXXX-01-02"
    assert rows["Day"]["start_year_inferred"] is False
    table = {row["Intervention"]: row for row in csv_rows(client.get("/interventions/?format=csv"))}
    assert table["Inferred"]["Start (EDTF)"] == "2012?-04"
    assert table["Inferred"]["Start year inferred"] == "True"
    assert table["No year"]["Start"] == ""


def test_the_openapi_schema_describes_the_date_parts(client):
    schema = client.get("/api/openapi.json").json()
    partial = schema["components"]["schemas"]["PartialDate"]
    described = json.dumps(partial)
    for part in ("year_inferred", "kind", "edtf", "month", "day"):
        assert f'"{part}"' in described


# The seeded reports -------------------------------------------------------------------------


def test_opm_review_dates_are_shown_as_planned_with_the_year_in_brackets(client, seeded):
    text = page(client, OPM_REVIEW)
    facts = plain(element(text, "facts"))
    assert "planned: 16 April [2014]" in facts
    assert "planned: 16 May [2014]" in facts
    assert "terms of reference" in facts  # the note says why
    timeline = plain(text[text.index('id="timeline-heading"') :])
    assert "planned: 16 April to 16 May [2014]" in timeline
    assert "planned: 22 May 2014" in timeline
    # The at-a-glance panel says the span as the timeline does: the kind and the year once.
    glance = plain(text[text.index('class="glance-panel"') : text.index("</section>")])
    assert "When planned: 16 April to 16 May [2014]" in glance


def test_opm_review_detail_json_says_planned_and_inferred(client, seeded):
    start = client.get(OPM_REVIEW + "?format=json").json()["start"]
    assert start["kind"] == "planned"
    assert start["year_inferred"] is True
    assert start["edtf"] == "2014?-04-16"
    assert start["display"] == "planned: 16 April [2014]"


def test_kent_days_printed_without_a_year_are_on_the_timeline_and_in_order(client, seeded):
    timeline = plain(page(client, KENT_NOTICE).split('id="timeline-heading"')[1])
    assert "4 April [2011]" in timeline
    assert "21 February [2011]" in timeline
    board = Milestone.objects.get(intervention__slug="kent-2011-improvement-notice", position=4)
    assert board.date == datetime.date(2011, 2, 21)
    assert board.date_year_inferred


def test_stoke_months_without_a_year_are_kept_but_never_dated(seeded):
    rows = Milestone.objects.filter(intervention__slug="stoke-serco-partnership")
    june = rows.get(position=3)
    assert (june.date_display, june.date) == ("June", None)
    assert rows.get(position=7).date_display == "expected: May"
    issue = Source.objects.get(slug="community-care-stoke-serco-partnership")
    assert issue.date_parts("date").display() == "13 March"
    assert issue.date_display == "13 March issue"  # the printed form says more
    assert issue.date is None


def test_every_inferred_year_in_the_fixtures_says_why(seeded):
    inferred = 0
    for model in (
        Intervention,
        Milestone,
        Source,
        Inspection,
        apps.get_model("interventions.Post"),
    ):
        for field in model.partial_dates:
            for row in model.objects.filter(**{f"{field}_year_inferred": True}):
                assert getattr(row, f"{field}_note").strip(), (model, row.pk, field)
                inferred += 1
    assert inferred >= 10


# Curators and the seed ----------------------------------------------------------------------


def test_a_curator_gets_form_errors_for_impossible_dates_never_a_500(curator):  # noqa: F811
    intervention = f.InterventionFactory(published=False)
    url = reverse("admin:interventions_intervention_change", args=[intervention.pk])
    for change, field, message in (
        ({"start_date_month": "13"}, "start_date_month", "1 to 12"),
        ({"start_date_month": "2", "start_date_day": "30"}, "start_date_day", "no day 30"),
        ({"start_date_month": "", "start_date_day": "3"}, "start_date_day", "needs its month"),
        (
            {"start_date_year": "", "start_date_year_inferred": "on"},
            "start_date_year",
            "Only a year that is entered",
        ),
    ):
        data = opened_form(curator, url)
        data.update(change)
        response = curator.post(url, data)
        assert response.status_code == 200, change
        assert message in str(response.context["adminform"].form.errors[field]), change
    intervention.refresh_from_db()
    assert intervention.start_display == "October 2004"


def test_a_curator_can_store_a_day_and_month_without_a_year(curator):  # noqa: F811
    intervention = f.InterventionFactory(published=False)
    url = reverse("admin:interventions_intervention_change", args=[intervention.pk])
    data = opened_form(curator, url)
    data.update(
        start_date_year="",
        start_date_month="2",
        start_date_day="21",
        start_date_kind="planned",
        end_date_year="",
        end_date_month="",
    )
    response = curator.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    intervention.refresh_from_db()
    assert intervention.start_display == "planned: 21 February"
    assert (intervention.start_date, intervention.start_date_precision) == (None, "")


def test_a_fixture_row_with_an_impossible_date_aborts_the_seed_naming_it(tmp_path):
    (tmp_path / "50_bad.yaml").write_text(
        "- model: interventions.source\n"
        "  fields:\n"
        "    slug: bad-date-report\n"
        "    title: A report with an impossible date\n"
        "    kind: review\n"
        "    date_month: 2\n"
        "    date_day: 30\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError) as error:
        call_command("seed", fixtures_dir=tmp_path, verbosity=0)
    message = str(error.value)
    assert "50_bad.yaml, row 1" in message
    assert "bad-date-report" in message
    assert "date_day: February has no day 30" in message
    assert not Source.objects.filter(slug="bad-date-report").exists()


# The migration ------------------------------------------------------------------------------


def test_the_migration_splits_stored_dates_into_parts_live_and_in_history():
    intervention = f.InterventionFactory()  # October 2004 to November 2007
    milestone = f.MilestoneFactory(date_year=2011, date_month=2, date_day=21)
    for model, pk in ((Intervention, intervention.pk), (Milestone, milestone.pk)):
        for rows in (model.objects.filter(pk=pk), model.history.filter(id=pk)):
            rows.update(
                **{
                    f"{field}_{part}": None
                    for field in model.partial_dates
                    for part in ("year", "month", "day")
                }
            )
    migration = importlib.import_module("interventions.migrations.0012_dates_as_printed")
    split = next(op for op in migration.Migration.operations if hasattr(op, "code"))
    split.code(apps, None)
    intervention.refresh_from_db()
    milestone.refresh_from_db()
    assert (intervention.start_date_year, intervention.start_date_month) == (2004, 10)
    assert intervention.start_date_day is None
    assert (milestone.date_year, milestone.date_month, milestone.date_day) == (2011, 2, 21)
    old = intervention.history.earliest("history_date")
    assert (old.end_date_year, old.end_date_month, old.end_date_day) == (2007, 11, None)


def test_the_where_sources_differ_box_shows_each_date_as_printed(client):
    """A version's dates come from their parts: a day and month without a year, and a year
    inferred from context in brackets, as everywhere else (not blank, not a bare 2011)."""
    disagreement = f.DiscrepancyFactory(scope="within")
    no_year = f.MilestoneFactory(
        date=None, date_year=None, date_month=2, date_day=21, description="Board first met."
    )
    inferred = f.MilestoneFactory(
        intervention=no_year.intervention,
        source=no_year.source,
        date=None,
        date_year=2011,
        date_year_inferred=True,
        date_month=4,
        date_day=4,
        date_note="The year is the chair's report's.",
        description="Board met again.",
    )
    for milestone in (no_year, inferred):
        milestone.discrepancies.add(disagreement)
    for url in (disagreement.get_absolute_url(), no_year.intervention.get_absolute_url()):
        text = plain(client.get(url).content.decode())
        assert "21 February: Board first met." in text, url
        assert "4 April [2011]: Board met again." in text, url


# A statistic's year read from context ----------------------------------------------------

KENT_INFERRED = {"unallocated-cases-end-february", "unallocated-cases-10-april"}


def test_a_statistics_inferred_year_is_shown_in_brackets_and_filterable_either_way(client, seeded):
    page = client.get("/councils/kent/").content.decode()
    assert "10 April [2011]" in page
    assert "end of February [2011]" in page
    refs = lambda params: {  # noqa: E731
        row["Casebook URL"].rsplit("#statistic-", 1)[1]
        for row in csv_rows(client.get("/statistics/", {**params, "format": "csv"}))
    }
    assert refs({"years": "inferred"}) == KENT_INFERRED
    assert not refs({"years": "printed"}) & KENT_INFERRED
    assert refs({"year_from": 2011, "year_to": 2011}) >= KENT_INFERRED
    rows = {
        row["Casebook URL"].rsplit("#statistic-", 1)[1]: row
        for row in csv_rows(client.get("/statistics/", {"years": "inferred", "format": "csv"}))
    }
    # the export keeps the period exactly as printed, the year and how it is known beside it
    april = rows["unallocated-cases-10-april"]
    assert (april["Period"], april["Year"], april["Year inferred"]) == ("10 April", "2011", "True")
    assert "9 May 2011" in april["Year note"]
    listed = client.get("/statistics/", {"years": "inferred"}).content.decode()
    assert "10 April [2011]" in listed


def test_an_inferred_year_needs_a_year():
    statistic = f.StatisticFactory.build(
        council=f.CouncilFactory(), source=f.SourceFactory(), year=None, year_inferred=True
    )
    with pytest.raises(ValidationError) as error:
        statistic.full_clean()
    assert "year_inferred" in error.value.message_dict
