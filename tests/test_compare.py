"""/compare/ (councils or interventions side by side) and /outcomes/, on the seed data."""

import csv
import datetime
import io
import json
import re
from decimal import Decimal
from html import unescape

import pytest
from django.db import connection

from interventions.models import Council, Intervention
from interventions.publishing import refresh_all
from ratings import models as rm
from tests import factories as f

SLOUGH_SWINDON = "/compare/?council=slough&council=swindon"


def text(response) -> str:
    """The page's words without tags (and without the charts' SVG)."""
    html = response.content.decode()
    html = re.sub(r"<svg.*?</svg>", " ", html, flags=re.S)
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def section(response, heading_id: str) -> str:
    """The HTML of one <section> of the page, found by its heading's id."""
    html = response.content.decode()
    start = html.index(f'id="{heading_id}"')
    return html[start : html.index("</section>", start)]


def csv_rows(response) -> list[dict]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


# Councils side by side -------------------------------------------------------------------


@pytest.mark.django_db
def test_slough_beside_swindon_shows_both_councils_key_facts(client, seeded):
    response = client.get(SLOUGH_SWINDON)
    assert response.status_code == 200
    facts = section(response, "facts-heading")
    assert "Slough Borough Council" in facts
    assert "Swindon Borough Council" in facts
    assert "South East" in facts
    assert "South West" in facts
    # Slough's total population as printed, footnoted; Swindon's is not in the reports.
    assert re.search(r"140,205<sup class=\"fn\">", facts)
    assert "Not given" in facts
    assert '<th scope="col">' in facts
    assert "<caption>" in facts


@pytest.mark.django_db
def test_grades_per_service_on_one_axis_with_a_framework_warning(client, seeded):
    response = client.get(SLOUGH_SWINDON)
    grades = section(response, "grades-heading")
    # One row per service and council; Swindon's adults' stars and Slough's Ofsted grade.
    assert re.search(
        r"Adults' services</th>\s*<th scope=\"row\">Swindon", grades.replace("&#x27;", "'")
    )
    assert ">2 stars</a>" in grades
    assert ">Inadequate</a>" in grades
    # Each grade is footnoted to its report.
    assert grades.count('<sup class="fn">') >= 8
    # The warning names the frameworks on both sides.
    warning = re.search(r'<div class="notice warning".*?</div>', grades, flags=re.S).group(0)
    assert "crosses inspection frameworks" in warning
    assert "CSCI social services star rating" in warning
    assert "Ofsted single inspection framework" in warning
    # One chart per council, all on the same axis: the same year ticks in each.
    charts = re.findall(r"<svg.*?</svg>", grades, flags=re.S)
    assert len(charts) == 2
    ticks = [re.findall(r'text-anchor="middle">(\d{4})</text>', chart) for chart in charts]
    assert ticks[0] == ticks[1]
    assert ticks[0][0] == "2003"
    assert ticks[0][-1] == "2013"


@pytest.mark.django_db
def test_spending_by_year_is_footnoted_and_per_head_where_population_known(client, seeded):
    response = client.get(SLOUGH_SWINDON)
    spending = section(response, "spending-heading")
    row_2012 = re.search(r'<th scope="row">2012</th>.*?</tr>', spending, flags=re.S).group(0)
    assert '14,922 (£&#x27;000)</strong><sup class="fn">' in row_2012
    # 14,922 (£'000) over Slough's 140,205 residents.
    per_head = (Decimal("14922000") / Decimal("140205")).quantize(Decimal("0.01"))
    assert f"£{per_head} per resident" in row_2012
    # The notes at the end cite the report and the place in it.
    assert "Slough Children" in section(response, "footnotes-heading")


@pytest.mark.django_db
def test_interventions_by_kind_and_outcome(client, seeded):
    interventions = section(client.get(SLOUGH_SWINDON), "interventions-heading")
    row = re.search(
        r"<th scope=\"row\">Council-to-council partnership</th>.*?</tr>", interventions, re.S
    ).group(0)
    assert "Kent–Swindon improvement partnership" in row
    assert "target partly met" in row


