"""List pages: filters, facets, sorting, pagination, CSV and JSON, bad input, fixed cost."""

import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from interventions.listing import ListPage
from interventions.views import (
    CouncilList,
    InterventionList,
    OrganisationList,
    PersonList,
    SourceList,
    WorkstreamList,
)
from ratings.views import InspectionList, JudgementList, SpendingList, StatisticList

from . import factories as f

pytestmark = pytest.mark.django_db

LISTS = {
    "interventions:intervention-list": InterventionList,
    "interventions:council-list": CouncilList,
    "interventions:workstream-list": WorkstreamList,
    "interventions:source-list": SourceList,
    "ratings:judgement-list": JudgementList,
    "ratings:spending-list": SpendingList,
    "ratings:inspection-list": InspectionList,
    "ratings:statistic-list": StatisticList,
    "interventions:organisation-list": OrganisationList,
    "interventions:person-list": PersonList,
}


def make_rows(n):
    """n rows for every list, spread over a few councils and sources."""
    for _ in range(n):
        intervention = f.InterventionFactory()
        f.WorkstreamFactory(intervention=intervention)
        f.ParticipantFactory(intervention=intervention)
        person = f.PostFactory(council=intervention.subject_council).person
        f.ParticipantFactory(intervention=intervention, person=person, person_name=person.name)
        judgement = f.JudgementFactory(inspection__council=intervention.subject_council)
        f.SpendingLineFactory(council=intervention.subject_council, intervention=intervention)
        f.StatisticFactory(council=intervention.subject_council)
        assert judgement.pk


def query_count(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries)


@pytest.mark.parametrize("name", LISTS)
def test_list_pages_cost_the_same_number_of_queries_for_3_or_30_rows(client, name):
    url = reverse(name)
    make_rows(3)
    few = query_count(client, url)
    make_rows(27)
    assert query_count(client, url) == few
    assert query_count(client, url + "?format=json") <= few


@pytest.mark.parametrize("view", LISTS.values())
def test_every_list_sorts_by_default_on_a_sortable_column(view):
    assert view.default_sort.removeprefix("-") in {c.key for c in view.columns if c.order_by}


@pytest.mark.parametrize("name", LISTS)
def test_every_sortable_column_sorts_both_ways(client, name):
    make_rows(2)
    for column in LISTS[name].columns:
        if column.order_by:
            for sort in (column.key, f"-{column.key}"):
                response = client.get(reverse(name), {"sort": sort})
                assert response.status_code == 200, sort
                assert b"could not be used" not in response.content, sort


def test_sorting_orders_the_rows(client):
    f.InterventionFactory(title="Bravo")
    f.InterventionFactory(title="Alpha")
    f.InterventionFactory(title="Charlie")
    titles = lambda sort: [  # noqa: E731
        r["title"]
        for r in client.get(
            reverse("interventions:intervention-list"), {"sort": sort, "format": "json"}
        ).json()["results"]
    ]
    assert titles("title") == ["Alpha", "Bravo", "Charlie"]
    assert titles("-title") == ["Charlie", "Bravo", "Alpha"]


def test_filtering_by_kind_and_status(client):
    f.InterventionFactory(title="Partnership A", kind="partnership", status="completed")
    f.InterventionFactory(title="Outsourcing B", kind="outsourcing", status="active")
    f.InterventionFactory(title="Outsourcing C", kind="outsourcing", status="completed")
    data = client.get(
        reverse("interventions:intervention-list"),
        {"kind": "outsourcing", "status": "completed", "format": "json"},
    ).json()
    assert [r["title"] for r in data["results"]] == ["Outsourcing C"]
    assert data["count"] == 1


def test_filtering_by_council_slug_and_year_range(client):
    kent = f.CouncilFactory(slug="kent", name="Kent County Council")
    f.InterventionFactory(title="Early", subject_council=kent, start_date="2004-10-01")
    f.InterventionFactory(
        title="Late",
        subject_council=kent,
        start_date="2011-01-01",
        end_date=None,
        end_date_precision="",
    )
    f.InterventionFactory(
        title="Elsewhere", start_date="2011-01-01", end_date=None, end_date_precision=""
    )
    url = reverse("interventions:intervention-list")
    data = client.get(url, {"council": "kent", "year_from": "2010", "format": "json"}).json()
    assert [r["title"] for r in data["results"]] == ["Late"]


def test_facet_counts_follow_the_other_active_filters(client):
    f.InterventionFactory(kind="partnership", status="completed")
    f.InterventionFactory(kind="partnership", status="active")
    f.InterventionFactory(kind="outsourcing", status="active")
    response = client.get(reverse("interventions:intervention-list"), {"status": "active"})
    facets = {view.facet.param: view for view in response.context["facets"]}
    kinds = {v.value: v.count for v in facets["kind"].values}
    assert kinds == {"partnership": 1, "outsourcing": 1}
    # A facet's own filter does not narrow its own counts: both statuses stay choosable.
    statuses = {v.value: (v.count, v.selected) for v in facets["status"].values}
    assert statuses == {"active": (2, True), "completed": (1, False)}


