"""Corrections in the open: a reason for every change to a published record, listed in public."""

import html
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.urls import reverse

from interventions import recording
from interventions.models import Intervention
from interventions.versions import record_versions

from . import factories as f
from .test_curators import form_data
from .test_edit_conflicts import curator_client, opened_form

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def curator():
    return curator_client("carol", "Carol", "Curator")


def admin_url(intervention) -> str:
    return reverse("admin:interventions_intervention_change", args=[intervention.pk])


def text(response) -> str:
    return html.unescape(response.content.decode())


def test_saving_a_published_record_without_a_reason_is_a_form_error_and_saves_nothing(curator):
    intervention = f.InterventionFactory(title="Northshire partnership")
    data = opened_form(curator, admin_url(intervention))
    data["title"] = "Northshire improvement partnership"
    data["change_reason"] = "   "
    response = curator.post(admin_url(intervention), data)
    assert response.status_code == 200
    assert "Give a reason for this change" in text(response)
    intervention.refresh_from_db()
    assert intervention.title == "Northshire partnership"
    assert [v.number for v in record_versions(intervention)] == [1]


def test_the_reason_given_is_shown_in_the_records_changes_and_on_changes(client, curator):
    intervention = f.InterventionFactory(title="Northshire partnership")
    data = opened_form(curator, admin_url(intervention))
    data["title"] = "Northshire improvement partnership"
    data["change_reason"] = "Title as printed on page 4"
    response = curator.post(admin_url(intervention), data)
    assert response.status_code == 302
    version = record_versions(intervention).get(number=2)
    assert version.reason == "Title as printed on page 4"
    assert version.changed == ["title"]

    page = text(client.get(intervention.get_absolute_url()))
    assert "Corrected " in page
    assert "Title as printed on page 4" in page
    assert f"/changes/?kind=intervention&record={intervention.slug}" in page
    changes = text(client.get(f"/changes/?kind=intervention&record={intervention.slug}"))
    assert "Northshire improvement partnership" in changes
    assert "Title as printed on page 4" in changes
    assert f"{intervention.get_absolute_url()}versions/v2/" in changes


def test_a_drafts_save_needs_no_reason_and_is_not_a_correction(client, curator):
    intervention = f.InterventionFactory(published=False)
    data = opened_form(curator, admin_url(intervention))
    data["summary"] = "Still drafting."
    assert curator.post(admin_url(intervention), data).status_code == 302
    assert not record_versions(intervention).exists()
    assert client.get("/changes/?format=json").json()["count"] == 0


def test_a_revert_is_recorded_as_reverted_to_version_n(curator):
    intervention = f.InterventionFactory(title="First title")
    first = intervention.history.get()
    intervention.title = "Second title"
    intervention._change_reason = "Renamed"
    intervention.save()
    url = reverse(
        "admin:interventions_intervention_simple_history",
        args=[intervention.pk, first.history_id],
    )
    data = form_data(curator.get(url).context["adminform"].form)  # the revert form: no inlines
    assert data["change_reason"] == "Reverted to version 1"
    assert curator.post(url, data).status_code == 302
    latest = record_versions(intervention).latest("number")
    assert (latest.number, latest.reason) == (3, "Reverted to version 1")
    assert Intervention.objects.get(pk=intervention.pk).title == "First title"


def correct_money(intervention, line, reason):
    line.as_printed = "£4.1 million"
    line.amount_gbp = Decimal("4100000")
    line._change_reason = reason
    line.save()


def test_changes_lists_corrections_newest_first_filterable_and_as_json_and_atom(client):
    with recording.batch():
        one = f.InterventionFactory(title="Northshire partnership")
        line = f.SpendingLineFactory(intervention=one, council=one.subject_council)
    two = f.CouncilFactory(name="Southshire Council")
    correct_money(one, line, "Amount from table 3")
    two.name = "Southshire County Council"
    two._change_reason = "Name as printed"
    two.save()
    hidden = f.InterventionFactory(title="Withdrawn case")
    hidden.summary = "Changed once"
    hidden.save()
    hidden.published = False
    hidden.save()

    data = client.get("/changes/?format=json").json()
    assert data["count"] == 2  # not the withdrawn record's correction
    titles = [entry["record"]["title"] for entry in data["results"]]
    assert titles == ["Southshire County Council", "Northshire partnership"]
    first = data["results"][1]
    assert first["changed"] == ["Money: amount (£), as printed"]
    assert first["reason"] == "Amount from table 3"
    assert first["version_url"].endswith(f"{one.get_absolute_url()}versions/v2/")

    councils = client.get("/changes/?kind=council&format=json").json()
    assert [e["record"]["title"] for e in councils["results"]] == ["Southshire County Council"]
    page = text(client.get("/changes/?kind=nonsense"))
    assert "“nonsense” is not a kind of record" in page
    assert "Withdrawn case" not in page

    feed = client.get("/changes/feed/")
    assert feed["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(feed.content)
    entries = root.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == [
        "Southshire County Council (council): version 2",
        "Northshire partnership (case study): version 2",
    ]
    assert "Reason: Amount from table 3" in entries[1].find(f"{ATOM}summary").text
    assert entries[1].find(f"{ATOM}link").get("href").startswith("http://testserver/")