@pytest.mark.django_db
def test_csv_and_json_match_the_page(client, seeded):
    page = text(client.get(SLOUGH_SWINDON))
    rows = csv_rows(client.get(SLOUGH_SWINDON + "&format=csv"))
    assert {r["Council"] for r in rows} == {"Slough Borough Council", "Swindon Borough Council"}
    for row in rows:
        value = row["Value"].split(" (£")[0].replace("up to ", "")
        if row["Section"] == "Spending":
            continue  # the CSV gives pounds; the page, the figure as printed (checked below)
        assert value in page, row
    data = json.loads(client.get(SLOUGH_SWINDON + "&format=json").content)
    assert [c["slug"] for c in data["councils"]] == ["slough", "swindon"]
    spending = data["spending"]
    assert len(spending) == sum(1 for r in rows if r["Section"] == "Spending")
    for line in spending:
        assert line["as_printed"] in page
        assert line["source"]["title"]
        assert line["locator"]
    grades = [i for g in data["grades"] for i in g["inspections"]]
    assert len(grades) == sum(1 for r in rows if r["Section"] == "Inspection grades")
    assert data["frameworks_warning"].startswith("This comparison crosses inspection frameworks")
    assert data["citation"]["bibtex"].endswith("council=slough&council=swindon&format=bibtex")


@pytest.mark.django_db
def test_a_comparison_is_citable(client, seeded):
    response = client.get(SLOUGH_SWINDON)
    cite = section(response, "cite-heading")
    assert "Comparison of Slough Borough Council and Swindon Borough Council" in cite
    assert "council=slough&amp;council=swindon&amp;format=bibtex" in cite
    bibtex = client.get(SLOUGH_SWINDON + "&format=bibtex")
    assert bibtex.status_code == 200
    assert "Comparison of Slough Borough Council and Swindon Borough Council" in (
        bibtex.content.decode()
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("council=slough", "Choose at least 2 councils to compare (1 was found)."),
        ("council=slough&council=nowhere", 'no published council with the address "nowhere"'),
        ("council=slough&council=slough", '"slough" is chosen more than once'),
        (
            "council=slough&council=swindon&council=kent&council=hackney&council=doncaster"
            "&council=birmingham&council=halton",
            "Choose at most 6 councils to compare; 7 were chosen",
        ),
        ("council=slough&intervention=stoke-serco-partnership", "not both at once"),
    ],
)
def test_bad_choices_are_explained_on_the_page(client, seeded, query, message):
    response = client.get(f"/compare/?{query}")
    assert response.status_code == 200
    assert message in response.content.decode().replace("&quot;", '"')
    assert client.get(f"/compare/?{query}&format=json").status_code in (200, 400)


@pytest.mark.django_db
def test_more_than_six_compares_the_first_six(client, seeded):
    query = "&".join(
        f"council={s}"
        for s in ("slough", "swindon", "kent", "hackney", "doncaster", "birmingham", "halton")
    )
    data = json.loads(client.get(f"/compare/?{query}&format=json").content)
    assert len(data["councils"]) == 6
    assert "halton" not in [c["slug"] for c in data["councils"]]


@pytest.mark.django_db
def test_a_draft_council_is_not_compared_for_the_public(client, seeded):
    swindon = Council.objects.get(slug="swindon")
    swindon.published = False
    swindon.save()
    response = client.get(SLOUGH_SWINDON)
    body = response.content.decode().replace("&quot;", '"')
    assert 'no published council with the address "swindon"' in body
    assert "Swindon Borough Council" not in body  # nor offered in the chooser
    assert client.get(SLOUGH_SWINDON + "&format=json").status_code == 400


# The data version (page cache), the councils with their sources; the counts of inspections
# (by year and framework), of judgements (by framework) and of money figures (by year and
# kind); the inspections in the window, their headline judgements; the money figures in the
# window; the latest population figures; the interventions in the window. The same for 2
# councils as for 6, and for a few rows as for thousands (test_two_large_councils_...).
COMPARE_QUERIES = 10


