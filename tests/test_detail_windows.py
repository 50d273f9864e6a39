"""Detail pages show a window of a long history, say how much more there is, and link to it.

A case study lists its council's inspections from the years around it (InspectionWindow); a
council lists its most recent rows of each kind (COUNCIL_ROWS) with their totals. Every count
of what is left out is exact, and every link leads to a list of exactly those rows.
"""

import datetime
import html
import re

import pytest
from django.core.management import call_command
from django.db.models import Count

from interventions.models import Council, Intervention
from interventions.views.details.base import CASE_STUDY_INSPECTIONS, COUNCIL_ROWS
from interventions.views.details.intervention import window_years
from ratings.models import Inspection

from . import factories as f

pytestmark = pytest.mark.django_db

LIMIT = 100 * 1024


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def window_note(text: str) -> str:
    """The case study's line on which inspections it shows, as words (its links' text kept)."""
    note = re.search(r'<p class="window-note">(.*?)</p>', text, re.S).group(1)
    return html.unescape(re.sub(r"<[^>]+>", "", note))


def listed_slugs(client, url: str) -> set[str]:
    """Every inspection's slug in the list at `url` (its JSON form, all pages)."""
    data = client.get(url + "&format=json" if "?" in url else url + "?format=json").json()
    slugs = {row["url"].rstrip("/").rsplit("/", 1)[1] for row in data["results"]}
    assert data["count"] == len(slugs)  # one page holds them all here
    return slugs


def link(text: str, label: str) -> str:
    return re.search(rf'<a href="([^"]+)">{re.escape(label)}</a>', html.unescape(text)).group(1)


def case_study_rows(text: str) -> list[str]:
    table = text[text.index("<caption>Inspections of") :]
    table = table[: table.index("</table>")]
    return re.findall(r'<a href="/inspections/([^/]+)/">', table)


# Choosing the years ------------------------------------------------------------------------


def test_the_window_widens_a_year_either_side_while_it_holds_the_limit():
    counts = dict.fromkeys(range(1995, 2025), 1)
    assert window_years(counts, (2004, 2007), limit=12, reach=10) == (2000, 2011)
    # no wider than the reach, and never narrower than the intervention's own years
    assert window_years(counts, (2004, 2007), limit=12, reach=2) == (2002, 2009)
    assert window_years(counts, (2004, 2007), limit=2, reach=10) == (2004, 2007)
    # undated inspections take room too
    assert window_years({**counts, None: 4}, (2004, 2007), limit=12, reach=10) == (2002, 2009)
    # clipped to the years that have inspections; the latest years without a start date
    assert window_years({2001: 1, 2003: 1}, (2002, 2002), limit=12, reach=10) == (2001, 2003)
    assert window_years(counts, None, limit=3, reach=10) == (2022, 2024)
    assert window_years({None: 2}, (2004, 2007), limit=12, reach=10) is None


# The case study ----------------------------------------------------------------------------


def council_with_a_long_history():
    """30 inspections, one a year from 1995 to 2024, each with a judgement."""
    council = f.CouncilFactory(slug="longhistory", name="Longhistory Council")
    inspections = {}
    for year in range(1995, 2025):
        inspections[year] = f.InspectionFactory(
            council=council, year=year, slug=f"longhistory-{year}", title=f"Inspection {year}"
        )
        f.JudgementFactory(inspection=inspections[year], area=f"Area of {year}")
    return council, inspections


def test_a_case_study_lists_the_inspections_of_its_years_and_counts_the_rest(client):
    council, inspections = council_with_a_long_history()
    intervention = f.InterventionFactory(
        subject_council=council,
        start_date=datetime.date(2004, 10, 1),
        end_date=datetime.date(2007, 11, 1),
    )
    text = page(client, intervention.get_absolute_url())
    # Its own years, 2004 to 2007, and four years either side: twelve, the most it lists.
    assert CASE_STUDY_INSPECTIONS == 12
    shown = [f"longhistory-{year}" for year in range(2000, 2012)]
    assert case_study_rows(text) == shown
    assert "Area of 2000" in text  # with their judgements
    assert "Area of 1999" not in text
    note = window_note(text)
    assert "Shown here: 12 of the 30 inspections of Longhistory Council in Casebook" in note
    assert "from the years around the intervention, 2000 to 2011" in note
    assert "Not shown: 5 earlier; 13 later." in note
    earlier = listed_slugs(client, link(text, "5 earlier"))
    later = listed_slugs(client, link(text, "13 later"))
    assert earlier == {f"longhistory-{year}" for year in range(1995, 2000)}
    assert later == {f"longhistory-{year}" for year in range(2012, 2025)}
    assert listed_slugs(client, link(text, "All 30 in the inspections list")) == {
        i.slug for i in inspections.values()
    }
    data = client.get(intervention.get_absolute_url() + "?format=json").json()
    window = data["subject_council_inspections_window"]
    assert window["years_shown"] == [2000, 2011]
    assert (window["shown"], window["total"], window["earlier"], window["later"]) == (12, 30, 5, 13)
    assert [i["slug"] for i in data["subject_council_inspections"]] == shown
    assert data["subject_council_inspections_truncated"] is True