def test_spending_amount_range_filter(client):
    f.SpendingLineFactory(line="Small", amount_gbp=Decimal("180000"))
    f.SpendingLineFactory(line="Large", amount_gbp=Decimal("3600000"))
    data = client.get(
        reverse("ratings:spending-list"), {"amount_min": "1000000", "format": "json"}
    ).json()
    assert [r["line"] for r in data["results"]] == ["Large"]
    assert data["results"][0]["amount_gbp"] == "3600000.00"


def test_judgement_filters_by_framework_and_grade(client):
    star = f.InspectionFactory(framework="csci-stars", overall_grade="0 stars")
    f.JudgementFactory(inspection=star, area="Adults", grade="2 stars")
    f.JudgementFactory(area="Safeguarding", grade="Inadequate")
    data = client.get(
        reverse("ratings:judgement-list"), {"framework": "csci-stars", "format": "json"}
    ).json()
    assert [r["area"] for r in data["results"]] == ["Adults"]
    data = client.get(reverse("ratings:judgement-list"), {"grade": "Inadequate", "format": "json"})
    assert [r["area"] for r in data.json()["results"]] == ["Safeguarding"]


BAD_VALUES = {
    "interventions:intervention-list": [
        ("council", "no-such-council"),
        ("kind", "merger"),
        ("status", "abandoned"),
        ("service_area", "nope"),
        ("council_type", "parish"),
        ("region", "wales"),
        ("mentioned", "maybe"),
        ("years", "guessed"),
        ("year_from", "abc"),
        ("year_to", "99999999999999999999"),
    ],
    "interventions:council-list": [("council_type", "parish"), ("region", "mars")],
    "interventions:workstream-list": [("intervention", "nope"), ("kind", "x"), ("council", "x")],
    "interventions:source-list": [("kind", "blog"), ("publisher", "Nobody")],
    "ratings:judgement-list": [
        ("framework", "michelin"),
        ("grade", "Superb"),
        ("year_from", "1e400"),
        ("inspectorate", "nope"),
    ],
    "ratings:spending-list": [
        ("amount_min", "-5"),
        ("amount_max", "lots"),
        ("amount_min", "1e400"),
        ("kind", "bribe"),
        ("year_to", "0"),
    ],
}


@pytest.mark.parametrize(
    ("name", "param", "value"),
    [(name, param, value) for name, pairs in BAD_VALUES.items() for param, value in pairs],
)
def test_bad_filter_value_is_a_message_on_the_page_and_400_for_data(client, name, param, value):
    make_rows(1)
    url = reverse(name)
    page = client.get(url, {param: value})
    assert page.status_code == 200
    assert "could not be used" in page.content.decode()
    assert "error-message" in page.content.decode() or "error-summary" in page.content.decode()
    for fmt in ("json", "csv"):
        response = client.get(url, {param: value, "format": fmt})
        assert response.status_code == 400, (fmt, param, value)
    assert client.get(url, {param: value, "format": "json"}).json()["errors"]


@pytest.mark.parametrize("name", LISTS)
def test_unknown_sort_and_page_are_messages_not_errors(client, name):
    make_rows(1)
    url = reverse(name)
    response = client.get(url, {"sort": "favourite"})
    assert response.status_code == 200
    assert any('Cannot sort by "favourite"' in p for p in response.context["problems"])
    assert "Cannot sort by &quot;favourite&quot;" in response.content.decode()
    assert client.get(url, {"sort": "favourite", "format": "csv"}).status_code == 400
    response = client.get(url, {"page": "99"})
    assert response.status_code == 200
    assert any('There is no page "99"' in p for p in response.context["problems"])
    assert client.get(url, {"format": "xml"}).status_code == 400


def test_json_has_count_next_previous_and_absolute_urls(client):
    for _ in range(55):
        f.InterventionFactory()
    url = reverse("interventions:intervention-list")
    first = client.get(url, {"format": "json", "kind": "partnership"}).json()
    assert first["count"] == 55
    assert len(first["results"]) == 50
    assert first["previous"] is None
    assert first["next"].startswith("http://testserver/interventions/?")
    assert "kind=partnership" in first["next"]
    assert "page=2" in first["next"]
    assert first["results"][0]["url"].startswith("http://testserver/interventions/")
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 5
    assert second["next"] is None
    assert second["previous"]