@pytest.mark.django_db
def test_compare_two_councils_queries(client, seeded, django_assert_num_queries):
    with django_assert_num_queries(COMPARE_QUERIES):
        response = client.get(SLOUGH_SWINDON)
    assert response.status_code == 200


@pytest.mark.django_db
def test_council_page_offers_compare_with_and_its_statistical_neighbours(client, seeded):
    page = client.get("/councils/slough/").content.decode()
    box = page[page.index('id="compare-with-heading"') :]
    box = box[: box.index("</section>")]
    assert 'action="/compare/"' in box
    assert 'name="council" value="slough"' in box
    # another council by name (the compare page finds it), not a list of every council
    assert 'name="add"' in box
    assert "<option" not in box
    assert 'href="/compare/?council=slough&amp;choose=all"' in box
    named = client.get("/compare/", {"council": "slough", "add": "Swindon"}).content.decode()
    assert named.count('name="council" value="swindon"') >= 1
    assert "Swindon Borough Council" in named
    assert "Compare with its statistical neighbours" in box
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', box)
    groups = {label: href for href, label in links}
    group = "Unitaries closest to Slough in total population"
    assert group in groups
    response = client.get(groups[group].replace("&amp;", "&"))
    data = json.loads(client.get(groups[group].replace("&amp;", "&") + "&format=json").content)
    assert response.status_code == 200
    assert data["councils"][0]["slug"] == "slough"
    assert 2 <= len(data["councils"]) <= 6
    # Swindon's report prints no comparator group: no neighbours link is offered.
    swindon = client.get("/councils/swindon/").content.decode()
    assert "Compare with…" in swindon
    assert "statistical neighbours" not in swindon


# Interventions side by side and the outcomes table -----------------------------------------


@pytest.mark.django_db
def test_outcomes_has_one_row_per_published_intervention(client, seeded):
    data = json.loads(client.get("/outcomes/?format=json").content)
    published = Intervention.objects.published()
    assert data["count"] == published.count()
    assert {r["url"].split("/")[-2] for r in data["results"]} == {i.slug for i in published}
    kent = next(r for r in data["results"] if "kent-swindon-partnership" in r["url"])
    assert kent["council"] == "Swindon Borough Council"
    assert kent["kind"] == "Council-to-council partnership"
    assert kent["start"] == "2004-10-01"
    assert kent["end"] == "2007-11-01"
    assert kent["duration"] == "3 years 1 month"
    # The reports differ on the cost: up to £3.6 million in one, £3.66 million in another.
    assert Decimal(kent["cost_low_gbp"]) == Decimal("3600000")
    assert Decimal(kent["cost_high_gbp"]) == Decimal("3660000")
    assert "(sources differ)" in kent["cost"]
    assert kent["target_met"] == "Partly met"
    assert "All social services: 0 stars (2003)" in kent["grades_before"]
    assert "Adults' services: 2 stars" in kent["grades_after"]


@pytest.mark.django_db
def test_outcomes_csv_matches_json(client, seeded):
    rows = csv_rows(client.get("/outcomes/?format=csv&sort=title"))
    data = json.loads(client.get("/outcomes/?format=json&sort=title").content)["results"]
    assert [r["Intervention"] for r in rows] == [r["title"] for r in data]
    assert [r["Cost"] for r in rows] == [r["cost"] for r in data]
    assert [r["Grades before"] for r in rows] == [r["grades_before"] for r in data]


@pytest.mark.django_db
def test_outcomes_sort_and_filter(client, seeded):
    ordered = json.loads(client.get("/outcomes/?format=json&sort=-start").content)["results"]
    starts = [r["start"] for r in ordered if r["start"]]
    assert starts == sorted(starts, reverse=True)
    assert ordered[0]["start"] == "2014-04-16"
    met = json.loads(client.get("/outcomes/?format=json&target_met=partly").content)
    assert [r["title"] for r in met["results"]] == ["Kent–Swindon improvement partnership"]
    kinds = json.loads(client.get("/outcomes/?format=json&kind=outsourcing").content)["results"]
    assert kinds
    assert {r["kind"] for r in kinds} == {"Outsourcing to a provider"}
    page = client.get("/outcomes/?target_met=partly")
    assert page.status_code == 200
    assert "Kent–Swindon improvement partnership" in page.content.decode()
    assert "Serco-led partnership" not in text(page).split("Target met")[-1]
    assert client.get("/outcomes/?sort=nonsense&format=json").status_code == 400


