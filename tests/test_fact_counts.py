"""The spending and judgement lists' counts come from the summary table, exact after every
kind of write (interventions.summaries), and never count the fact table when the filters are
all summarised."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from interventions import publishing, summaries
from interventions.models import FactCount, Region
from ratings.models import Framework, SpendingKind, SpendingLine, Unit

from . import factories as f

pytestmark = pytest.mark.django_db

SPENDING_URLS = [
    "/spending/",
    "/spending/?kind=budget",
    "/spending/?region=london&year_from=2012",
    "/spending/?council={a}&sort=-amount_gbp",
    "/spending/?council={a}&council={b}&kind=spend&year_to=2013",
]
STATISTIC_URLS = [
    "/statistics/",
    "/statistics/?unit=percent",
    "/statistics/?organisation=police&year_from=2012",
    "/statistics/?council={a}&unit=count",
    "/statistics/?subject=organisation",  # a filter on no dimension: counted from the rows
    "/statistics/?unit=count&year_from=2011&organisation=police",  # beyond its grains: rows
]
JUDGEMENT_URLS = [
    "/judgements/",
    "/judgements/?framework=ofsted-sif",
    "/judgements/?grade=Good&region=london",
    "/judgements/?council={b}&year_from=2012",
]


@pytest.fixture
def data():
    """Two councils in two regions, with spending lines and judgements of several kinds."""
    source = f.SourceFactory()
    a = f.CouncilFactory(slug="ashby", region=Region.LONDON, source=source)
    b = f.CouncilFactory(slug="bexley", region=Region.SOUTH_EAST, source=source)
    lines = [
        f.SpendingLineFactory(council=council, kind=kind, year=year, source=source)
        for council in (a, b)
        for kind in (SpendingKind.BUDGET, SpendingKind.SPEND)
        for year in (2011, 2012, 2013)
    ]
    judgements = []
    for council, framework, grade, year in [
        (a, Framework.OFSTED_SLAC, "Adequate", 2011),
        (a, Framework.OFSTED_SIF, "Good", 2014),
        (b, Framework.OFSTED_SIF, "Inadequate", 2013),
        (b, Framework.OFSTED_SIF, "Good", 2015),
    ]:
        inspection = f.InspectionFactory(
            council=council, framework=framework, year=year, overall_grade="", source=source
        )
        judgements += f.JudgementFactory.create_batch(
            2, inspection=inspection, grade=grade, source=source
        )
    police = f.OrganisationFactory(slug="police", source=source)
    statistics = [
        f.StatisticFactory(council=a, unit=Unit.COUNT, year=2011, source=source),
        f.StatisticFactory(council=b, unit=Unit.PERCENT, year=2012, source=source),
        f.StatisticFactory(
            council=None, organisation=police, unit=Unit.COUNT, year=2013, source=source
        ),
    ]
    return {
        "a": a,
        "b": b,
        "source": source,
        "lines": lines,
        "judgements": judgements,
        "statistics": statistics,
    }


def shown(client, url):
    """The count and every facet's value counts a list page shows."""
    response = client.get(url)
    assert response.status_code == 200
    facets = {
        view.facet.param: (view.timed_out, {v.value: v.count for v in view.values})
        for view in response.context["facets"]
    }
    return response.context["paginator"].count, facets


def counted_live(client, url, monkeypatch):
    """The same page with no list summarised: every number counted from the rows."""
    with monkeypatch.context() as patch:
        patch.setattr(summaries, "_registry", {})
        return shown(client, url)


def assert_exact(client, data, monkeypatch):
    """Every page's numbers equal the rows counted afresh, and the stored counts verify."""
    for url in SPENDING_URLS + JUDGEMENT_URLS + STATISTIC_URLS:
        url = url.format(a=data["a"].slug, b=data["b"].slug)
        assert shown(client, url) == counted_live(client, url, monkeypatch), url
    assert [p for s in summaries.summaries() for p in summaries.mismatches(s)] == []


@pytest.fixture
def uncached(settings):
    settings.CASEBOOK_CACHE = False


def test_counts_start_exact(client, data, uncached, monkeypatch):
    count, facets = shown(client, "/spending/")
    assert count == 12
    assert facets["kind"] == (False, {"budget": 6, "spend": 6})
    assert facets["region"] == (False, {"london": 6, "south-east": 6})
    assert_exact(client, data, monkeypatch)


def test_a_new_fact_is_counted(client, data, uncached, monkeypatch):
    f.SpendingLineFactory(council=data["a"], kind=SpendingKind.SPEND, year=2013)
    f.JudgementFactory(inspection=data["judgements"][0].inspection, grade="Inadequate")
    f.StatisticFactory(council=None, organisation=data["statistics"][2].organisation)
    assert shown(client, "/spending/")[0] == 13
    assert shown(client, "/statistics/?organisation=police")[0] == 2
    assert_exact(client, data, monkeypatch)


def test_an_edit_moves_a_fact_between_facet_values(client, data, uncached, monkeypatch):
    line = data["lines"][0]  # Ashby's 2011 budget
    line.kind, line.year, line.council = SpendingKind.SPEND, 2013, data["b"]
    line.save()
    assert shown(client, "/spending/?kind=budget")[0] == 5
    assert shown(client, f"/spending/?council={data['b'].slug}")[0] == 7
    judgement = data["judgements"][0]
    judgement.grade = "Inadequate"
    judgement.save()
    statistic = data["statistics"][2]  # about the police: now about a council
    statistic.organisation, statistic.council, statistic.unit = None, data["a"], Unit.PERCENT
    statistic.save()
    assert shown(client, "/statistics/?unit=percent")[0] == 2
    assert_exact(client, data, monkeypatch)


