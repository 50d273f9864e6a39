"""Pages that cannot mislead: inspections placed by their dates at the precision known, one
chart series per service, the trigger marked, statuses dated, and the cost in the key facts."""

import csv
import datetime
import io
import json

import pytest

from interventions.models import DatePrecision, Intervention
from interventions.placement import Known, inspection_placement, place
from ratings.models import Inspection

from .test_detail_pages import KENT_SWINDON, element, page, plain

pytestmark = pytest.mark.django_db

SLOUGH_NOTICE = "/interventions/slough-improvement-notice-2011/"
MONTH, YEAR, DAY = DatePrecision.MONTH, DatePrecision.YEAR, DatePrecision.DAY


def known(y, m=1, d=1, precision=MONTH):
    return Known.of(datetime.date(y, m, d), precision)


# Placement at the precision known ------------------------------------------------------------


def test_an_inspection_in_april_is_before_an_intervention_that_began_in_june():
    placed = place(known(2011, 4, 4, DAY), known(2011, 6), known(2014, 1))
    assert placed.key == "before"


def test_a_year_alone_beside_a_month_of_that_year_is_not_placed_either_side():
    placed = place(known(2011, precision=YEAR), known(2011, 6), known(2014, 1))
    assert placed.key == "around-start"
    assert "do not say which came first" in placed.label


def test_the_same_month_is_around_the_start_but_the_same_day_is_during():
    assert place(known(2011, 6, 15, DAY), known(2011, 6), None).key == "around-start"
    assert place(known(2011, 6, 1, DAY), known(2011, 6, 1, DAY), known(2012, 1)).key == "during"


def test_an_intervention_with_no_stated_end_is_never_said_to_have_ended():
    placed = place(known(2019, precision=YEAR), known(2011, 6), None)
    assert placed.key == "since-start"
    assert "end is not stated" in placed.label


def test_after_and_around_the_end():
    assert place(known(2014, 3), known(2011, 6), known(2014, 1)).key == "after"
    assert place(known(2014, precision=YEAR), known(2011, 6), known(2014, 1)).key == "around-end"
    assert place(known(2012, precision=YEAR), known(2011, 6), known(2014, 1)).key == "during"


def test_undated_inspections_and_interventions_are_not_placed():
    assert place(None, known(2011, 6), None).key == "unknown"
    assert place(known(2011, 6), None, None).key == "unknown"


def test_an_inspection_without_dates_is_placed_by_its_year():
    intervention = Intervention(start_date=datetime.date(2004, 10, 1), start_date_precision=MONTH)
    inspection = Inspection(year=2003)
    assert inspection_placement(inspection, intervention).key == "before"


# The Slough Improvement Notice: the April 2011 inspection that led to it ---------------------


def test_slough_trigger_inspection_is_before_the_intervention_and_marked(client, seeded):
    text = page(client, SLOUGH_NOTICE)
    table = plain(text[text.index('id="inspections-heading"') :])
    row = table[table.index("Before it began") :]
    assert row.startswith(
        "Before it began Inspected 4 April 2011; the intervention began June 2011 "
        "Led to this intervention"
    )
    assert "During: year 1" not in table
    chart = text[text.index('<figure class="chart">') : text.index("</figure>")]
    # a ring on each section of the 2011 inspection (safeguarding, looked after), and the legend
    assert chart.count('class="trigger"') == 3
    assert 'class="period"' in chart
    assert "Shaded: Slough Improvement Notice and Improvement Board (2011), June 2011" in chart


def test_slough_2011_inspection_is_drawn_by_its_sections_not_dropped(client, seeded):
    response = client.get(SLOUGH_NOTICE)
    chart = response.context["inspection_chart"]
    bands = {series.name: series for series in chart.series}
    safeguarding = bands["Children's services: Safeguarding services"]
    looked_after = bands["Children's services: Services for looked after children"]
    assert [p.title.split(" — ")[0] for p in safeguarding.points] == [
        "2011: Overall effectiveness: Inadequate (led to the intervention)"
    ]
    assert [p.title.split(" — ")[0] for p in looked_after.points] == [
        "2011: Overall effectiveness: Adequate (led to the intervention)"
    ]
    assert [p.trigger for p in safeguarding.points + looked_after.points] == [True, True]


