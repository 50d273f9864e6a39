"""Every kind of record browsable (issue 14, point 1): the inspections, statistics and
organisations lists, and the organisation page, on the real seed data."""

import csv
import html
import io
import re

import bibtexparser
import pytest
import rispy
from django.db import connection
from django.urls import reverse

from interventions.models import Organisation, OrganisationKind, Participant
from ratings.models import Inspection, Statistic
from tests.test_query_counts import SUMMARISED

pytestmark = pytest.mark.django_db

NEW_LISTS = {
    "ratings:inspection-list": Inspection,
    "ratings:statistic-list": Statistic,
    "interventions:organisation-list": Organisation,
}


def page_text(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def csv_rows(client, url, **params) -> list[dict]:
    response = client.get(url, {**params, "format": "csv"})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def table_links(text: str) -> list[str]:
    """The address each row of the page's table links to from its first linked cell."""
    body = text[text.index("<tbody>") : text.index("</tbody>")]
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    return [re.findall(r'<a href="([^"]+)"', row) for row in rows]


def facet_counts(text: str, param: str) -> dict[str, int]:
    found = re.findall(
        rf'name="{param}" value="([^"]+)"[^>]*> [^<]*<span class="count">\((\d+)\)</span>', text
    )
    return {value: int(n) for value, n in found}


@pytest.mark.parametrize("name", NEW_LISTS)
def test_each_new_list_shows_every_public_row(client, seeded, name):
    model = NEW_LISTS[name]
    text = page_text(client.get(reverse(name)))
    total = model.objects.published().count()
    assert total > 0
    assert f"{total} results" in text
    data = client.get(reverse(name), {"format": "json"}).json()
    assert data["count"] == total


def test_inspection_facets_count_the_rows(client, seeded):
    text = page_text(client.get(reverse("ratings:inspection-list")))
    public = Inspection.objects.published()
    assert (
        facet_counts(text, "council")["swindon"] == public.filter(council__slug="swindon").count()
    )
    assert facet_counts(text, "council")["swindon"] == 8  # all eight Swindon star ratings
    frameworks = facet_counts(text, "framework")
    for framework, n in frameworks.items():
        assert public.filter(framework=framework).count() == n
    assert sum(frameworks.values()) == public.count()


def test_the_inspectorate_facet_lists_inspectorates_only_with_counts(client, seeded):
    inspectorates = set(
        Organisation.objects.filter(kind=OrganisationKind.INSPECTORATE).values_list(
            "slug", flat=True
        )
    )
    assert Organisation.objects.count() > len(inspectorates)
    for name in ("ratings:inspection-list", "ratings:judgement-list"):
        text = page_text(client.get(reverse(name)))
        counts = facet_counts(text, "inspectorate")
        assert counts, name
        assert set(counts) <= inspectorates, name
        assert "serco" not in re.findall(r'name="inspectorate" value="([^"]+)"', text)
    counts = facet_counts(page_text(client.get(reverse("ratings:inspection-list"))), "inspectorate")
    for slug, n in counts.items():
        assert Inspection.objects.published().filter(inspectorate__slug=slug).count() == n
    # A provider is not an inspectorate: asking for one is a message, not a 500.
    text = page_text(client.get(reverse("ratings:inspection-list"), {"inspectorate": "serco"}))
    assert "could not be used" in text


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("ratings:inspection-list", {"council": "swindon", "sort": "-year"}),
        ("ratings:inspection-list", {"inspectorate": "csci"}),
        ("ratings:statistic-list", {"council": "slough"}),
        ("interventions:organisation-list", {"kind": "board", "sort": "-participations"}),
    ],
)
def test_csv_and_json_hold_exactly_the_filtered_rows_of_the_page(client, seeded, name, params):
    url = reverse(name)
    text = page_text(client.get(url, params))
    page_rows = table_links(text)
    assert page_rows
    rows = csv_rows(client, url, **params)
    data = client.get(url, {**params, "format": "json"}).json()
    assert len(rows) == len(page_rows) == data["count"] == len(data["results"])
    # Row by row, in the same order: each CSV and JSON row is the record its page row links to.
    csv_urls = [row["Casebook URL"].removeprefix("http://testserver") for row in rows]
    json_urls = [r["url"].removeprefix("http://testserver") for r in data["results"]]
    assert csv_urls == json_urls
    for url_of_row, links in zip(csv_urls, page_rows, strict=True):
        assert url_of_row in links
    if name == "ratings:statistic-list":
        assert {row["Council"] for row in rows} == {"Slough Borough Council"}
    if "inspectorate" in params:
        assert {row["Inspectorate"] for row in rows} == {
            "Commission for Social Care Inspection (CSCI)"
        }