@pytest.mark.django_db
def test_outcomes_queries(client, seeded, django_assert_num_queries):
    # The data version, the count, the page's ids and its rows, their service areas, cost
    # lines, the councils' inspections and their headline judgements, and one count per
    # facet (7). On PostgreSQL each facet count runs under its time limit
    # (interventions.facets.time_limit): a savepoint and its release, and reading, setting
    # and restoring statement_timeout, five statements more per facet.
    facets = 7
    extra = 5 * facets if connection.vendor == "postgresql" else 0
    with django_assert_num_queries(15 + extra):
        response = client.get("/outcomes/")
    assert response.status_code == 200


@pytest.mark.django_db
def test_compare_interventions_side_by_side(client, seeded):
    url = "/compare/?intervention=kent-swindon-partnership&intervention=stoke-serco-partnership"
    response = client.get(url)
    assert response.status_code == 200
    table = section(response, "outcomes-heading")
    assert "Kent–Swindon improvement partnership" in table
    assert "Serco-led partnership" in table
    assert "Council-to-council partnership" in table
    assert "Outsourcing to a provider" in table
    assert "October 2004" in table
    assert "March 2007" in table
    assert "Partly met" in table
    assert "The sources differ." in table
    data = json.loads(client.get(url + "&format=json").content)
    assert [i["slug"] for i in data["interventions"]] == [
        "kent-swindon-partnership",
        "stoke-serco-partnership",
    ]
    assert data["interventions"][0]["cost"]["sources_differ"] is True
    rows = csv_rows(client.get(url + "&format=csv"))
    assert [r["Intervention"] for r in rows] == [i["title"] for i in data["interventions"]]
    assert rows[0]["Cost"] == data["interventions"][0]["cost"]["text"]
    unknown = client.get("/compare/?intervention=kent-swindon-partnership&intervention=nope")
    assert 'no published intervention with the address "nope"' in unknown.content.decode().replace(
        "&quot;", '"'
    )


@pytest.mark.django_db
def test_compare_six_councils_takes_the_same_queries(client, seeded, django_assert_num_queries):
    query = "&".join(
        f"council={s}" for s in ("slough", "swindon", "kent", "hackney", "doncaster", "halton")
    )
    with django_assert_num_queries(COMPARE_QUERIES):
        response = client.get(f"/compare/?{query}")
    assert response.status_code == 200
    assert "Comparison of Slough Borough Council, Swindon Borough Council" in text(response)


@pytest.mark.django_db
def test_a_draft_intervention_is_neither_compared_nor_listed(client, seeded):
    serco = Intervention.objects.get(slug="stoke-serco-partnership")
    serco.published = False
    serco.save()
    url = "/compare/?intervention=kent-swindon-partnership&intervention=stoke-serco-partnership"
    body = client.get(url).content.decode().replace("&quot;", '"')
    assert 'no published intervention with the address "stoke-serco-partnership"' in body
    assert "Serco-led partnership" not in body
    data = json.loads(client.get("/outcomes/?format=json").content)
    assert "Serco-led partnership" not in json.dumps(data, ensure_ascii=False)


@pytest.mark.django_db
@pytest.mark.parametrize("url", [SLOUGH_SWINDON, "/outcomes/"])
@pytest.mark.parametrize("method", ["post", "delete"])
def test_compare_and_outcomes_are_read_only(client, url, method):
    assert getattr(client, method)(url).status_code in (403, 405)


@pytest.mark.django_db
def test_an_unknown_format_is_a_clear_400(client, seeded):
    response = client.get(SLOUGH_SWINDON + "&format=xls")
    assert response.status_code == 400
    assert "Unknown format" in response.content.decode()