def test_slough_council_table_says_how_a_split_inspection_is_charted(client, seeded):
    text = plain(page(client, "/councils/slough/"))
    assert (
        "On the chart by section: Safeguarding services, Inadequate; "
        "Services for looked after children, Adequate"
    ) in text


# Swindon: adults' and children's ratings are never one line ----------------------------------


@pytest.mark.parametrize("url", [KENT_SWINDON, "/councils/swindon/"])
def test_swindon_adults_and_childrens_ratings_are_separate_series(client, seeded, url):
    response = client.get(url)
    chart = response.context["inspection_chart"]
    names = [series.name for series in chart.series]
    assert names.count("Adults' services") == 1
    assert names.count("Children's services") == 2  # star rating, then the APA: two scales
    for series in chart.series:
        years = [p.title.split(":")[0] for p in series.points]
        assert len(years) == len(set(years)), f"{series.name} joins two ratings of one year"
    adults = next(s for s in chart.series if s.name == "Adults' services")
    assert [p.title.split(" — ")[0] for p in adults.points] == [
        "2004/2005: 1 star",
        "2005/2006: 1 star",
        "2006/2007: 2 stars",
    ]


def test_kent_swindon_chart_shades_the_partnership(client, seeded):
    chart = client.get(KENT_SWINDON).context["inspection_chart"]
    (shade,) = chart.shades
    assert shade.label == "Kent–Swindon improvement partnership, October 2004 to November 2007"
    assert chart.plot_left < shade.x < shade.x + shade.width <= chart.plot_right


def test_the_service_rated_is_in_the_table_and_the_json(client, seeded):
    data = json.loads(page(client, KENT_SWINDON + "?format=json"))
    rated = {i["slug"]: i["service_rated_label"] for i in data["subject_council_inspections"]}
    assert rated["swindon-csci-stars-2004-05-adults"] == "Adults' services"
    assert rated["swindon-csci-stars-2004-05-children"] == "Children's services"
    assert rated["swindon-csci-stars-2003"] == "All social services"


# Key facts: a dated status, and the cost ------------------------------------------------------


def test_status_says_where_and_when_it_was_reported(client, seeded):
    facts = plain(element(page(client, "/interventions/stoke-serco-partnership/"), "facts"))
    assert "Status Active Note 1 as reported in" in facts
    assert "Innovative partnership turns around children's services in Stoke" in facts


def test_key_facts_give_the_cost_as_a_range_where_the_sources_differ(client, seeded):
    facts = plain(element(page(client, KENT_SWINDON), "facts"))
    assert (
        "Cost From £3,600,000 (up to) to £3,660,000: the sources differ. "
        "up to £3.6 million (contract value, over three years)"
    ) in facts
    assert "£3.66m (contract value, three years)" in facts
    assert "£820k" not in facts  # a grant towards it, not its cost
    data = json.loads(page(client, KENT_SWINDON + "?format=json"))
    assert data["cost"]["low_gbp"] == "3600000.00"
    assert data["cost"]["high_gbp"] == "3660000.00"
    assert data["cost"]["sources_differ"] is True


def test_key_facts_say_when_the_reports_give_no_cost(client, seeded):
    facts = plain(element(page(client, SLOUGH_NOTICE), "facts"))
    assert "Cost The reports do not give a cost" in facts


def test_the_judgements_list_names_the_service_each_judgement_rates(client, seeded):
    response = client.get("/judgements/?council=slough&format=csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(text)))
    column = header.index("Service rated")
    assert len(rows) == 26
    assert {row[column] for row in rows} == {"Children's services"}


def test_slough_notice_states_no_end_or_status_the_report_does_not(client, seeded):
    """The report dates the Notice (September 2011) and the Board (June 2011) but never says
    when, or whether, either ended: January 2014 is only the Board's last report."""
    data = client.get(SLOUGH_NOTICE, {"format": "json"}).json()
    assert data["status"] == "unknown"
    assert data["status_label"] == "Not stated"
    assert data["status_reported_in"] is None
    assert data["end"] is None
    text = plain(page(client, SLOUGH_NOTICE))
    assert "Status Not stated" in text
    assert "as reported in" not in text[text.index("Status Not stated") :][:80]
