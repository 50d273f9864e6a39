"""A draft is invisible everywhere: no public page, format or file names an unpublished record.

Each finding of the review (issue 12, point 2) has its own test here, on fictional records;
tests/test_drafts_crawl.py unpublishes real seeded records in turn and crawls the whole site.
"""

import csv
import html
import io
import json

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.test import override_settings

from interventions import visibility
from interventions.models import RecordVersion
from interventions.models.common import PublishedQuerySet
from ratings import dataset

from . import factories as f

pytestmark = pytest.mark.django_db

SECRET_NAME = "Secretshire Council"
SECRET_SLUG = "secretshire"


def body(response) -> str:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return raw.decode("utf-8-sig")


def get(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return body(response)


def assert_unnamed(text: str, *secrets: str) -> None:
    for secret in secrets:
        assert secret not in text, secret
        assert secret not in html.unescape(text), secret


@pytest.fixture
def draft_council():
    return f.CouncilFactory(name=SECRET_NAME, slug=SECRET_SLUG, published=False)


def draft_source(**kwargs):
    kwargs.setdefault("title", "The secret review")
    kwargs.setdefault("slug", "secret-review")
    return f.SourceFactory(published=False, **kwargs)


# The rule itself ------------------------------------------------------------------------


def test_every_relation_to_a_record_with_drafts_is_in_a_rule_or_named_through_the_rule():
    """A new foreign key to a council, source, case study or inspection must be thought about:
    either the row's own public rule reads it, or pages ask visibility.may_name() for it."""
    unaccounted = []
    for model in apps.get_models():
        if model._meta.app_label not in ("interventions", "ratings"):
            continue
        if hasattr(model, "instance_type") or model._meta.proxy:  # history, admin lists
            continue
        if model._meta.label_lower == "interventions.factcount":
            # The lists' summary counts hold public rows only, so they point only at records
            # whose rows are public (tests/test_fact_counts.py: a draft source, unpublishing).
            continue
        qs_class = visibility.rule(model)
        in_rule = {path.split("__")[0] for path in qs_class.flag_paths()} if qs_class else set()
        for field in model._meta.concrete_fields:
            if not field.is_relation or not visibility.has_drafts(field.related_model):
                continue
            if field.name in in_rule or visibility.hidden_relation(model, field.name):
                continue
            unaccounted.append(f"{model._meta.label}.{field.name}")
    assert unaccounted == []


def test_is_public_reads_what_was_fetched_without_a_query(django_assert_num_queries):
    intervention = f.InterventionFactory(subject_council__published=False)
    line = f.SpendingLineFactory()
    with django_assert_num_queries(0):
        assert not visibility.is_public(intervention)
        assert visibility.is_public(intervention.source)
        assert visibility.is_public(line)  # the stored flag
        assert visibility.is_public(f.OrganisationFactory.build())  # no draft state


def test_the_rule_as_a_condition_matches_the_rule_on_an_instance():
    public, draft = f.InterventionFactory(), f.InterventionFactory(source__published=False)
    from interventions.models import Intervention, Participant

    assert list(Intervention.objects.filter(visibility.public_q(Intervention))) == [public]
    f.ParticipantFactory(intervention=public, council=public.subject_council)
    f.ParticipantFactory(intervention=draft, council=draft.subject_council)
    through = Participant.objects.filter(visibility.public_q(Intervention, "intervention"))
    assert [p.intervention for p in through] == [public]
    assert issubclass(visibility.rule(Intervention), PublishedQuerySet)


# Successor and predecessor --------------------------------------------------------------


def test_a_draft_successor_or_predecessor_is_not_named_on_a_council_page(client, draft_council):
    council = f.CouncilFactory(successor=draft_council)
    f.CouncilFactory(name="Oldtown Council", successor=council)
    draft_before = f.CouncilFactory(name="Hiddenton Council", slug="hiddenton", published=False)
    draft_before.successor = council
    draft_before.save()
    page = get(client, council.get_absolute_url())
    assert_unnamed(page, SECRET_NAME, SECRET_SLUG, "Hiddenton", "hiddenton")
    assert "Succeeded by" not in page
    assert "Oldtown Council" in page  # a published predecessor is still named
    data = client.get(council.get_absolute_url() + "?format=json").json()
    assert data["successor"] is None
    assert [p["name"] for p in data["predecessors"]] == ["Oldtown Council"]
    assert_unnamed(json.dumps(data), SECRET_NAME, SECRET_SLUG, "Hiddenton")


def test_staff_still_see_a_draft_successor(client, draft_council):
    council = f.CouncilFactory(successor=draft_council)
    client.force_login(User.objects.create_user("curator", is_staff=True))
    assert SECRET_NAME in get(client, council.get_absolute_url())


# Participant ----------------------------------------------------------------------------


def test_a_draft_participant_council_is_not_named_but_its_role_stays(client, draft_council):
    participant = f.ParticipantFactory(
        council=draft_council, description="Lent two managers.", person_name=""
    )
    intervention = participant.intervention
    page = get(client, intervention.get_absolute_url())
    assert_unnamed(page, SECRET_NAME, SECRET_SLUG)
    assert "Lent two managers." in page
    assert "Not yet published" in page
    data = client.get(intervention.get_absolute_url() + "?format=json").json()
    (who,) = data["participants"]
    assert who["council"] == {
        "name": None,
        "slug": None,
        "url": None,
        "not_yet_published": True,
    }
    assert_unnamed(json.dumps(data), SECRET_NAME, SECRET_SLUG)
    # The source page lists the participant among the facts it supports.
    source_page = get(client, intervention.source.get_absolute_url())
    assert_unnamed(source_page, SECRET_NAME, SECRET_SLUG)
    source_json = get(client, intervention.source.get_absolute_url() + "?format=json")
    assert_unnamed(source_json, SECRET_NAME, SECRET_SLUG)


def test_a_draft_participant_council_is_not_named_where_sources_differ(client, draft_council):
    disagreement = f.DiscrepancyFactory()
    participant = f.ParticipantFactory(council=draft_council, discrepancy=disagreement)
    f.PhaseFactory(intervention=participant.intervention, discrepancy=disagreement)
    page = get(client, participant.intervention.get_absolute_url())
    assert "Where the sources differ" in page
    assert_unnamed(page, SECRET_NAME, SECRET_SLUG)


# Payer and payee ------------------------------------------------------------------------


@pytest.fixture
def draft_payer(draft_council):
    payee = f.CouncilFactory(name="Payee Borough Council")
    intervention = f.InterventionFactory(subject_council=payee)
    return f.SpendingLineFactory(
        council=payee,
        intervention=intervention,
        line="Contract sum",
        payer_council=draft_council,
        payee_council=payee,
    )


def test_a_draft_payer_is_not_named_on_detail_pages(client, draft_payer):
    for url in (
        draft_payer.council.get_absolute_url(),
        draft_payer.intervention.get_absolute_url(),
    ):
        page = get(client, url)
        assert "Contract sum" in page
        assert "Paid by a party not yet published to Payee Borough Council" in page
        assert_unnamed(page, SECRET_NAME, SECRET_SLUG)
        data = client.get(url + "?format=json").json()
        (line,) = data["spending_lines"]
        assert line["payer"]["not_yet_published"] is True
        assert line["payee"]["name"] == "Payee Borough Council"
        assert_unnamed(json.dumps(data), SECRET_NAME, SECRET_SLUG)


@pytest.mark.parametrize("fmt", ["", "?format=json", "?format=csv"])
def test_a_draft_payer_is_not_named_in_the_spending_list(client, draft_payer, fmt):
    text = get(client, "/spending/" + fmt)
    assert "Contract sum" in text
    assert_unnamed(text, SECRET_NAME, SECRET_SLUG)
    if fmt == "?format=csv":
        (row,) = csv.DictReader(io.StringIO(text))
        assert row["Paid by"] == "Not yet published"
        assert row["Paid to"] == "Payee Borough Council"


def test_both_ways_of_writing_the_spending_csv_hide_a_draft_payer(rf, draft_payer):
    from ratings.views import SpendingList

    view = SpendingList()
    view.request = rf.get("/spending/?format=csv")
    queryset = view.get_queryset()
    fast = "".join(view.csv_rows(queryset, fast=True))
    slow = "".join(view.csv_rows(queryset, fast=False))
    assert fast == slow
    assert_unnamed(fast, SECRET_NAME)


# Footnotes, the list of sources and JSON-LD ---------------------------------------------


def test_a_council_first_named_in_a_draft_source_does_not_name_the_source(client):
    source = draft_source()
    council = f.CouncilFactory(source=source, locator="para 9 of the secret review")
    f.OrganisationFactory(council=council, kind="board", source=draft_source(slug="another"))
    page = get(client, council.get_absolute_url())
    assert_unnamed(page, "The secret review", "secret-review", "/sources/another/")
    assert "A report not yet published in Casebook." in page
    assert "para 9 of the secret review" not in page  # nor the place in it
    ld = page.split('<script type="application/ld+json">')[1].split("</script>")[0]
    assert json.loads(ld)["citation"] == []
    data = client.get(council.get_absolute_url() + "?format=json").json()
    assert data["source"]["not_yet_published"] is True
    assert data["locator"] is None
    assert_unnamed(json.dumps(data), "The secret review", "secret-review")


def test_a_fact_citing_a_draft_source_is_itself_hidden(client):
    intervention = f.InterventionFactory()
    f.PhaseFactory(intervention=intervention, name="Drafted phase", source=draft_source())
    page = get(client, intervention.get_absolute_url())
    assert_unnamed(page, "Drafted phase", "The secret review", "secret-review")


def test_an_organisation_of_a_draft_council_does_not_name_it_on_its_source_page(
    client, draft_council
):
    organisation = f.OrganisationFactory(council=draft_council, kind="board")
    text = get(client, organisation.source.get_absolute_url())
    assert str(organisation) in text
    assert_unnamed(text, SECRET_NAME, SECRET_SLUG)


# Version pages and the list of changes --------------------------------------------------


def latest_number(record) -> int:
    return (
        RecordVersion.objects.filter(record_id=record.pk, record=record._meta.label_lower)
        .latest("number")
        .number
    )


def test_a_version_page_does_not_name_a_draft_related_record(client, draft_council):
    participant = f.ParticipantFactory(council=draft_council, person_name="A. Helper")
    intervention = participant.intervention
    f.PhaseFactory(intervention=intervention, name="Drafted phase", source=draft_source())
    intervention.save()
    version = latest_number(intervention)
    url = f"{intervention.get_absolute_url()}versions/v{version}/"
    page = get(client, url)
    assert "A. Helper" in page
    assert_unnamed(page, SECRET_NAME, SECRET_SLUG, "Drafted phase", "The secret review")
    assert_unnamed(get(client, url + "?format=json"), SECRET_NAME, "Drafted phase")
    council = f.CouncilFactory(
        successor=draft_council, source=draft_source(slug="other"), locator="secret para 9"
    )
    page = get(client, f"{council.get_absolute_url()}versions/v1/")
    assert_unnamed(page, SECRET_NAME, "The secret review", "secret para 9")


def test_the_change_list_leaves_out_versions_from_before_a_record_was_published(client):
    intervention = f.InterventionFactory(title="Working title", published=False)
    intervention.title = "Second draft title"
    intervention.save()
    drafts = list(intervention.history.values_list("history_id", flat=True))
    intervention.title = "Published title"
    intervention.published = True
    intervention.save()
    page = get(client, intervention.get_absolute_url())
    assert "Version 1</a> (current)" in page
    assert "Version 2" not in page
    for history_id in drafts:
        assert f"versions/{history_id}/" not in page
        url = f"{intervention.get_absolute_url()}versions/{history_id}/"
        assert client.get(url).status_code == 404
    data = client.get(intervention.get_absolute_url() + "?format=json").content.decode()
    assert "Working title" not in data
    # Drafts' versions are unnumbered for staff too (they read them in the admin's history).
    client.force_login(User.objects.create_user("curator", is_staff=True))
    assert "Version 1</a> (current)" in get(client, intervention.get_absolute_url())


def test_the_version_number_of_a_published_version_counts_only_published_versions(client):
    intervention = f.InterventionFactory(published=False)
    intervention.published = True
    intervention.save()
    latest = intervention.history.order_by("-history_date").first().history_id
    url = f"{intervention.get_absolute_url()}versions/{latest}/?format=json"
    response = client.get(url)  # the address it had before versions were numbered
    assert response.status_code == 301
    assert response["Location"].endswith("/versions/v1/?format=json")
    assert client.get(response["Location"]).json()["version"] == 1


# Old slugs ------------------------------------------------------------------------------


def test_a_slug_a_record_had_only_as_a_draft_does_not_redirect(client):
    source = draft_source(slug="draft-era-slug")
    source.slug = "public-slug"
    source.published = True
    source.save()
    assert client.get("/sources/draft-era-slug/").status_code == 404
    assert client.get("/sources/draft-era-slug/?format=bibtex").status_code == 404
    version = source.history.order_by("-history_date").first().history_id
    assert client.get(f"/sources/draft-era-slug/versions/{version}/").status_code == 404
    assert client.get("/sources/draft-era-slug/versions/v1/").status_code == 404
    # A slug it had while published still redirects.
    source.slug = "newer-slug"
    source.save()
    response = client.get("/sources/public-slug/")
    assert response.status_code == 301
    assert response["Location"] == "/sources/newer-slug/"


def test_old_slugs_of_a_withdrawn_record_do_not_redirect(client):
    council = f.CouncilFactory(slug="old-council-slug")
    council.slug = "new-council-slug"
    council.save()
    council.published = False
    council.save()
    for slug in ("old-council-slug", "new-council-slug"):
        assert client.get(f"/councils/{slug}/").status_code == 404


# Filters and facets ---------------------------------------------------------------------


def test_the_publisher_filter_accepts_only_publishers_of_published_sources(client):
    f.SourceFactory(publisher="Open Press")
    draft_source(publisher="Hidden Press")
    listed = get(client, "/sources/")
    assert_unnamed(listed, "Hidden Press")
    assert "Open Press" in listed
    for fmt in ("json", "csv"):
        hidden = client.get("/sources/", {"publisher": "Hidden Press", "format": fmt})
        unknown = client.get("/sources/", {"publisher": "Nobody Press", "format": fmt})
        assert hidden.status_code == unknown.status_code == 400
        assert body(hidden) == body(unknown).replace("Nobody Press", "Hidden Press")
    assert client.get("/sources/", {"publisher": "Open Press", "format": "json"}).json()["count"]


# The open data --------------------------------------------------------------------------


def test_the_data_set_blanks_every_reference_to_a_draft(draft_council, tmp_path):
    council = f.CouncilFactory(successor=draft_council, source=draft_source())
    f.OrganisationFactory(council=draft_council, kind="board")
    f.ParticipantFactory(council=draft_council)
    f.SpendingLineFactory(payer_council=draft_council, payee_council=council)
    with override_settings(DATA_EXPORT_DIR=tmp_path):
        text = dataset.dataset_json()
        tables = {
            label: dataset.table_csv(apps.get_model(label))
            for label in ("interventions.Council", "interventions.Organisation")
        }
    assert_unnamed(text, SECRET_NAME, SECRET_SLUG, "secret-review")
    rows = {(r["model"], r["fields"].get("slug")): r["fields"] for r in json.loads(text)}
    assert rows[("interventions.council", council.slug)]["successor"] is None
    assert rows[("interventions.council", council.slug)]["source"] is None
    for table in tables.values():
        assert_unnamed(table, SECRET_SLUG, "secret-review")


# Organisations (issue 14: their list and page) ------------------------------------------


def test_an_organisation_names_no_draft_council_source_or_case_study(client, draft_council):
    """An organisation has no draft state, but its council, its source and the case studies
    and inspections it took part in may be drafts: its list and page name none of them."""
    board = f.OrganisationFactory(
        name="Open Board", kind="board", council=draft_council, source=draft_source()
    )
    hidden = f.InterventionFactory(title="Hidden partnership", published=False)
    f.ParticipantFactory(intervention=hidden, council=None, organisation=board)
    shown = f.InterventionFactory(title="Open partnership")
    f.ParticipantFactory(intervention=shown, council=None, organisation=board)
    f.InspectionFactory(title="Hidden inspection", inspectorate=board, published=False)
    secrets = (SECRET_NAME, SECRET_SLUG, "The secret review", "secret-review", "Hidden")
    for url in ("/organisations/", "/organisations/?format=csv", "/organisations/?format=json"):
        text = get(client, url)
        assert "Open Board" in text
        assert_unnamed(text, *secrets)
    for suffix in ("", "?format=json", "?format=bibtex", "?format=ris", "?format=csl-json"):
        text = get(client, board.get_absolute_url() + suffix)
        assert_unnamed(text, *secrets)
    page = get(client, board.get_absolute_url())
    assert "Open partnership" in page
    assert visibility.NOT_PUBLISHED in page
    listed = client.get("/organisations/?format=json").json()["results"]
    assert [row["participations"] for row in listed if row["name"] == "Open Board"] == [1]
    assert [row["inspections"] for row in listed if row["name"] == "Open Board"] == [0]