# Two large councils: a window of each section, the rest counted and linked ------------------

LARGE_YEARS = range(2005, 2025)  # 20 years, as the synthetic data


def large_council(name: str, source) -> Council:
    """A council with thousands of rows: 2 inspections a year (6 in 2023) and 3 undated (47),
    each with 3 judgements; 150 money figures a year and 10 undated; 8 partnerships."""
    council = f.CouncilFactory(slug=name.lower(), name=f"{name} Council", source=source)
    f.StatisticFactory(council=council, measure="Total population", value=Decimal("250000"),
                       as_printed="250,000", source=source)  # fmt: skip
    inspections = [
        rm.Inspection(
            slug=f"{council.slug}-inspection-{year or 'undated'}-{n}",
            council=council,
            framework=rm.Framework.OFSTED_SIF,
            title=f"Inspection {year} {n}",
            year=year,
            overall_grade="Good",
            overall_score=rm.score_for(rm.Framework.OFSTED_SIF, "Good"),
            source=source,
            locator="table 1",
        )
        for year in [*LARGE_YEARS, None]
        for n in range(6 if year == 2023 else 3 if year is None else 2)
    ]
    rm.Inspection.objects.bulk_create(inspections)
    rm.Judgement.objects.bulk_create(
        rm.Judgement(
            inspection=inspection,
            position=position,
            area=f"Area {position}",
            framework=inspection.framework,
            grade="Good",
            score=inspection.overall_score,
            source=source,
            locator="table 1",
        )
        for inspection in rm.Inspection.objects.filter(council=council)
        for position in (1, 2, 3)
    )
    rm.SpendingLine.objects.bulk_create(
        rm.SpendingLine(
            ref=f"{council.slug}-line-{year}-{n}",
            council=council,
            line=f"Line {n}",
            kind=rm.SpendingKind.BUDGET if n % 2 else rm.SpendingKind.SPEND,
            period=str(year or ""),
            year=year,
            amount_gbp=Decimal(1000 * (n + 1)),
            as_printed=f"{n + 1:,} (£'000)",
            source=source,
            locator="budget table",
        )
        for year in [*LARGE_YEARS, None]
        for n in range(10 if year is None else 150)
    )
    for n in range(8):
        f.InterventionFactory(
            subject_council=council,
            slug=f"{council.slug}-partnership-{n}",
            title=f"{name} partnership {n}",
            start_date=datetime.date(2005 + n, 4, 1),
            end_date=datetime.date(2006 + n, 4, 1),
            source=source,
        )
    return council


@pytest.fixture
def large(db):
    source = f.SourceFactory(slug="large-report", title="A large report")
    councils = [large_council("Bigtown", source), large_council("Grandby", source)]
    refresh_all()  # the public flags of the rows written in bulk
    return councils


def large_url(councils) -> str:
    return "/compare/?" + "&".join(f"council={c.slug}" for c in councils)


def list_count(client, url: str) -> int:
    response = client.get(url + "&format=json")
    assert response.status_code == 200, url
    return json.loads(response.content)["count"]


@pytest.mark.django_db
def test_two_large_councils_take_the_same_queries_and_stay_under_100_kb(
    client, large, django_assert_num_queries
):
    with django_assert_num_queries(COMPARE_QUERIES):
        response = client.get(large_url(large))
    assert response.status_code == 200
    assert len(response.content) < 100 * 1024
    # Without the window this page showed 6,020 money figures and 94 inspections.
    assert response.content.decode().count('class="compare-item"') == 2 * (3 + 1) * 4 + 2 * 3


