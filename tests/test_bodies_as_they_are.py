"""People and bodies as the reports print them (issue 13, point 4).

A participant can be only a role ("the Commissioner for children's services in Doncaster
appointed by the Secretary of State"); an organisation can belong to several councils
(Achieving for Children: Richmond upon Thames and Kingston); a statistic can be about a council,
an organisation or a person; a grade can be stated as an equivalent on another scale.
"""

import csv
import datetime
import html
import io
import json
import re

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from interventions.models import Organisation, Ownership, Participant, ParticipantRole
from ratings.models import Framework, Inspection, Statistic

from . import factories as f
from .test_edit_conflicts import curator_client, opened_form

AFC = "/organisations/achieving-for-children/"
TVP = "/organisations/thames-valley-police/"
DONCASTER_TRUST = "/interventions/doncaster-childrens-trust/"
SWINDON_APA_2006 = "/inspections/swindon-ofsted-apa-2006-07-children/"
COMMISSIONER = (
    "the Commissioner for children's services in Doncaster appointed by the Secretary of State"
)


def text(response) -> str:
    """The page's words, without its tags."""
    assert response.status_code == 200
    words = re.sub(r"<[^>]+>", "", response.content.decode())
    return html.unescape(re.sub(r"\s+", " ", words))


def csv_rows(client, url, **params) -> list[dict]:
    response = client.get(url, {**params, "format": "csv"})
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(body)))


def json_of(client, url, **params) -> dict:
    response = client.get(url, {**params, "format": "json"})
    assert response.status_code == 200
    return json.loads(response.content)


def refused(save) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        save()


# Constraints ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_participant_may_be_only_a_role_but_not_nobody():
    intervention = f.InterventionFactory()
    source = intervention.source
    role = Participant.objects.create(
        intervention=intervention,
        position=1,
        role=ParticipantRole.CHAIR,
        described_as="a proposed independent chair",
        source=source,
        locator="Options",
    )
    assert role.role_only
    assert str(role) == "a proposed independent chair: Chair"
    refused(
        lambda: Participant.objects.create(
            intervention=intervention,
            position=2,
            role=ParticipantRole.CHAIR,
            source=source,
            locator="Options",
        )
    )


@pytest.mark.django_db
def test_a_statistic_is_about_exactly_one_council_organisation_or_person():
    council, organisation, person = f.CouncilFactory(), f.OrganisationFactory(), f.PersonFactory()
    about_police = f.StatisticFactory(council=None, organisation=organisation)
    about_person = f.StatisticFactory(council=None, person=person)
    assert about_police.subject == organisation
    assert about_person.subject == person
    assert (
        about_police.get_absolute_url()
        == f"{organisation.get_absolute_url()}#statistic-{about_police.ref}"
    )
    refused(lambda: f.StatisticFactory(council=None))
    refused(lambda: f.StatisticFactory(council=council, organisation=organisation))
    refused(lambda: f.StatisticFactory(council=None, organisation=organisation, person=person))


@pytest.mark.django_db
def test_an_equivalent_grade_must_be_on_the_scale_it_is_said_to_be_on():
    inspection = f.InspectionFactory(framework=Framework.OFSTED_APA, overall_grade="2")
    inspection.equivalent_grade = "1 star"
    inspection.equivalent_framework = Framework.CSCI_STARS
    inspection.save()
    assert inspection.equivalent_display == (
        "equivalent to 1 star on the CSCI social services star rating, as the report says"
    )
    inspection.equivalent_grade = "Good"  # not a grade of the star rating
    refused(inspection.save)
    inspection.equivalent_grade, inspection.equivalent_framework = "1 star", ""
    refused(inspection.save)


@pytest.mark.django_db
def test_a_council_owns_a_body_once():
    organisation, council = f.OrganisationFactory(), f.CouncilFactory()
    Ownership.objects.create(organisation=organisation, council=council)
    refused(
        lambda: Ownership.objects.create(organisation=organisation, council=council, position=2)
    )


# Admin forms: a clear message, never a 500 --------------------------------------------


@pytest.mark.django_db
def test_the_admin_refuses_a_statistic_about_two_subjects_with_a_message(seeded):
    curator = curator_client("erin", "Erin", "Curator")
    statistic = Statistic.objects.get(ref="tvp-local-policing-areas")
    url = reverse("admin:ratings_statistic_change", args=[statistic.pk])
    data = opened_form(curator, url)
    data["council"] = str(
        statistic.source.ratings_statistic_facts.exclude(council=None)[0].council_id
    )
    response = curator.post(url, data)
    assert response.status_code == 200
    assert "exactly one council, organisation or person" in text(response)
    statistic.refresh_from_db()
    assert statistic.council_id is None