@pytest.mark.parametrize(
    ("name", "param", "value"),
    [
        ("ratings:inspection-list", "framework", "no-such-framework"),
        ("ratings:inspection-list", "year_from", "nineteen"),
        ("ratings:inspection-list", "council", "atlantis"),
        ("ratings:statistic-list", "unit", "furlongs"),
        ("ratings:statistic-list", "comparator_group", "no such group"),
        ("interventions:organisation-list", "kind", "guild"),
    ],
)
def test_a_bad_filter_value_is_a_message_on_the_page(client, seeded, name, param, value):
    url = reverse(name)
    text = page_text(client.get(url, {param: value}))
    assert "could not be used" in text
    for fmt in ("csv", "json"):
        assert client.get(url, {param: value, "format": fmt}).status_code == 400


def test_the_organisation_page_shows_serco_in_stoke_with_a_footnote(client, seeded):
    serco = Organisation.objects.get(slug="serco")
    participation = Participant.objects.published().filter(organisation=serco).first()
    assert participation.intervention.subject_council.slug == "stoke-on-trent"
    text = page_text(client.get(serco.get_absolute_url()))
    row = text[text.index(f'id="participation-{participation.pk}"') :]
    row = row[: row.index("</li>")]
    assert participation.get_role_display() in row
    note = re.search(r'<sup class="fn"><a href="#(fn-[^"]+)"', row)
    assert note, row
    assert f'id="{note.group(1)}"' in text
    footnote = text[text.index(f'id="{note.group(1)}"') :]
    assert participation.source.title in html.unescape(footnote[: footnote.index("</li>")])
    assert participation.intervention.get_absolute_url() in text
    assert "Stoke-on-Trent City Council" in text
    assert participation.intervention.start_display in text
    data = client.get(serco.get_absolute_url(), {"format": "json"}).json()
    assert data["participations"][0]["intervention"]["slug"] == participation.intervention.slug
    assert data["participations"][0]["role"] == participation.role
    assert data["participations"][0]["source"]["slug"] == participation.source.slug


def test_an_inspectorate_page_lists_the_inspections_it_carried_out(client, seeded):
    ofsted = Organisation.objects.get(slug="ofsted")
    text = page_text(client.get(ofsted.get_absolute_url()))
    inspections = Inspection.objects.published().filter(inspectorate=ofsted)
    assert inspections.exists()
    for inspection in inspections:
        assert inspection.get_absolute_url() in text
    data = client.get(ofsted.get_absolute_url(), {"format": "json"}).json()
    assert {i["slug"] for i in data["inspections"]} == {i.slug for i in inspections}


def test_the_organisation_page_is_citable(client, seeded):
    url = Organisation.objects.get(slug="serco").get_absolute_url()
    text = page_text(client.get(url))
    assert 'id="cite-heading"' in text
    assert "Changes to this record" in text or "versions/" not in text
    library = bibtexparser.parse_string(client.get(url, {"format": "bibtex"}).content.decode())
    assert library.failed_blocks == []
    assert len(library.entries) == 1
    assert "Serco" in library.entries[0]["title"]
    (record,) = rispy.loads(client.get(url, {"format": "ris"}).content.decode())
    assert "Serco" in record["title"]
    (item,) = client.get(url, {"format": "csl-json"}).json()
    assert item["title"] == "Serco"
    assert item["URL"].startswith("http://testserver/organisations/serco/")


def test_the_home_page_links_the_new_lists(client, seeded):
    text = page_text(client.get("/"))
    for name in NEW_LISTS:
        assert f'href="{reverse(name)}"' in text


def test_the_sitemap_lists_organisation_pages(client, seeded):
    text = client.get("/sitemap.xml").content.decode()
    assert "http://testserver/organisations/serco/" in text


# A list: the data version, the count, the page's ids, its rows, and one query per facet
# (on PostgreSQL each facet counted from the rows also sets and restores its time limit in a
# savepoint: five statements more; a summarised list's facets need none). The statistics
# form reads the published comparator groups; its facets include the figures' organisations
# and people (7). The organisations list also reads
# every listed body's owners, and the councils its "Belongs to" filter offers.
# The organisation page: the data version, the organisation (with its source and successor),
# its owners, its predecessors, its history (count and rows), its participations,
# inspections, money paid to it and by it, the figures about it, and the disagreements those
# facts are part of (one UNION query over the kinds' membership tables).
@pytest.mark.parametrize(
    ("url", "queries", "facets"),
    [
        ("/inspections/", 4, 6),
        ("/statistics/", 5, 7),
        ("/organisations/", 6, 1),
        ("/organisations/serco/", 11, 0),
        ("/organisations/ofsted/", 11, 0),
    ],
)
def test_each_new_page_costs_a_fixed_number_of_queries(
    client, seeded, django_assert_num_queries, url, queries, facets
):
    per_facet = 6 if connection.vendor == "postgresql" else 1
    if url in SUMMARISED:
        per_facet = 1  # sums over the summary table: no time limit to set
    with django_assert_num_queries(queries + facets * per_facet):
        assert client.get(url).status_code == 200