@pytest.mark.django_db
def test_the_grade_window_is_the_latest_years_and_counts_the_rest(client, large):
    response = client.get(large_url(large))
    grades = section(response, "grades-heading")
    head = re.search(r"<thead>.*?</thead>", grades, flags=re.S).group(0)
    years = [int(y) for y in re.findall(r'<th scope="col">(\d{4})</th>', head)]
    assert years == list(range(2019, 2025))  # the latest 6 years
    assert "Year not stated" in head
    # 2023 holds 6 inspections of each council, of which 3 are shown.
    table = grades.split('id="frameworks-heading"')[0]
    rows = re.findall(r"<tr>\s*<th scope=\"row\">.*?</tr>", table, flags=re.S)
    assert len(rows) == 2  # one service and framework per council
    cells = re.findall(r"<td>(.*?)</td>", rows[0], flags=re.S)
    assert [cell.count("/inspections/") for cell in cells] == [2] * 4 + [3, 2, 3]
    window = text(response).split("Every one is in the lists:")[1]
    bigtown = window.split("Grandby Council:")[0]
    assert "Bigtown Council: all 47 inspections (not shown here: " in bigtown
    assert "28 inspections before 2019" in bigtown
    assert "3 more inspections in 2023" in bigtown
    # The counts by framework cover every inspection and judgement, linked to their lists.
    frameworks = section(response, "grades-heading").split('id="frameworks-heading"')[1]
    assert frameworks.count(">47 inspections</a>, 2005–2024") == 2
    assert frameworks.count(">141 judgements</a>") == 2


@pytest.mark.django_db
def test_every_row_left_out_is_reached_by_its_link(client, large):
    """What the page shows and what its "not shown" links list add up to every row."""
    data = json.loads(client.get(large_url(large) + "&format=json").content)
    for council in large:
        more = [m for m in data["not_shown"] if m["council"] == council.slug]
        for m in more:
            path = m["url"].split("://", 1)[-1].split("/", 1)[1]
            assert list_count(client, "/" + path) >= m["count"], m
        shown_grades = sum(
            len(g["inspections"]) for g in data["grades"] if g["council"] == council.slug
        )
        shown_lines = sum(1 for s in data["spending"] if s["council"] == council.slug)
        shown_interventions = sum(1 for i in data["interventions"] if i["council"] == council.slug)

        def left(word, more=more):
            return sum(m["count"] for m in more if word in m["what"])

        # The undated rows are shown (up to the cap), so every row is either shown or counted.
        assert shown_grades + left("inspection") == 47
        assert shown_grades == 5 * 2 + 3 + 3  # 2019 to 2024 (3 of 2023's 6), and undated
        assert shown_lines + left("figure") == 20 * 150 + 10
        assert shown_interventions + left("intervention") == 8
        assert shown_interventions == 3
        # The rows before the window are exactly those of the linked list.
        before = next(m for m in more if m["what"] == "28 inspections before 2019")
        assert before["url"].endswith(f"/inspections/?council={council.slug}&year_to=2018")
        assert list_count(client, f"/inspections/?council={council.slug}&year_to=2018") == 28
        figures = next(m for m in more if m["what"] == "2,550 figures before 2022")
        assert list_count(client, figures["url"].split("testserver")[-1]) == 2550
        in_2024 = next(m for m in more if m["what"] == "146 more figures for 2024")
        assert list_count(client, in_2024["url"].split("testserver")[-1]) == 150


@pytest.mark.django_db
def test_the_spending_window_shows_the_largest_figures_of_the_latest_years(client, large):
    response = client.get(large_url(large))
    spending = section(response, "spending-heading")
    shown = re.search(r"<tbody>.*?</tbody>", spending, flags=re.S).group(0)
    assert re.findall(r'<th scope="row">([^<]+)</th>', shown) == [
        "2022",
        "2023",
        "2024",
        "Not stated",
    ]
    row_2024 = re.search(r'<th scope="row">2024</th>.*?</tr>', shown, flags=re.S).group(0)
    # The 4 largest of 150 (£150k down to £147k), each footnoted, then the rest linked.
    printed = re.findall(r"<strong>([^<]+)</strong>", row_2024)
    assert printed[:4] == [f"{n:,} (£&#x27;000)" for n in range(150, 146, -1)]
    assert row_2024.count('<sup class="fn">') >= 8
    assert 'href="/spending/?council=bigtown&amp;year_from=2024&amp;year_to=2024"' in row_2024
    assert "146 more figures for 2024" in row_2024
    # Every year is counted and linked, the undated last.
    counts = spending.split('id="spending-counts-heading"')[1]
    years = re.findall(r'<th scope="row">([^<]+)</th>', counts)
    assert years == [str(y) for y in range(2024, 2004, -1)] + ["Not stated"]
    assert 'href="/spending/?council=bigtown&amp;year_from=2005&amp;year_to=2005">150</a>' in counts
    assert 'href="/spending/?council=grandby">10</a>' in counts


