"""A version is the whole record as it stood, numbered per record, at an address for ever."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from interventions import recording
from interventions.models import Intervention, RecordVersion
from interventions.versions import record_versions

from . import factories as f

pytestmark = pytest.mark.django_db


def numbers(record) -> list[int]:
    return list(record_versions(record).order_by("number").values_list("number", flat=True))


def case_study_with_money():
    """A case study saved as a curator's one admin save would: one change set."""
    with recording.batch():
        intervention = f.InterventionFactory(title="Northshire partnership")
        line = f.SpendingLineFactory(
            intervention=intervention,
            council=intervention.subject_council,
            source=intervention.source,
            line="Cost of the partnership",
            kind="contract",
            amount_gbp=Decimal("3600000"),
            as_printed="up to £3.6 million",
        )
    return intervention, line


def test_a_record_and_its_parts_saved_together_are_one_version(client):
    intervention, _ = case_study_with_money()
    assert numbers(intervention) == [1]
    version = record_versions(intervention).get()
    assert version.kind == "Created"
    assert "Money: added" in version.changed


def test_a_corrected_money_line_is_a_new_version_listed_with_what_changed_and_why(client):
    intervention, line = case_study_with_money()
    cited = f.latest_version_url(intervention)
    assert cited.endswith("/versions/v1/")

    line.amount_gbp = Decimal("4100000")
    line.as_printed = "£4.1 million"
    line._change_reason = "The report's table gives £4.1 million"
    line.save()

    assert numbers(intervention) == [1, 2]
    page = client.get(intervention.get_absolute_url()).content.decode()
    assert "Version 2</a> (current)" in page
    assert "Money: amount (£), as printed" in page
    assert "The report&#x27;s table gives £4.1 million" in page

    old = client.get(cited).content.decode()
    assert "up to £3.6 million" in old
    assert "£4.1 million" not in old.split("has changed since")[0]  # the banner may name it
    assert "Version 1 of" in old
    assert "This record has changed since:" in old
    assert "Reason: The report&#x27;s table gives £4.1 million" in old
    current = client.get(f.latest_version_url(intervention)).content.decode()
    assert "This is the current version of this record" in current
    assert "£4.1 million" in current


def test_a_save_that_changes_nothing_makes_no_version(client):
    intervention, _ = case_study_with_money()
    intervention.save()
    Intervention.objects.get(pk=intervention.pk).save()
    assert numbers(intervention) == [1]


def test_a_drafts_changes_are_never_numbered_and_publishing_makes_version_1(client):
    intervention = f.InterventionFactory(published=False)
    f.PhaseFactory(intervention=intervention, name="Drafted phase")
    intervention.title = "Second draft"
    intervention.save()
    assert numbers(intervention) == []
    intervention.published = True
    intervention.save()
    assert numbers(intervention) == [1]
    assert record_versions(intervention).get().kind == "Published"
    page = client.get(f.latest_version_url(intervention)).content.decode()
    assert "Drafted phase" in page  # the record as it stood when published


def test_the_seed_imports_each_record_as_one_version_from_its_report():
    call_command("seed", verbosity=0, stdout=io.StringIO())
    intervention = Intervention.objects.get(slug="kent-swindon-partnership")
    version = record_versions(intervention).get()
    assert version.number == 1
    assert version.reason == f"Imported from {intervention.source.title}"
    # Every seeded record, of every kind, is one version.
    assert not RecordVersion.objects.exclude(number=1).exists()
    assert RecordVersion.objects.filter(record="ratings.inspection").exists()
    # Seeding again over unchanged rows makes none.
    call_command("seed", verbosity=0, stdout=io.StringIO())
    assert not RecordVersion.objects.exclude(number=1).exists()


def test_every_address_handed_out_before_numbering_answers_301_to_the_same_content(client):
    """History kept before versions were numbered: the migration (`recording.rebuild`)
    numbers it, and each old `…/versions/<history id>/` lands on the version it showed."""
    intervention, line = case_study_with_money()
    first = intervention.history.get().history_id
    intervention.title = "Northshire partnership (corrected)"
    intervention.save()
    second = intervention.history.latest("history_date").history_id
    line.as_printed = "£4.1 million"
    line.save()
    RecordVersion.objects.all().delete()  # as before the migration
    # Curators' saves minutes apart, as they were made (a test makes them in milliseconds).
    moments = iter(timezone.now() - datetime.timedelta(minutes=m) for m in (30, 30, 20, 10))
    for history in (
        intervention.history.get(history_id=first),
        line.history.earliest("history_date"),
        intervention.history.get(history_id=second),
        line.history.latest("history_date"),
    ):
        type(history).objects.filter(pk=history.pk).update(history_date=next(moments))

    made = recording.rebuild()
    assert made >= 3
    assert numbers(intervention) == [1, 2, 3]
    base = intervention.get_absolute_url()
    for history_id, number in ((first, 1), (second, 2)):
        response = client.get(f"{base}versions/{history_id}/?format=json")
        assert response.status_code == 301
        assert response["Location"] == f"{base}versions/v{number}/?format=json"
    old = client.get(f"{base}versions/{first}/", follow=True)
    assert old.redirect_chain == [(f"{base}versions/v1/", 301)]
    text = old.content.decode()
    assert "up to £3.6 million" in text
    assert "Northshire partnership (corrected)" not in text.split("has changed since")[0]
    # An id that is not one of this record's history rows is not found.
    assert client.get(f"{base}versions/{second + 1000}/").status_code == 404


def test_the_version_page_json_says_what_changed_since(client):
    intervention, line = case_study_with_money()
    line.as_printed = "£4.1 million"
    line._change_reason = "Corrected from the table"
    line.save()
    data = client.get(f"{intervention.get_absolute_url()}versions/v1/?format=json").json()
    assert data["version"] == 1
    assert data["current"] is False
    assert data["changed_since"] == [
        {"version": 2, "changed": ["Money: as printed"], "reason": "Corrected from the table"}
    ]
    assert client.get(f"{intervention.get_absolute_url()}versions/v3/").status_code == 404


@pytest.mark.django_db
def test_a_version_made_by_one_change_set_shows_the_whole_of_it(client):
    """A seed's import (or an admin save with its inlines) writes a record, then rows that
    belong on its page: its version shows them all, not the page half-way through."""
    from interventions import recording

    with recording.batch():
        council = f.CouncilFactory(name="Westshire Council", slug="westshire")
        f.InspectionFactory(council=council, title="Westshire inspection 2012")
        f.InterventionFactory(subject_council=council, title="Westshire improvement board")
    text = client.get(f.latest_version_url(council)).content.decode()
    assert "This is the current version of this record" in text
    assert "Westshire inspection 2012" in text
    assert "Westshire improvement board" in text