@pytest.mark.django_db
def test_the_admin_refuses_a_participant_naming_no_one_with_a_message(seeded):
    curator = curator_client("finn", "Finn", "Curator")
    participant = Participant.objects.get(
        intervention__slug="doncaster-childrens-trust", described_as=COMMISSIONER
    )
    url = reverse("admin:interventions_participant_change", args=[participant.pk])
    data = opened_form(curator, url)
    data["described_as"] = ""
    response = curator.post(url, data)
    assert response.status_code == 200
    assert "describe the role as the report prints it" in text(response)


@pytest.mark.django_db
def test_the_admin_refuses_an_equivalent_grade_off_its_scale_with_a_message(seeded):
    curator = curator_client("gail", "Gail", "Curator")
    inspection = Inspection.objects.get(slug="swindon-ofsted-apa-2006-07-children")
    url = reverse("admin:ratings_inspection_change", args=[inspection.pk])
    data = opened_form(curator, url)
    data["equivalent_grade"] = "Good"
    response = curator.post(url, data)
    assert response.status_code == 200
    assert '"Good" is not a grade of CSCI social services star rating' in text(response)


@pytest.mark.django_db
def test_the_admin_edits_every_owner_of_an_organisation(seeded):
    curator = curator_client("hal", "Hal", "Curator")
    organisation = Organisation.objects.get(slug="achieving-for-children")
    url = reverse("admin:interventions_organisation_change", args=[organisation.pk])
    page = text(curator.get(url))
    assert "London Borough of Richmond upon Thames" in page
    assert "Royal Borough of Kingston upon Thames" in page


# The seed: what the reports print ------------------------------------------------------


@pytest.mark.django_db
def test_the_seed_gives_a_jointly_owned_body_every_owner_the_report_names(seeded):
    owners = Organisation.objects.get(slug="achieving-for-children").owners.order_by(
        "ownerships__position"
    )
    assert [c.slug for c in owners] == ["richmond-upon-thames", "kingston-upon-thames"]


@pytest.mark.django_db
def test_the_seed_files_statistics_under_their_real_subjects(seeded):
    def subject(ref):
        return Statistic.objects.get(ref=ref).subject.slug

    assert subject("tvp-local-policing-areas") == "thames-valley-police"
    assert subject("improvement-board-reporting-interval") == "slough-improvement-board"
    assert subject("interim-director-initial-term") == "malcolm-newsam"
    assert subject("halton-turnaround-years") == "kath-odwyer"


@pytest.mark.django_db
def test_the_seed_records_the_doncaster_commissioner_as_a_role_only(seeded):
    rows = Participant.objects.filter(described_as=COMMISSIONER)
    assert rows.count() == 2
    for row in rows:
        assert row.role_only
        assert row.council_id is None  # no longer filed under Doncaster council


# Pages, lists, CSV and JSON --------------------------------------------------------------


@pytest.mark.django_db
def test_a_jointly_owned_body_shows_all_its_owners(client, seeded):
    page = text(client.get(AFC))
    assert "Belongs jointly to" in page
    assert "London Borough of Richmond upon Thames" in page
    assert "Royal Borough of Kingston upon Thames" in page
    owners = [o["slug"] for o in json_of(client, AFC)["owners"]]
    assert owners == ["richmond-upon-thames", "kingston-upon-thames"]
    (row,) = [
        r
        for r in csv_rows(client, "/organisations/")
        if r["Organisation"] == "Achieving for Children"
    ]
    assert row["Belongs to"] == (
        "London Borough of Richmond upon Thames; Royal Borough of Kingston upon Thames"
    )
    listed = [
        o["name"]
        for o in json_of(client, "/organisations/", council="kingston-upon-thames")["results"]
    ]
    assert listed == ["Achieving for Children"]


@pytest.mark.parametrize(
    ("council", "other"),
    [
        ("richmond-upon-thames", "Royal Borough of Kingston upon Thames"),
        ("kingston-upon-thames", "London Borough of Richmond upon Thames"),
    ],
)
@pytest.mark.django_db
def test_each_owners_council_page_shows_the_body_and_its_co_owner(client, seeded, council, other):
    page = text(client.get(f"/councils/{council}/"))
    assert "Achieving for Children" in page
    assert f"belongs jointly to this council and {other}" in page or (
        f"belongs jointly to {other} and this council" in page
    )
    (body,) = json_of(client, f"/councils/{council}/")["organisations"]
    assert body["slug"] == "achieving-for-children"
    assert len(body["owners"]) == 2


@pytest.mark.django_db
def test_a_role_only_participant_is_shown_as_printed(client, seeded):
    page = text(client.get(DONCASTER_TRUST))
    assert f"“{COMMISSIONER}”" in page
    assert "the report names no one in it" in page
    (row,) = [p for p in json_of(client, DONCASTER_TRUST)["participants"] if p["described_as"]]
    assert row["described_as"] == COMMISSIONER
    assert row["council"] is None
    assert row["organisation"] is None
    results = text(client.get("/search/", {"q": "Commissioner Doncaster", "kind": "participants"}))
    assert COMMISSIONER in results