@pytest.mark.django_db
def test_the_intervention_window_shows_three_of_a_kind_and_links_the_rest(client, large):
    interventions = section(client.get(large_url(large)), "interventions-heading")
    assert "Bigtown partnership 7" in interventions
    assert "Bigtown partnership 5" in interventions
    assert "Bigtown partnership 4" not in interventions  # the latest three: 5 to 7
    assert "5 earlier interventions of this kind" in interventions
    assert 'href="/interventions/?council=bigtown&amp;kind=partnership"' in interventions
    assert list_count(client, "/interventions/?council=bigtown&kind=partnership") == 8


@pytest.mark.django_db
def test_csv_of_a_large_comparison_is_the_page_and_its_counts(client, large):
    rows = csv_rows(client.get(large_url(large) + "&format=csv"))
    assert sum(1 for r in rows if r["Section"] == "Spending") == 2 * (3 * 4 + 4)
    left = [r for r in rows if r["Section"] == "Not shown"]
    assert {"Bigtown Council", "Grandby Council"} == {r["Council"] for r in left}
    before = next(r for r in left if r["What"] == "28 inspections before 2019")
    assert before["Value"] == "28"
    assert before["Casebook URL"].endswith("/inspections/?council=bigtown&year_to=2018")


# Choosing beside a comparison ----------------------------------------------------------------


@pytest.mark.django_db
def test_beside_a_comparison_only_the_chosen_councils_are_listed_with_a_box_to_add_one(
    client, seeded
):
    chooser = section(client.get(SLOUGH_SWINDON), "choose-heading")
    assert re.findall(r'name="council" value="([^"]+)" checked', chooser) == ["slough", "swindon"]
    assert 'value="kent"' not in chooser
    assert 'name="add"' in chooser
    every = re.search(r'<a href="([^"]+)">Choose from every council</a>', chooser).group(1)
    full = section(client.get(every.replace("&amp;", "&")), "choose-heading")
    offered = re.findall(r'name="council" value="([^"]+)"', full)
    assert len(offered) == Council.objects.published().count()
    assert re.findall(r'value="([^"]+)" checked', full) == ["slough", "swindon"]


@pytest.mark.django_db
def test_a_council_is_added_by_its_name_or_a_part_only_it_has(client, seeded):
    data = json.loads(client.get(SLOUGH_SWINDON + "&add=Kent&format=json").content)
    assert [c["slug"] for c in data["councils"]] == ["slough", "swindon", "kent"]
    assert data["url"].endswith("council=slough&council=swindon&council=kent")
    exact = client.get(SLOUGH_SWINDON + "&add=halton+borough+council&format=json")
    exact = json.loads(exact.content)
    assert exact["councils"][-1]["slug"] == "halton"
    many = client.get(SLOUGH_SWINDON + "&add=Borough").content.decode().replace("&quot;", '"')
    assert '"Borough" matches several councils (' in many
    assert "type more of the name to add one." in many
    none = client.get(SLOUGH_SWINDON + "&add=Atlantis").content.decode().replace("&quot;", '"')
    assert 'No published council is named like "Atlantis".' in none


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("Kent\x00", "A council's name has no control characters"),
        ("x" * 201, "No council has a name as long as"),
    ],
)
def test_a_name_no_council_can_have_is_a_clear_message(client, seeded, name, message):
    query = {"council": ["slough", "swindon"], "add": name}
    response = client.get("/compare/", query)
    assert response.status_code == 200
    assert message in unescape(response.content.decode())
    assert "Comparison of Slough Borough Council and Swindon Borough Council" in text(response)
    assert client.get("/compare/", {**query, "format": "json"}).status_code == 200