def test_moving_an_inspection_moves_its_judgements(client, data, uncached, monkeypatch):
    inspection = data["judgements"][0].inspection
    inspection.council, inspection.year = data["b"], 2016
    inspection.save()
    assert shown(client, f"/judgements/?council={data['b'].slug}")[0] == 6
    assert_exact(client, data, monkeypatch)


def test_a_deleted_fact_is_no_longer_counted(client, data, uncached, monkeypatch):
    data["lines"][0].delete()
    data["judgements"][0].delete()
    data["statistics"][2].delete()
    assert shown(client, "/spending/")[0] == 11
    assert_exact(client, data, monkeypatch)


def test_unpublishing_and_drafts_leave_counts_exact(client, data, uncached, monkeypatch):
    data["a"].published = False
    data["a"].save()
    assert shown(client, "/spending/")[0] == 6
    # a draft council has no public rows, so no summary row names it
    assert not FactCount.objects.filter(council=data["a"], n__gt=0).exists()
    draft_source = f.SourceFactory(published=False)
    f.SpendingLineFactory(council=data["b"], source=draft_source)
    assert shown(client, "/spending/")[0] == 6
    assert_exact(client, data, monkeypatch)
    data["a"].published = True
    data["a"].save()
    draft_source.published = True
    draft_source.save()
    assert shown(client, "/spending/")[0] == 13
    assert_exact(client, data, monkeypatch)


def test_a_council_that_moves_region_moves_its_counts(client, data, uncached, monkeypatch):
    data["b"].region = Region.LONDON
    data["b"].save()
    assert shown(client, "/spending/")[1]["region"] == (False, {"london": 12})
    assert_exact(client, data, monkeypatch)


def test_bulk_writes_are_counted_by_refresh_all(client, data, uncached, monkeypatch):
    SpendingLine.objects.bulk_create(
        [
            SpendingLine(
                ref=f"bulk-{i}",
                council=data["a"],
                line="Bulk",
                kind=SpendingKind.BUDGET,
                period="2014/15",
                year=2014,
                amount_gbp=1000,
                as_printed="1",
                source=data["source"],
                locator="bulk",
            )
            for i in range(5)
        ]
    )
    assert shown(client, "/spending/")[0] == 12  # written behind the service's back: hidden
    publishing.refresh_all()
    assert shown(client, "/spending/")[0] == 17
    assert_exact(client, data, monkeypatch)


def test_the_command_verifies_and_rebuilds(data, capsys):
    call_command("fact_counts")
    assert "Every stored count equals the rows" in capsys.readouterr().out
    FactCount.objects.filter(list="spending", grain="kind").update(n=99)
    with pytest.raises(SystemExit):
        call_command("fact_counts", "--verify")
    assert "stored 99" in capsys.readouterr().err
    call_command("fact_counts", "--rebuild")
    call_command("fact_counts")
    assert "Every stored count equals the rows" in capsys.readouterr().out


def fact_table_counts(client, url, table):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response, [
        q["sql"] for q in queries if f'FROM "{table}"' in q["sql"] and "COUNT(" in q["sql"]
    ]


def test_a_summarised_filter_never_counts_the_fact_table(client, data, uncached):
    url = f"/spending/?council={data['a'].slug}&kind=budget&year_from=2012&region=london"
    response, counts = fact_table_counts(client, url, "ratings_spendingline")
    assert counts == []
    assert response.context["paginator"].count == 2
    response, counts = fact_table_counts(
        client, "/judgements/?framework=ofsted-sif&grade=Good", "ratings_judgement"
    )
    assert counts == []
    assert response.context["paginator"].count == 4


def test_free_text_falls_back_to_counting_the_rows(client, data, uncached, monkeypatch):
    data["lines"][0].line = "Agency staff"
    data["lines"][0].save()
    url = "/spending/?q=agency"
    response, counts = fact_table_counts(client, url, "ratings_spendingline")
    assert counts  # the list's count and its facets, from the rows
    assert response.context["paginator"].count == 1
    assert shown(client, url) == counted_live(client, url, monkeypatch)


def test_an_invalid_filter_value_is_said_and_the_rest_still_summarised(client, data, uncached):
    response, counts = fact_table_counts(
        client, "/spending/?kind=budget&year_from=abc", "ratings_spendingline"
    )
    assert counts == []
    assert response.context["paginator"].count == 6
    assert any("Year from" in problem for problem in response.context["problems"])


def test_summarised_facets_are_exact_however_slow_the_rows_would_be(
    client, data, uncached, monkeypatch
):
    from contextlib import contextmanager

    from interventions import facets

    @contextmanager
    def always_too_slow(milliseconds):
        raise facets.QueryTooSlow
        yield

    monkeypatch.setattr(facets, "time_limit", always_too_slow)
    response = client.get(f"/spending/?council={data['a'].slug}")
    views = {view.facet.param: view for view in response.context["facets"]}
    assert not any(view.timed_out for view in views.values())
    assert {v.value: v.count for v in views["kind"].values} == {"budget": 3, "spend": 3}
    assert "Too many rows to count quickly" not in response.content.decode()
    # Free text is on no dimension: its facets count the rows, and say when they give up.
    response = client.get("/spending/?q=budget")
    assert all(view.timed_out for view in response.context["facets"])
    assert "Too many rows to count quickly" in response.content.decode()
