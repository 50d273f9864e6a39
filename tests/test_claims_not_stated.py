"""Structured fields hold only what the report states (issue #13, point 2).

A status, a verdict on the target or a participant's role that the report does not state is
"Not stated", with the curator's reading (if any) in a note beside it; a stated status carries
the date the report states it at. Each corrected seed row is checked on its page, in CSV and in
JSON; curators can enter the new values; the list filters offer "Not stated" with counts.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from interventions.models import DatePrecision, Intervention, Participant, Status, TargetMet

from . import factories as f
from .test_compare import csv_rows
from .test_curators import curator  # noqa: F401  (the fixture)
from .test_detail_pages import element, page, plain
from .test_edit_conflicts import opened_form

pytestmark = pytest.mark.django_db

CASE = "/interventions/{}/"

# Each row whose status the reports do not state, and words of the curator's note on it.
STATUS_NOT_STATED = {
    "slough-targeted-sector-led-support": "does not say whether or when the support ended",
    "slough-improvement-notice-2011": "does not say whether the Notice was lifted",
    "swindon-earlier-consultancy-interventions": "does not say when or how they ended",
    "hackney-learning-trust-direction": "does not say whether the direction is still in force",
}
TARGET_NOT_STATED = {
    "slough-improvement-notice-2011": "gives no verdict on the Notice's own requirements",
    "slough-support-services-outsourcing": "gives the aim of controlling costs but no verdict",
}
ROLE_NOT_STATED = {
    ("achieving-for-children-richmond-kingston", 3): "does not say what it does for them",
    ("aspire-west-sussex-spin-out", 1): "does not say what services it provides",
    ("slough-support-services-outsourcing", 1): "The providers are not named",
    ("kent-2011-improvement-notice", 11): "Not a party to the Notice",
}


def by_slug(rows, key="url"):
    return {row[key].rstrip("/").split("/")[-1]: row for row in rows}


# The seed data ----------------------------------------------------------------------------


@pytest.mark.parametrize(("slug", "note"), STATUS_NOT_STATED.items())
def test_a_status_the_report_does_not_state_is_not_stated_with_its_note(client, seeded, slug, note):
    facts = plain(element(page(client, CASE.format(slug)), "facts"))
    status = facts[facts.index("Status ") : facts.index(" Cost ")]
    assert status.startswith("Status Not stated")
    assert "Curator's note:" in status
    assert note in status
    assert "as reported in" not in status

    data = client.get(CASE.format(slug), {"format": "json"}).json()
    assert (data["status"], data["status_label"]) == ("unknown", "Not stated")
    assert note in data["status_note"]
    assert data["status_as_of"] is None
    assert data["status_reported_in"] is None


def test_the_interventions_csv_and_json_carry_the_status_notes(client, seeded):
    rows = by_slug(csv_rows(client.get("/interventions/?format=csv")), "Casebook URL")
    results = by_slug(client.get("/interventions/", {"format": "json"}).json()["results"])
    assert len(rows) == len(results) == Intervention.objects.published().count() == 25
    for slug, note in STATUS_NOT_STATED.items():
        assert rows[slug]["Status"] == results[slug]["status"] == "Not stated"
        assert note in rows[slug]["Status note"]
        assert results[slug]["status_note"] == rows[slug]["Status note"]
        assert rows[slug]["Status as of"] == ""
        assert results[slug]["status_as_of"] is None
    noted = {slug for slug, row in rows.items() if row["Status note"]}
    assert noted == set(STATUS_NOT_STATED)
    slough = rows["slough-improvement-notice-2011"]
    assert slough["Target met"] == "Not stated"
    assert TARGET_NOT_STATED["slough-improvement-notice-2011"] in slough["Target met note"]


def test_a_target_verdict_the_report_does_not_give_is_not_stated_with_its_note(client, seeded):
    slug, note = (
        "slough-improvement-notice-2011",
        TARGET_NOT_STATED["slough-improvement-notice-2011"],
    )
    facts = plain(element(page(client, CASE.format(slug)), "facts"))
    verdict = facts[facts.index("Target met? ") :]
    assert verdict.startswith("Target met? Not stated")
    assert "Curator's note:" in verdict
    assert note in verdict
    assert "Not met" not in verdict

    data = client.get(CASE.format(slug), {"format": "json"}).json()
    assert (data["target_met"], data["target_met_label"]) == ("not-stated", "Not stated")
    assert note in data["target_met_note"]

    rows = by_slug(csv_rows(client.get("/outcomes/?format=csv")), "Casebook URL")
    results = by_slug(client.get("/outcomes/", {"format": "json"}).json()["results"])
    assert rows[slug]["Target met"] == results[slug]["target_met"] == "Not stated"
    assert note in rows[slug]["Target met note"]
    assert results[slug]["target_met_note"] == rows[slug]["Target met note"]
    assert results[slug]["status"] == "Not stated"
    assert "does not say whether the Notice was lifted" in results[slug]["status_note"]
    assert {s for s, row in rows.items() if row["Target met note"]} == set(TARGET_NOT_STATED)


def test_no_target_to_judge_is_not_assessed_not_not_stated(client, seeded):
    facts = plain(element(page(client, CASE.format("kent-2011-improvement-notice")), "facts"))
    assert "Target met? Not assessed (nothing to judge yet, or no verdict applies)" in facts
    data = client.get(CASE.format("kent-2011-improvement-notice"), {"format": "json"}).json()
    assert data["target_met"] is None
    assert data["target_met_note"] == ""


@pytest.mark.parametrize(("where", "note"), ROLE_NOT_STATED.items())
def test_a_participant_named_without_a_role_is_not_stated(client, seeded, where, note):
    slug, position = where
    row = plain(element(page(client, CASE.format(slug)), f"participant-{position}"))
    assert "Not stated" in row
    assert note in row
    data = client.get(CASE.format(slug), {"format": "json"}).json()
    (participant,) = [p for p in data["participants"] if p["position"] == position]
    assert (participant["role"], participant["role_label"]) == ("not-stated", "Not stated")
    assert note in participant["description"]
    assert Participant.objects.filter(role="not-stated").count() == len(ROLE_NOT_STATED)


def test_a_stated_status_shows_the_date_it_was_reported_at(client, seeded):
    facts = plain(element(page(client, CASE.format("kent-swindon-partnership")), "facts"))
    assert "Status Completed Note 1 as reported in Kent/Swindon Partnership, 14 January 2008" in (
        facts
    )
    data = client.get(CASE.format("kent-swindon-partnership"), {"format": "json"}).json()
    assert data["status_as_of"] == {
        "date": "2008-01-14",
        "precision": "day",
        "year": 2008,
        "month": 1,
        "day": 14,
        "year_inferred": False,
        "kind": "actual",
        "note": "",
        "edtf": "2008-01-14",
        "display": "14 January 2008",
    }
    assert data["status_note"] == ""
    facts = plain(element(page(client, CASE.format("slough-option-independent-cso")), "facts"))
    assert "as reported in Slough Children's Social Care Services, June 2014" in facts
    rows = by_slug(csv_rows(client.get("/interventions/?format=csv")), "Casebook URL")
    assert rows["kent-swindon-partnership"]["Status as of"] == "2008-01-14"
    assert rows["kent-swindon-partnership"]["Status as of precision"] == "day"
    assert rows["kent-2011-improvement-notice"]["Status as of"] == "2011-06-20"


def test_every_stated_status_is_dated_unless_its_source_is_undated(seeded):
    undated = Intervention.objects.exclude(status=Status.UNKNOWN).filter(status_as_of=None)
    # The Stoke article prints "13 March issue" without a year: there is no date to give.
    assert [i.slug for i in undated] == ["stoke-serco-partnership"]
    assert undated[0].source.date is None
    for i in Intervention.objects.exclude(status=Status.UNKNOWN).exclude(status_as_of=None):
        assert i.status_as_of <= i.source.date + datetime.timedelta(days=30), i.slug


def test_the_stoke_status_gives_its_source_s_date_as_printed_and_invents_no_year(client, seeded):
    facts = plain(element(page(client, CASE.format("stoke-serco-partnership")), "facts"))
    status = facts[facts.index("Status ") : facts.index(" Cost ")]
    assert status == (
        "Status Active Note 1 as reported in Innovative partnership turns around children's "
        "services in Stoke, 13 March issue"
    )
    data = client.get(CASE.format("stoke-serco-partnership"), {"format": "json"}).json()
    assert data["status_as_of"] is None


# Filters -----------------------------------------------------------------------------------


def facet_counts(response, param) -> dict:
    facets = {view.facet.param: view for view in response.context["facets"]}
    return {v.label: v.count for v in facets[param].values}


def test_the_status_filter_offers_not_stated_with_its_count(client, seeded):
    response = client.get("/interventions/")
    assert facet_counts(response, "status")["Not stated"] == len(STATUS_NOT_STATED)
    data = client.get("/interventions/", {"status": "unknown", "format": "json"}).json()
    assert {r["url"].rstrip("/").split("/")[-1] for r in data["results"]} == set(STATUS_NOT_STATED)
    outcomes = client.get("/outcomes/")
    assert facet_counts(outcomes, "status")["Not stated"] == len(STATUS_NOT_STATED)


def test_the_target_met_filter_offers_not_stated_with_its_count(client, seeded):
    response = client.get("/outcomes/")
    counts = facet_counts(response, "target_met")
    assert counts["Not stated"] == len(TARGET_NOT_STATED)
    assert counts["Not met"] == 1  # the earlier consultancies in Swindon: "had failed"
    data = client.get("/outcomes/", {"target_met": "not-stated", "format": "json"}).json()
    assert {r["url"].rstrip("/").split("/")[-1] for r in data["results"]} == set(TARGET_NOT_STATED)
    bad = client.get("/outcomes/", {"target_met": "unknown", "format": "json"})
    assert bad.status_code == 400


# The rules, in the database and for curators -------------------------------------------------


def test_a_note_or_a_date_on_a_claim_it_does_not_belong_to_is_refused(db):
    for fields in (
        {"status": Status.ACTIVE, "status_note": "Our reading"},
        {
            "status": Status.UNKNOWN,
            "status_as_of": datetime.date(2014, 6, 1),
            "status_as_of_precision": DatePrecision.MONTH,
        },
        {"target_met": TargetMet.MET, "target_met_note": "Our reading"},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            f.InterventionFactory(**fields)


def test_clean_explains_each_misplaced_note(db):
    intervention = f.InterventionFactory.build(
        status=Status.UNKNOWN,
        status_as_of=datetime.date(2014, 6, 1),
        status_as_of_precision=DatePrecision.MONTH,
        target_met=TargetMet.PARTLY,
        target_met_note="Our reading",
    )
    with pytest.raises(ValidationError) as error:
        intervention.clean()
    assert set(error.value.message_dict) == {"status_as_of_year", "target_met_note"}


def test_a_curator_can_record_not_stated_with_notes_and_a_status_date(curator):  # noqa: F811
    intervention = f.InterventionFactory(published=False)
    url = reverse("admin:interventions_intervention_change", args=[intervention.pk])
    data = opened_form(curator, url)
    data.update(
        status="unknown",
        status_note="Our reading: it has probably ended.",
        target_met="not-stated",
        target_met_note="Our reading: partly met.",
    )
    response = curator.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    intervention.refresh_from_db()
    assert intervention.get_status_display() == "Not stated"
    assert intervention.status_note == "Our reading: it has probably ended."
    assert intervention.get_target_met_display() == "Not stated"
    assert intervention.target_met_note == "Our reading: partly met."

    data = opened_form(curator, url)
    data.update(
        status="active",
        status_note="",
        status_as_of_year="2014",
        status_as_of_month="6",
        status_as_of_day="",
        target_met="",
        target_met_note="",
    )
    assert curator.post(url, data).status_code == 302
    intervention.refresh_from_db()
    assert intervention.status_as_of_display == "June 2014"


def test_a_curator_gets_a_form_error_for_a_dated_status_not_stated(curator):  # noqa: F811
    intervention = f.InterventionFactory(published=False)
    url = reverse("admin:interventions_intervention_change", args=[intervention.pk])
    data = opened_form(curator, url)
    data.update(status="unknown", status_as_of_year="2014", status_as_of_month="6")
    response = curator.post(url, data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "A status the report does not state has no date" in str(errors["status_as_of_year"])
    data.update(status="active", status_as_of_day="31")
    response = curator.post(url, data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "June 2014 has no day 31" in str(errors["status_as_of_day"])
    intervention.refresh_from_db()
    assert intervention.status == Status.COMPLETED


def test_a_curator_can_give_a_participant_no_stated_role(curator):  # noqa: F811
    participant = f.ParticipantFactory(intervention=f.InterventionFactory(published=False))
    url = reverse("admin:interventions_participant_change", args=[participant.pk])
    data = opened_form(curator, url)
    data["role"] = "not-stated"
    assert curator.post(url, data).status_code == 302
    participant.refresh_from_db()
    assert participant.get_role_display() == "Not stated"