def test_an_inspection_that_led_to_the_case_study_is_always_in_its_window(client):
    council, inspections = council_with_a_long_history()
    intervention = f.InterventionFactory(
        subject_council=council,
        start_date=datetime.date(2010, 1, 1),
        end_date=datetime.date(2011, 1, 1),
    )
    intervention.trigger_inspections.add(inspections[2006])
    text = page(client, intervention.get_absolute_url())
    # 2006 to 2011 (six), then three years either side: 2003 to 2014.
    assert case_study_rows(text) == [f"longhistory-{year}" for year in range(2003, 2015)]
    assert "Led to this intervention" in text
    note = window_note(text)
    assert "Not shown: 8 earlier; 10 later." in note


def test_a_case_study_whose_own_years_hold_too_many_lists_the_first_and_counts_the_others(
    client,
):
    council = f.CouncilFactory(slug="busy")
    for n in range(20):
        f.InspectionFactory(council=council, year=2005, slug=f"busy-2005-{n:02}")
    f.InspectionFactory(council=council, year=2001, slug="busy-2001")
    intervention = f.InterventionFactory(
        subject_council=council,
        start_date=datetime.date(2005, 3, 1),
        end_date=datetime.date(2005, 9, 1),
    )
    last = Inspection.objects.get(slug="busy-2005-19")
    intervention.trigger_inspections.add(last)
    text = page(client, intervention.get_absolute_url())
    rows = case_study_rows(text)
    assert len(rows) == CASE_STUDY_INSPECTIONS
    assert "busy-2005-19" in rows  # the one that led to it, though the last of the year
    note = window_note(text)
    assert "Shown here: 12 of the 21 inspections" in note
    assert "8 more from 2005 (all 20 of those years)" in note
    assert len(listed_slugs(client, link(text, "all 20 of those years"))) == 20
    assert listed_slugs(client, link(text, "1 earlier")) == {"busy-2001"}


def test_a_case_study_of_a_council_with_few_inspections_lists_them_all(client):
    council = f.CouncilFactory()
    f.InspectionFactory(council=council, year=2003)
    f.InspectionFactory(council=council, year=None, slug="undated")
    intervention = f.InterventionFactory(subject_council=council)
    text = page(client, intervention.get_absolute_url())
    assert len(case_study_rows(text)) == 2
    assert "All 2 inspections of" in window_note(text)


def test_a_case_study_version_shows_the_same_window_as_the_live_page(client):
    council, _ = council_with_a_long_history()
    intervention = f.InterventionFactory(
        subject_council=council,
        start_date=datetime.date(2004, 10, 1),
        end_date=datetime.date(2007, 11, 1),
    )
    intervention.save()  # a version, as a curator's save makes
    live = page(client, intervention.get_absolute_url())
    version = page(client, f.latest_version_url(intervention))
    assert case_study_rows(version) == case_study_rows(live)
    assert window_note(version) == window_note(live)


# The council page --------------------------------------------------------------------------


def test_a_council_lists_its_most_recent_inspections_with_their_number_and_the_full_list(
    client,
):
    council, inspections = council_with_a_long_history()
    text = page(client, council.get_absolute_url())
    assert COUNCIL_ROWS == 10
    assert "Only the 10 most recent of the 30 inspections are listed here." in text
    assert '<a href="#inspections-heading">30 inspections</a>' in text  # at a glance
    table = text[text.index("<caption>Inspections and assessments of") :]
    table = table[: table.index("</table>")]
    listed = re.findall(r'<a href="/inspections/([^/]+)/">', table)
    assert listed == [f"longhistory-{year}" for year in range(2015, 2025)]
    every = link(text, "all of them in the inspections list")
    assert listed_slugs(client, every) == {i.slug for i in inspections.values()}
    data = client.get(council.get_absolute_url() + "?format=json").json()
    assert data["totals"]["inspections"] == 30
    assert len(data["inspections"]) == 10


def test_a_council_lists_its_most_recent_interventions_and_counts_them(client):
    council = f.CouncilFactory(slug="manycases")
    for year in range(2001, 2016):
        f.InterventionFactory(
            subject_council=council,
            title=f"Case of {year}",
            start_date=datetime.date(year, 1, 1),
            end_date=None,
        )
    text = page(client, council.get_absolute_url())
    assert "Only the 10 most recent of the 15 interventions are listed here." in text
    assert "Case of 2005" not in text
    assert text.index("Case of 2006") < text.index("Case of 2015")  # oldest first
    response = client.get(link(text, "all of them in the interventions list") + "&format=json")
    assert response.json()["count"] == 15


def test_the_largest_synthetic_council_and_case_study_pages_are_under_100_kb(client, settings):
    settings.CASEBOOK_CACHE = False
    call_command("generate_synthetic", scale=0.02, seed=1, no_progress=True, verbosity=0)
    council = (
        Council.objects.annotate(n=Count("spending_lines", distinct=True)).order_by("-n").first()
    )
    busiest = Council.objects.annotate(n=Count("inspections", distinct=True)).order_by("-n").first()
    assert busiest.inspections.count() > CASE_STUDY_INSPECTIONS
    case_study = Intervention.objects.filter(subject_council=busiest).first()
    sizes = {}
    for url in (council.get_absolute_url(), busiest.get_absolute_url()):
        sizes[url] = len(page(client, url).encode())
    text = page(client, case_study.get_absolute_url())
    sizes[case_study.get_absolute_url()] = len(text.encode())
    assert len(case_study_rows(text)) <= CASE_STUDY_INSPECTIONS
    assert {url: size for url, size in sizes.items() if size >= LIMIT} == {}