def test_csv_is_utf8_with_headers_and_every_filtered_row(client):
    f.InterventionFactory(title="Kent–Swindon improvement partnership", kind="partnership")
    f.InterventionFactory(kind="outsourcing")
    response = client.get(
        reverse("interventions:intervention-list"), {"format": "csv", "kind": "partnership"}
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(
        'attachment; filename="casebook-interventions-'
    )
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))
    assert rows[0][:3] == ["Intervention", "Council", "Kind"]
    assert "Where in the source" in rows[0]
    assert len(rows) == 2
    assert rows[1][0] == "Kent–Swindon improvement partnership"


def test_csv_neutralises_spreadsheet_formulas(client):
    f.InterventionFactory(title='=HYPERLINK("http://evil.example","click")')
    f.InterventionFactory(title="+44 formula", summary="x")
    response = client.get(reverse("interventions:intervention-list"), {"format": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    titles = {row[0] for row in rows[1:]}
    assert '\'=HYPERLINK("http://evil.example","click")' in titles
    assert "'+44 formula" in titles


def test_csv_keeps_amounts_as_numbers(client):
    f.SpendingLineFactory(amount_gbp=Decimal("14922000.00"))
    response = client.get(reverse("ratings:spending-list"), {"format": "csv"})
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert ",14922000.00," in body


def test_filtered_sorted_page_is_a_permalink(client):
    for title in ("Alpha", "Bravo"):
        f.InterventionFactory(title=title, kind="partnership")
    response = client.get(
        reverse("interventions:intervention-list"), {"kind": "partnership", "sort": "-title"}
    )
    page = response.content.decode()
    # Sort links and export links keep the filters.
    assert 'href="??' not in page
    assert 'href="?kind=partnership&amp;sort=title"' in page
    assert 'href="?kind=partnership&amp;sort=-title&amp;format=csv"' in page
    assert "format=csv" in page
    assert page.index("Bravo") < page.index("Alpha")


def test_list_page_subclasses_are_all_routed():
    assert set(LISTS.values()) == {
        cls
        for cls in (
            CouncilList,
            InterventionList,
            SourceList,
            WorkstreamList,
            JudgementList,
            SpendingList,
            InspectionList,
            StatisticList,
            OrganisationList,
            PersonList,
        )
        if issubclass(cls, ListPage)
    }


def test_source_list_counts_every_fact_citing_it_once(client):
    source = f.SourceFactory(title="The one report")
    intervention = f.InterventionFactory(source=source, subject_council__source=source)
    f.PhaseFactory(intervention=intervention, source=source)
    f.LessonFactory(intervention=intervention, source=source)
    f.StatisticFactory(source=source, council=intervention.subject_council)
    data = client.get(reverse("interventions:source-list"), {"format": "json"}).json()
    (row,) = [r for r in data["results"] if r["title"] == "The one report"]
    # council, intervention, phase, lesson, statistic: five facts; proxies are not counted twice
    assert row["facts"] == 5


def test_a_facet_too_slow_to_count_is_shown_without_counts(client, monkeypatch):
    from contextlib import contextmanager

    from interventions import facets

    @contextmanager
    def always_too_slow(milliseconds):
        raise facets.QueryTooSlow
        yield

    monkeypatch.setattr(facets, "time_limit", always_too_slow)
    f.InterventionFactory(kind="partnership")
    response = client.get(reverse("interventions:intervention-list"), {"kind": "partnership"})
    assert response.status_code == 200
    kind = next(v for v in response.context["facets"] if v.facet.param == "kind")
    assert kind.timed_out
    assert [(v.value, v.count, v.selected) for v in kind.values] == [("partnership", None, True)]
    assert "Too many rows to count quickly" in response.content.decode()
    assert response.context["paginator"].count == 1  # the list itself is still exact


def test_the_time_limit_stops_a_slow_query_and_the_connection_stays_usable():
    from django.db import connection

    from interventions.listing import QueryTooSlow, time_limit

    slow = (
        "SELECT pg_sleep(2)"
        if connection.vendor == "postgresql"
        else "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000000) "
        "SELECT count(*) FROM n"
    )

    def run_slow_query():
        with time_limit(50), connection.cursor() as cursor:
            cursor.execute(slow)
            cursor.fetchall()

    with pytest.raises(QueryTooSlow):
        run_slow_query()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone()[0] == 1


def test_the_time_limit_does_not_outlive_its_block(client):
    """Inside a longer transaction (as in tests, or ATOMIC_REQUESTS) later queries are unlimited."""
    from django.db import connection

    from interventions.listing import time_limit

    with time_limit(50), connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    slow = (
        "SELECT pg_sleep(0.2)"
        if connection.vendor == "postgresql"
        else "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300000) "
        "SELECT count(*) FROM n"
    )
    with connection.cursor() as cursor:
        cursor.execute(slow)
        cursor.fetchall()