@pytest.mark.django_db
def test_the_police_statistic_is_on_the_police_page_not_sloughs(client, seeded):
    page = text(client.get(TVP))
    assert "Local policing areas covered by Thames Valley Police" in page
    assert "Local policing areas covered" not in text(client.get("/councils/slough/"))
    data = json_of(client, TVP)
    assert [s["ref"] for s in data["statistics"]] == ["tvp-local-policing-areas"]
    assert data["statistics"][0]["organisation"]["slug"] == "thames-valley-police"
    assert data["statistics"][0]["council"] is None


@pytest.mark.django_db
def test_a_statistic_about_a_person_is_on_their_page(client, seeded):
    page = text(client.get("/people/malcolm-newsam/"))
    assert "Length of Malcolm Newsam's initial interim appointment" in page
    data = json_of(client, "/people/malcolm-newsam/")
    assert [s["ref"] for s in data["statistics"]] == ["interim-director-initial-term"]


@pytest.mark.django_db
def test_the_statistics_list_names_each_subject_and_filters_by_it(client, seeded):
    rows = {r["Measure"]: r for r in csv_rows(client, "/statistics/")}
    police = rows["Local policing areas covered by Thames Valley Police"]
    assert police["Subject"] == "Thames Valley Police"
    assert police["Subject kind"] == "Organisation"
    assert police["Organisation"] == "Thames Valley Police"
    assert police["Council"] == ""
    assert police["Person"] == ""
    people = csv_rows(client, "/statistics/", subject="person")
    assert {r["Person"] for r in people} == {"Malcolm Newsam", "Kath O'Dwyer"}
    only = json_of(client, "/statistics/", organisation="thames-valley-police")["results"]
    assert [r["measure"] for r in only] == ["Local policing areas covered by Thames Valley Police"]
    assert "Thames Valley Police" in text(client.get("/statistics/"))
    bad = client.get("/statistics/", {"subject": "police"})
    assert bad.status_code in (200, 400)


@pytest.mark.django_db
def test_an_equivalent_grade_is_stated_with_its_scale(client, seeded):
    page = text(client.get(SWINDON_APA_2006))
    assert (
        "Equivalent to 1 star on the CSCI social services star rating, as the report says" in page
    )
    data = json_of(client, SWINDON_APA_2006)
    assert data["equivalent_grade"] == "1 star"
    assert data["equivalent_framework"] == "csci-stars"
    listed = csv_rows(client, "/inspections/", council="swindon", framework="ofsted-apa")
    assert {(r["Equivalent grade"], r["Equivalent on"]) for r in listed} == {
        ("1 star", "CSCI social services star rating")
    }


# The migration: every organisation's council becomes an owner, history included ---------


@pytest.mark.django_db(transaction=True)
def test_the_migration_moves_every_council_link_to_an_owner_with_its_history():
    before = [("interventions", "0012_dates_as_printed"), ("ratings", "0014_dates_as_printed")]
    after = [("interventions", "0013_bodies_as_they_are"), ("ratings", "0015_bodies_as_they_are")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    Source = old.get_model("interventions", "Source")
    Council = old.get_model("interventions", "Council")
    Organisation_ = old.get_model("interventions", "Organisation")
    History = old.get_model("interventions", "HistoricalOrganisation")
    source = Source.objects.create(slug="a-report", title="A report", kind="review")
    kent = Council.objects.create(slug="kent", name="Kent", source=source, locator="p1")
    swindon = Council.objects.create(slug="swindon", name="Swindon", source=source, locator="p1")
    board = Organisation_.objects.create(
        slug="board", name="Board", kind="board", council=kent, source=source, locator="p2"
    )
    unowned = Organisation_.objects.create(
        slug="dfe", name="DfE", kind="government", source=source, locator="p3"
    )
    when = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    for i, council in enumerate((swindon, kent)):  # filed under Swindon first, then Kent
        History.objects.create(
            id=board.pk,
            slug="board",
            name="Board",
            kind="board",
            abbreviation="",
            description="",
            council_id=council.pk,
            source_id=source.pk,
            locator="p2",
            history_date=when + datetime.timedelta(days=i),
            history_type="+" if i == 0 else "~",
        )
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)
    new = executor.loader.project_state(after).apps
    Ownership_ = new.get_model("interventions", "Ownership")
    HistoricalOwnership = new.get_model("interventions", "HistoricalOwnership")
    assert list(Ownership_.objects.values_list("organisation_id", "council_id")) == [
        (board.pk, kent.pk)
    ]
    assert not Ownership_.objects.filter(organisation_id=unowned.pk).exists()
    history = list(
        HistoricalOwnership.objects.order_by("history_date", "history_type").values_list(
            "council_id", "history_type"
        )
    )
    # Swindon added, then removed and Kent added, at the moments the old field changed.
    assert history == [(swindon.pk, "+"), (kent.pk, "+"), (swindon.pk, "-")]
    assert new.get_model("interventions", "Organisation").objects.count() == 2
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
