"""`make bench`'s cold mode and the helpers of benchmarks/bench.py that need no server."""

import importlib.util
import inspect
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from interventions import listing

from . import factories as f

ROOT = Path(__file__).resolve().parent.parent
SPENDING = reverse("ratings:spending-list")
JUDGEMENTS = reverse("ratings:judgement-list")


def load_bench():
    spec = importlib.util.spec_from_file_location("bench", ROOT / "benchmarks" / "bench.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bench = load_bench()


# The cold setting ---------------------------------------------------------------------

# A spending list page worked out from nothing, for the anonymous public: the data version,
# the ids of the page, its rows, the count and the four facets, each one sum over the summary
# table (interventions.summaries: no time limit to set, so the same on PostgreSQL).
# tests/test_query_counts.py pins every other page.
FACETS = 4


def spending_queries() -> int:
    return 4 + FACETS


@pytest.fixture
def cold(settings):
    settings.CASEBOOK_BENCH_COLD = True


@pytest.mark.django_db
def test_when_cold_every_request_works_its_page_out_afresh_and_sees_an_edit_at_once(
    client, cold, django_assert_num_queries
):
    line = f.SpendingLineFactory(council=f.CouncilFactory(), line="Before the edit")
    with django_assert_num_queries(spending_queries()):
        first = client.get(SPENDING)
    with django_assert_num_queries(spending_queries()):
        second = client.get(SPENDING)
    assert first["X-Casebook-Queries"] == second["X-Casebook-Queries"] == str(spending_queries())
    assert second["X-Casebook-Cache"] == "miss"
    assert "Before the edit" in second.content.decode()

    line.line = "After the edit"
    line.save()
    with django_assert_num_queries(spending_queries()):
        third = client.get(SPENDING)
    assert "After the edit" in third.content.decode()


@pytest.mark.django_db
def test_when_cold_the_list_and_facet_counts_are_counted_on_every_request(client, cold):
    f.JudgementFactory()
    client.get(JUDGEMENTS)
    with CaptureQueriesContext(connection) as queries:
        client.get(JUDGEMENTS, {"sort": "-grade"})  # cached counts would serve this one
    # the list's total and its facets, all summed again from the summary table
    counts = [q["sql"] for q in queries if "SUM(" in q["sql"].upper()]
    assert len(counts) >= 2


@pytest.mark.django_db
def test_warm_as_deployed_a_repeat_comes_from_the_cache_and_no_query_count_is_said(client):
    f.SpendingLineFactory(council=f.CouncilFactory())
    first = client.get(SPENDING)
    assert "X-Casebook-Queries" not in first
    with CaptureQueriesContext(connection) as queries:
        second = client.get(SPENDING)
    assert second["X-Casebook-Cache"] == "hit"
    assert len(queries) == 1


def test_production_refuses_the_cold_setting():
    env = {
        **os.environ,
        "DJANGO_ENV": "production",
        "DJANGO_SECRET_KEY": "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "casebook.example.org",
        "CASEBOOK_BENCH_COLD": "1",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "CASEBOOK_BENCH_COLD is for benchmarks" in result.stderr


# Following "next" links ----------------------------------------------------------------


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(listing.ListPage, "paginate_by", 2)
    monkeypatch.setattr(listing, "NUMBERED_PAGES", 2)  # page 3 on is reached by a cursor


@pytest.fixture
def nine_lines():
    council = f.CouncilFactory()
    return [
        f.SpendingLineFactory(council=council, year=2000 + n, period=str(2000 + n), line=f"L{n}")
        for n in range(9)
    ]


def get_text(client):
    def get(url):
        response = client.get(url)
        assert response.status_code == 200, url
        return response.content.decode()

    return get


@pytest.mark.django_db
def test_following_the_pages_own_next_links_reaches_a_cursor_page(client, small_pages, nine_lines):
    reached, followed = bench.follow_next(
        get_text(client), "http://testserver/spending/", 3, bench.html_next
    )
    assert followed == 3
    assert "cursor=" in reached
    assert "page=" not in reached
    page = client.get(bench.with_format(reached, {"format": "json"})).json()
    assert [row["line"] for row in page["results"]] == ["L6", "L7"]


@pytest.mark.django_db
def test_the_json_next_links_reach_the_same_page_as_the_html_ones(client, small_pages, nine_lines):
    by_html, _ = bench.follow_next(
        get_text(client), "http://testserver/spending/", 3, bench.html_next
    )
    by_json, followed = bench.follow_next(
        get_text(client), "http://testserver/spending/?format=json", 3, bench.json_next
    )
    assert followed == 3
    assert by_json.startswith("http://testserver/spending/?")
    html_page = client.get(bench.with_format(by_html, {"format": "json"})).json()["results"]
    assert client.get(by_json).json()["results"] == html_page


@pytest.mark.django_db
def test_following_stops_at_the_last_page(client, small_pages, nine_lines):
    _, followed = bench.follow_next(
        get_text(client), "http://testserver/spending/", 100, bench.html_next
    )
    assert followed == 4  # nine rows, two a page: five pages


def test_a_next_link_is_unescaped_and_made_absolute():
    body = '<li><a href="?sort=year&amp;cursor=abc%3D" rel="next">Next</a></li>'
    assert bench.html_next(body, "http://h:1/spending/?page=20") == (
        "http://h:1/spending/?sort=year&cursor=abc%3D"
    )
    assert bench.html_next("<a href='/x'>Next</a>", "http://h:1/") is None


def test_a_datasette_next_url_is_followed_on_the_server_asked():
    body = json.dumps({"next": "2024,99", "next_url": "http://127.0.0.1:8102/db/t.json?_next=2"})
    assert bench.json_next(body, "http://127.0.0.1:8102/db/t.json") == (
        "http://127.0.0.1:8102/db/t.json?_next=2"
    )
    casebook = json.dumps({"next": "https://casebook.example.org/spending/?page=2"})
    assert bench.json_next(casebook, "http://127.0.0.1:8701/spending/?format=json") == (
        "http://127.0.0.1:8701/spending/?page=2"
    )
    assert bench.json_next(json.dumps({"next": None}), "http://h/") is None


# Reading wrk, and the targets ----------------------------------------------------------

WRK_OUTPUT = """Running 10s test @ http://127.0.0.1:8701/spending/
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   210.52ms   80.11ms 501.20ms   70.00%
  74 requests in 10.01s, 3.10MB read
Requests/sec:      7.39
Transfer/sec:    317.21KB
{"requests": 74, "errors": 0, "rps": 7.4, "p50": 201.10, "p95": 358.07, "p99": 470.12}
"""


def test_wrks_report_is_read_from_the_line_latency_lua_writes():
    assert bench.parse_wrk(WRK_OUTPUT) == {
        "requests": 74,
        "errors": 0,
        "rps": 7.4,
        "p50": 201.1,
        "p95": 358.07,
        "p99": 470.12,
    }


def test_a_wrk_report_without_that_line_is_a_clear_error():
    with pytest.raises(ValueError, match=r"latency\.lua"):
        bench.parse_wrk(WRK_OUTPUT.rsplit("{", 1)[0])
    with pytest.raises(ValueError, match="lacks p95"):
        bench.parse_wrk('{"requests": 1, "errors": 0, "rps": 1, "p50": 1, "p99": 1}')


def result(**changes):
    row = {
        "pair": "spending list, first page",
        "kind": "list",
        "cold_p95_ms": 40.0,
        "cold_rps": 400.0,
        "warm_p95_ms": 3.0,
        "warm_rps": 900.0,
        "datasette_rps": 100.0,
        "datasette_p95_ms": 90.0,
        "cold_ratio": 4.0,
        "warm_ratio": 9.0,
        "html_bytes": 50 * 1024,
        "queries": 8,
    }
    return {**row, **changes}


def test_a_pair_that_meets_every_target_is_not_flagged():
    row = result()
    assert bench.missed(row) == []
    assert bench.MISSED not in bench.table([{**row, "missed": []}])


def test_each_missed_target_is_flagged_beside_its_figure():
    row = result(kind="detail", cold_p95_ms=31.0, cold_ratio=2.5, html_bytes=150 * 1024)
    misses = bench.missed(row)
    assert misses == [
        "cold p95 31.0 ms, target < 30",
        "cold rps 2.5x Datasette's, target >= 3.0x",
        "HTML 150.0 KB, target < 100 KB",
    ]
    line = bench.table([{**row, "missed": misses}]).splitlines()[1]
    for figure in ("31.0", "2.50", "150.0"):
        assert f"{figure} MISSED" in line


def test_search_and_compare_have_80_ms_and_exports_no_latency_target():
    assert bench.missed(result(kind="search", cold_p95_ms=79.9)) == []
    assert bench.missed(result(kind="compare", cold_p95_ms=80.0)) == [
        "cold p95 80.0 ms, target < 80"
    ]
    assert bench.missed(result(kind="export", cold_p95_ms=3000.0, html_bytes=10**8)) == []


def test_each_scale_has_its_own_data_file():
    assert [bench.scale_tag(s) for s in ("1", "0.1", "10", "10.0")] == ["1", "0_1", "10", "10"]


def test_outage_and_load_can_still_start_a_server_the_way_they_call_for_one():
    """`make outage` and `make load` (benchmarks/outage.py, load.py) start gunicorn through
    bench.start_gunicorn: the database alone, or with their own worker count."""
    signature = inspect.signature(bench.start_gunicorn)
    signature.bind("postgres://example/db")
    signature.bind("postgres://example/db", workers="4")


# Scale 10: names, finished builds, saved results and the growth chart ------------------


def load_chart():
    spec = importlib.util.spec_from_file_location("chart", ROOT / "benchmarks" / "chart.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_each_scale_has_its_own_postgresql_database_and_results_file(monkeypatch):
    assert bench.pg_url("1").endswith("/casebook_bench")
    assert bench.pg_url("10").endswith("/casebook_bench_10")
    assert bench.pg_url("10.0").endswith("/casebook_bench_10")
    assert bench.pg_url("0.1").endswith("/casebook_bench_0_1")
    assert bench.pg_url("10", "postgres://elsewhere/mine") == "postgres://elsewhere/mine"
    assert bench.result_name("postgres", "10") == "postgres-scale10.json"
    assert bench.result_name("sqlite", "0.1") == "sqlite-scale0_1.json"


def test_a_finished_build_is_told_by_its_spending_lines_and_statistics():
    """The counts a finished `generate_synthetic --scale S` leaves (its n(): round(base × S))."""
    assert bench.expected_rows("10") == {
        "ratings_spendingline": 10_000_000,
        "ratings_statistic": 1_000_000,
    }
    assert bench.expected_rows("0.1") == {
        "ratings_spendingline": 100_000,
        "ratings_statistic": 10_000,
    }


def bench_report(backend: str, scale: str, p95s: dict) -> dict:
    return {
        "backend": backend,
        "scale": scale,
        "results": [
            {"pair": pair, "kind": "list", "cold_p95_ms": p95} for pair, p95 in p95s.items()
        ],
    }


def test_the_growth_chart_is_drawn_from_the_saved_results(tmp_path):
    import xml.etree.ElementTree as ET

    chart = load_chart()
    for backend, scale, p95s in [
        ("postgres", "0.1", {"spending list, first page": 4.2, "CSV of 10,000 spending lines": 90}),
        ("postgres", "1", {"spending list, first page": 6.5, "CSV of 100,000 spending lines": 800}),
        ("postgres", "10", {"spending list, first page": 31.0}),
        ("sqlite", "1", {"spending list, first page": 12.0}),
    ]:
        path = bench.save_results(bench_report(backend, scale, p95s), tmp_path)
        assert path.name == bench.result_name(backend, scale)
    svg_path = chart.main(tmp_path, tmp_path / "growth.svg")
    svg = svg_path.read_text()
    root = ET.fromstring(svg)  # well-formed
    ns = {"s": "http://www.w3.org/2000/svg"}
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "chart-title chart-desc"
    assert root.find("s:title", ns).text == (
        "How each page's cold p95 grows with the size of the data"
    )
    desc = root.find("s:desc", ns).text
    assert (
        "PostgreSQL, spending list, first page: 4.2 ms at scale 0.1, 6.5 ms at scale 1, "
        "31 ms at scale 10." in desc
    )
    # The CSV's row count changes with the scale; it is one page, one line.
    assert "PostgreSQL, CSV of spending lines: 90 ms at scale 0.1, 800 ms at scale 1." in desc
    assert "SQLite, spending list, first page: 12 ms at scale 1." in desc
    points = {
        (g.get("data-page"), g.get("data-scale"), g.get("data-p95"))
        for g in root.iter("{http://www.w3.org/2000/svg}g")
        if g.get("class") == "point"
    }
    assert points == {
        ("spending list, first page", "0.1", "4.2"),
        ("spending list, first page", "1", "6.5"),
        ("spending list, first page", "10", "31"),
        ("CSV of spending lines", "0.1", "90"),
        ("CSV of spending lines", "1", "800"),
        ("spending list, first page", "1", "12"),
    }
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "Casebook on PostgreSQL" in texts
    assert "Casebook on SQLite" in texts
    assert "Cold p95 at the server, ms (logarithmic)" in texts
    assert any(t and t.startswith("Scale of the data set") for t in texts)
    # Each line is named in the key, its number on its points: not told by colour alone.
    assert texts.count("spending list, first page") == 1
    assert "CSV of spending lines (the whole download, timed at the client)" in texts
    # Points higher up the chart for a slower page (the y axis grows upwards).
    ys = {
        (g.get("data-page"), g.get("data-scale")): float(g.find("s:circle", ns).get("cy"))
        for g in root.iter("{http://www.w3.org/2000/svg}g")
        if g.get("class") == "point" and g.get("data-p95") != "12"
    }
    assert ys[("spending list, first page", "10")] < ys[("spending list, first page", "1")]
    assert ys[("CSV of spending lines", "1")] < ys[("spending list, first page", "10")]


def test_without_saved_results_the_chart_says_what_to_run(tmp_path):
    chart = load_chart()
    with pytest.raises(SystemExit, match="run make bench"):
        chart.main(tmp_path, tmp_path / "growth.svg")
    assert not (tmp_path / "growth.svg").exists()
