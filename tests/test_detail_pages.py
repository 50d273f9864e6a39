"""The detail pages: case study, council, source and inspection.

Each page shows its facts with numbered footnotes, flags where sources differ, answers JSON,
BibTeX and RIS, carries citation metadata, and runs a fixed number of queries.
"""

import datetime
import html
import json
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from interventions import models as im
from interventions.charts import inspection_chart, money_label, nice_step
from interventions.citations import bibtex_escape, script_json
from ratings import models as rm

from . import factories as f

pytestmark = pytest.mark.django_db

KENT_SWINDON = "/interventions/kent-swindon-partnership/"
KENT_REPORT = "kcc-cabinet-2008-kent-swindon-partnership"
ARTICLE = "community-care-kent-managers-help-swindon"


# Helpers ----------------------------------------------------------------------------------


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def element(text: str, element_id: str) -> str:
    """The HTML inside the element with this id (li, tr, div or section)."""
    match = re.search(rf'<(li|tr|div|section)\b[^>]*\bid="{re.escape(element_id)}"[^>]*>', text)
    assert match, f"no element #{element_id}"
    tag = match.group(1)
    depth, position = 1, match.end()
    pattern = re.compile(rf"<(/?){tag}\b")
    while depth:
        found = pattern.search(text, position)
        depth += -1 if found.group(1) else 1
        position = found.end()
    return text[match.end() : found.start()]


def footnotes_of(fragment: str) -> list[int]:
    return [int(n) for n in re.findall(r'href="#fn-(\d+)"', fragment)]


def note(text: str, number: int) -> str:
    return html.unescape(element(text, f"fn-{number}"))


def plain(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def query_count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


# The real Kent–Swindon case study -----------------------------------------------------------


def test_kent_swindon_page_shows_dates_with_their_precision(client, seeded):
    text = page(client, KENT_SWINDON)
    assert re.search(r"<dt>Began</dt><dd>October 2004<sup", text)
    assert re.search(r"<dt>Ended</dt><dd>November 2007<sup", text)
    assert "1 October 2004" not in text
    assert "August 2004" in element(text, "milestone-4")


def test_kent_swindon_page_shows_four_phases_in_order(client, seeded):
    text = page(client, KENT_SWINDON)
    names = [
        "Introductions and initial workstreams",
        "Interim management",
        "Kent Lead with strengthened workstreams",
        "Swindon lead and planned withdrawal",
    ]
    positions = [text.index(f'id="phase-{n}"') for n in range(1, 5)]
    assert positions == sorted(positions)
    for number, name in enumerate(names, start=1):
        assert name in element(text, f"phase-{number}")
    assert 'id="phase-5"' not in text
    assert "April 2005 to December 2005" in element(text, "phase-2")


def test_kent_swindon_page_shows_six_workstreams(client, seeded):
    text = page(client, KENT_SWINDON)
    for number, name in enumerate(
        [
            "Adult Workstream",
            "Children&#x27;s Workstream",
            "Human Resources",
            "Investors in People (IIP)",
            "Finance",
            "Contracts and commissioning",
        ],
        start=1,
    ):
        assert name in element(text, f"workstream-{number}")
    assert 'id="workstream-7"' not in text


def test_kent_swindon_page_shows_where_sources_differ_on_the_contract_sum(client, seeded):
    text = page(client, KENT_SWINDON)
    box = element(text, "differ-kent-swindon-contract-sum")
    assert "Sources differ" in box
    assert "£3.6 million" in box
    assert "£3.66m" in box
    assert f'href="/sources/{KENT_REPORT}/"' in box
    assert f'href="/sources/{ARTICLE}/"' in box
    # The money rows themselves are flagged and link to the versions.
    row = element(text, "spending-kent-swindon-contract-sum")
    assert 'href="#differ-kent-swindon-contract-sum"' in row
    assert "Sources differ" in row


def test_kent_swindon_page_groups_lessons_and_lists_participants(client, seeded):
    text = page(client, KENT_SWINDON)
    assert text.index('id="lessons-achievement"') < text.index('id="lessons-challenge"')
    assert text.index('id="lessons-challenge"') < text.index('id="lessons-lesson"')
    keith = plain(element(text, "participant-11"))
    assert "Keith Ferrin" in keith
    assert "Cabinet Member for Environment, Highways and Waste" in keith
    assert "Kent County Council" in keith


def test_kent_swindon_page_places_inspections_before_during_and_after(client, seeded):
    text = plain(page(client, KENT_SWINDON))
    assert "Before it began Inspected 2003" in text  # the 2003 zero-star rating
    # 2004/2005 is known only by its year, and the partnership began in October 2004.
    assert "Around the start: the reports do not say which came first Inspected 2004" in text
    assert "During Inspected 2005" in text  # 2005/2006


def test_kent_swindon_related_intervention_is_flagged_as_mentioned_in_passing(client, seeded):
    text = page(client, KENT_SWINDON)
    related = element(text, "related")
    assert "Earlier interventions in Swindon social services" in related
    assert "Mentioned in passing" in related
    earlier = page(client, "/interventions/swindon-earlier-consultancy-interventions/")
    assert "Mentioned in passing." in earlier
    assert "Kent–Swindon improvement partnership" in earlier


def test_kent_swindon_footnote_numbers_link_to_the_right_source_and_locator(client, seeded):
    text = page(client, KENT_SWINDON)
    (number,) = set(footnotes_of(element(text, "milestone-9")))
    footnote = note(text, number)
    assert f'href="/sources/{ARTICLE}/"' in footnote
    assert 'paragraph beginning "The agreement is likely to run until April 2007"' in footnote
    (number,) = set(footnotes_of(element(text, "phase-2")))
    footnote = note(text, number)
    assert f'href="/sources/{KENT_REPORT}/"' in footnote
    assert 'Project Management, para 3(2): "Phase Two"' in footnote


def test_every_real_detail_page_answers(client, seeded):
    urls = [obj.get_absolute_url() for obj in im.Intervention.objects.all()]
    urls += [obj.get_absolute_url() for obj in im.Council.objects.all()]
    urls += [obj.get_absolute_url() for obj in im.Source.objects.all()]
    urls += [obj.get_absolute_url() for obj in rm.Inspection.objects.all()]
    for url in urls:
        for fmt in ("", "?format=json", "?format=bibtex", "?format=ris"):
            assert client.get(url + fmt).status_code == 200, url + fmt


# Footnotes and disagreements with fictional data --------------------------------------------


def test_each_fact_cites_its_own_source_and_locator(client):
    intervention = f.InterventionFactory(locator="para 1(1)")
    other = f.SourceFactory(title="A different review")
    f.PhaseFactory(intervention=intervention, position=1, source=other, locator="page 7, table 2")
    f.PhaseFactory(intervention=intervention, position=2, locator="para 1(1)")
    text = page(client, intervention.get_absolute_url())
    (first,) = set(footnotes_of(element(text, "phase-1")))
    (second,) = set(footnotes_of(element(text, "phase-2")))
    assert f'href="{other.get_absolute_url()}"' in note(text, first)
    assert "page 7, table 2" in note(text, first)
    # Same source and locator as the intervention itself: the same note, numbered once.
    assert second == 1
    assert intervention.source.title in note(text, 1)
    assert "para 1(1)" in note(text, 1)
    assert f'id="fn-{first}"' in text
    assert text.count('id="fn-1"') == 1


def test_a_version_on_another_page_is_shown_with_its_own_source(client):
    discrepancy = f.DiscrepancyFactory(title="Population under 18")
    council = f.CouncilFactory()
    elsewhere = f.SourceFactory(title="Another count")
    f.StatisticFactory(council=council, as_printed="38,000", discrepancy=discrepancy)
    f.StatisticFactory(
        council=f.CouncilFactory(),
        as_printed="38,900",
        source=elsewhere,
        locator="annex B",
        discrepancy=discrepancy,
    )
    text = page(client, council.get_absolute_url())
    box = element(text, f"differ-{discrepancy.slug}")
    assert "Sources differ" in box
    assert "38,000" in box
    assert "38,900" in box
    assert f'href="{elsewhere.get_absolute_url()}"' in box
    assert "annex B" in box


def test_a_page_without_disagreements_says_nothing_about_them(client):
    intervention = f.InterventionFactory()
    text = page(client, intervention.get_absolute_url())
    assert "Sources differ" not in text
    assert "Where the sources differ" not in text


# The council page ---------------------------------------------------------------------------


def test_council_page_shows_interventions_as_subject_and_as_participant(client):
    council = f.CouncilFactory(name="Northshire Council", also_known_as="NC")
    own = f.InterventionFactory(subject_council=council, title="Northshire recovery")
    helping = f.InterventionFactory(title="Helping Southshire")
    f.ParticipantFactory(intervention=helping, council=council, role="lead-partner")
    f.InterventionFactory(subject_council=council, title="A passing mention", mentioned_only=True)
    text = page(client, council.get_absolute_url())
    assert "NC" in text
    assert own.title in text
    assert helping.title in text
    assert "Lead partner" in text
    assert helping.subject_council.name in text
    assert "Mentioned in passing" in text


def test_council_page_draws_inspection_history_with_a_table(client):
    council = f.CouncilFactory()
    f.InspectionFactory(council=council, framework="csci-stars", year=2003, overall_grade="0 stars")
    f.InspectionFactory(council=council, framework="csci-stars", year=2005, overall_grade="2 stars")
    f.InspectionFactory(council=council, framework="ofsted-slac", year=2011)
    text = page(client, council.get_absolute_url())
    svg = re.search(r"<svg[^>]*>.*?</svg>", text, re.S).group(0)
    assert 'role="img"' in svg
    assert "<title" in svg
    assert "<desc" in svg
    assert "0 stars" in svg
    assert "2 stars" in svg
    assert "Inadequate" in svg
    assert "CSCI social services star rating" in svg
    assert "Ofsted inspection of safeguarding" in svg
    assert "<caption>Inspections and assessments of" in text
    assert '<th scope="col">Year</th>' in text


def test_council_page_draws_spending_by_year_with_a_table(client):
    council = f.CouncilFactory()
    for year, amount in ((2012, "14922000"), (2013, "14180000")):
        f.SpendingLineFactory(council=council, year=year, amount_gbp=Decimal(amount))
    text = page(client, council.get_absolute_url())
    assert "money by year, 2012 to 2013" in text
    assert "£14,922,000" in text
    assert "£14,180,000" in text
    assert "<caption>Money figures for" in text


def test_council_statistics_sit_beside_their_comparator_and_their_group(client):
    group = "Similar councils by population aged 0-17"
    slough = f.CouncilFactory(name="Sloughshire")
    f.StatisticFactory(
        council=slough,
        measure="Children in low income families",
        as_printed="22%",
        comparator_label="England",
        comparator_value=Decimal("21"),
        comparator_as_printed="21%",
    )
    f.StatisticFactory(council=slough, as_printed="38,000", comparator_group=group)
    others = [f.CouncilFactory(name=f"Neighbour {n}") for n in range(6)]
    for n, other in enumerate(others):
        f.StatisticFactory(
            council=other,
            value=Decimal(36000 + n * 500),
            as_printed=f"{36 + n / 2}k",
            comparator_group=group,
        )
    f.StatisticFactory(council=f.CouncilFactory(name="Elsewhere"), comparator_group="Another table")
    text = page(client, slough.get_absolute_url())
    assert "England" in text
    assert "21%" in text
    caption = f"{group}: Sloughshire beside 6 other councils"
    assert caption in text
    table = text[text.index(caption) :]
    table = table[: table.index("</table>")]
    for other in others:
        assert other.name in table
    assert "Elsewhere" not in table
    assert "This council" in table


def test_a_long_council_list_is_cut_short_with_a_link_to_the_full_list(client, monkeypatch):
    monkeypatch.setattr("interventions.views.details.base.COUNCIL_ROWS", 3)
    council = f.CouncilFactory(slug="longshire")
    for year in range(2001, 2006):
        f.SpendingLineFactory(council=council, year=year, amount_gbp=Decimal(year * 1000))
    f.SpendingLineFactory(council=council, year=2003, amount_gbp=Decimal(1))
    text = page(client, council.get_absolute_url())
    assert "Only the 3 most recent of the 6 figures are listed here." in text
    assert 'href="http://testserver/spending/?council=longshire"' in text
    # Every year is counted, and leads to the spending list of exactly that year's figures.
    years = text[text.index("<caption>How many money figures") :]
    years = years[: years.index("</table>")]
    counted = re.findall(r'<a href="([^"]+)">(\d{4})</a></th><td class="num">(\d+)</td>', years)
    assert [(year, int(n)) for _, year, n in counted] == [
        ("2005", 1),
        ("2004", 1),
        ("2003", 2),
        ("2002", 1),
        ("2001", 1),
    ]
    listed = client.get(html.unescape(counted[2][0]) + "&format=json").json()
    assert listed["count"] == 2
    assert {Decimal(row["amount_gbp"]) for row in listed["results"]} == {Decimal(2003000), 1}
    table = text[text.index("<caption>Money figures for") :]
    table = table[: table.index("</table>")]
    assert "£2,005,000" in table
    assert "£2,001,000" not in table
    # The chart still draws every year.
    assert "money by year, 2001 to 2005" in text
    data = client.get(council.get_absolute_url() + "?format=json").json()
    assert len(data["spending_lines"]) == 3
    assert data["truncated"]["spending_lines"] is True
    assert data["totals"]["spending_lines"] == 6


def test_drafts_are_hidden_from_the_public_and_shown_to_staff(client, django_user_model):
    intervention = f.InterventionFactory(published=False)
    shown_part = f.PhaseFactory(name="Visible phase")
    hidden = f.InterventionFactory(subject_council=shown_part.intervention.subject_council)
    f.PhaseFactory(
        intervention=shown_part.intervention,
        name="Draft phase",
        source=f.SourceFactory(published=False),
    )
    assert client.get(intervention.get_absolute_url()).status_code == 404
    assert client.get(intervention.get_absolute_url() + "?format=json").status_code == 404
    text = page(client, shown_part.intervention.get_absolute_url())
    assert "Visible phase" in text
    assert "Draft phase" not in text
    hidden.published = False
    hidden.save()
    assert hidden.title not in page(client, hidden.subject_council.get_absolute_url())
    staff = django_user_model.objects.create_user("curator", password="x" * 16, is_staff=True)
    client.force_login(staff)
    text = page(client, intervention.get_absolute_url())
    assert "Draft." in text
    assert "Draft phase" in page(client, shown_part.intervention.get_absolute_url())


# The source page ----------------------------------------------------------------------------


def test_source_page_lists_every_fact_that_cites_it_with_locator_and_link(client):
    source = f.SourceFactory(title="The review", authors="A. Author\nB. Author")
    intervention = f.InterventionFactory(source=source, locator="para 1")
    f.PhaseFactory(intervention=intervention, name="Diagnosis", locator="para 2")
    f.LessonFactory(intervention=intervention, text="Boards need teeth.", locator="para 9")
    inspection = f.InspectionFactory(source=source, locator="table 1")
    f.JudgementFactory(inspection=inspection, area="Leadership", locator="table 1, row 3")
    f.SpendingLineFactory(source=source, ref="budget-2012", locator="budget table")
    f.StatisticFactory(source=source, locator="population table")
    f.InterventionFactory(locator="elsewhere")  # cites another report
    text = page(client, source.get_absolute_url())
    assert "A. Author, B. Author" in text
    for heading in ("Interventions", "Phases", "Lessons", "Inspections", "Judgements"):
        assert f">{heading}</h2>" in text
    assert "Spending lines</h2>" in text
    assert "Statistics</h2>" in text
    for locator in ("para 2", "para 9", "table 1, row 3", "budget table", "population table"):
        assert f'<td data-label="Where in the report" class="locator">{locator}</td>' in text
    assert f'href="{intervention.get_absolute_url()}#phase-' in text
    assert f'href="{inspection.get_absolute_url()}#judgement-' in text
    assert "elsewhere" not in text


def test_source_page_shows_an_undated_report_as_printed(client):
    source = f.SourceFactory(date=None, date_precision="", date_as_printed="13 March issue")
    text = plain(page(client, source.get_absolute_url()))
    assert "Not dated: printed as “13 March issue”" in text


# The inspection page ------------------------------------------------------------------------


def test_inspection_page_shows_judgements_in_printed_order_by_section(client):
    inspection = f.InspectionFactory(overall_grade="Inadequate", overall_as_printed="inadequate")
    rows = [
        ("Safeguarding", "Overall effectiveness", "Inadequate"),
        ("Safeguarding", "Capacity for improvement", "Adequate"),
        ("Looked after children", "Overall effectiveness", "Adequate"),
    ]
    for position, (section, area, grade) in enumerate(rows, start=1):
        f.JudgementFactory(
            inspection=inspection,
            position=position,
            section=section,
            area=area,
            grade=grade,
            grade_as_printed=grade.upper(),
        )
    text = page(client, inspection.get_absolute_url())
    assert "<caption>Safeguarding</caption>" in text
    assert "<caption>Looked after children</caption>" in text
    positions = [text.index(f'id="judgement-{n}"') for n in (1, 2, 3)]
    assert positions == sorted(positions)
    assert "Capacity for improvement" in element(text, "judgement-2")
    assert "ADEQUATE" in element(text, "judgement-2")
    assert "printed as “inadequate”" in text
    (number,) = set(footnotes_of(element(text, "judgement-3")))
    assert inspection.source.title in note(text, number)


# Formats ------------------------------------------------------------------------------------


def detail_urls():
    intervention = f.InterventionFactory()
    return [
        intervention.get_absolute_url(),
        intervention.subject_council.get_absolute_url(),
        intervention.source.get_absolute_url(),
        f.InspectionFactory().get_absolute_url(),
    ]


def test_every_detail_page_answers_json_with_absolute_urls(client):
    for url in detail_urls():
        response = client.get(url + "?format=json")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/json")
        data = response.json()
        assert data["url"] == f"http://testserver{url}"


def test_case_study_json_gives_parts_and_amounts_as_exact_strings(client, seeded):
    data = client.get(KENT_SWINDON + "?format=json").json()
    assert data["start"] == {
        "date": "2004-10-01",
        "precision": "month",
        "year": 2004,
        "month": 10,
        "day": None,
        "year_inferred": False,
        "kind": "actual",
        "note": "",
        "edtf": "2004-10",
        "display": "October 2004",
    }
    assert data["phases"][0]["name"] == "Introductions and initial workstreams"
    assert len(data["workstreams"]) == 6
    lines = {line["ref"]: line for line in data["spending_lines"]}
    assert lines["kent-swindon-contract-sum"]["amount_gbp"] == "3600000.00"
    assert "£3.6 million" in lines["kent-swindon-contract-sum"]["as_printed"]
    assert lines["kent-swindon-deal"]["amount_gbp"] == "3660000.00"
    assert lines["kent-swindon-deal"]["as_printed"] == "£3.66m"
    sums = next(d for d in data["sources_differ"] if d["slug"] == "kent-swindon-contract-sum")
    assert {v["source"]["slug"] for v in sums["versions"]} == {KENT_REPORT, ARTICLE}
    assert data["phases"][0]["source"]["url"].startswith("http://testserver/sources/")


def test_bibtex_download(client):
    intervention = f.InterventionFactory(slug="northshire-partnership", title="Northshire & co")
    response = client.get(intervention.get_absolute_url() + "?format=bibtex")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/x-bibtex")
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="casebook-intervention-northshire-partnership.bib"'
    )
    body = response.content.decode()
    assert body.startswith("@misc{casebook-intervention-northshire-partnership,")
    assert "title = {{Northshire \\& co}}" in body
    assert "howpublished = {Casebook}" in body
    # It cites the version on screen, whose address a later correction cannot change.
    assert "url = {http://testserver/interventions/northshire-partnership/versions/v1/}" in body
    assert re.search(r"urldate = \{\d{4}-\d{2}-\d{2}\}", body)
    assert "note = {Case study in Casebook, version 1 of " in body


def test_ris_download(client):
    council = f.CouncilFactory(slug="northshire", name="Northshire Council")
    response = client.get(council.get_absolute_url() + "?format=ris")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/x-research-info-systems")
    assert (
        response["Content-Disposition"] == 'attachment; filename="casebook-council-northshire.ris"'
    )
    lines = response.content.decode().split("\r\n")
    assert lines[0] == "TY  - ELEC"
    assert "TI  - Northshire Council" in lines
    assert "PB  - Casebook" in lines
    assert any(
        line.startswith("UR  - http://testserver/councils/northshire/versions/") for line in lines
    )
    assert any(re.fullmatch(r"Y2  - \d{4}/\d{2}/\d{2}", line) for line in lines)
    assert lines[-2] == "ER  -"


def test_unknown_format_is_a_400_with_a_plain_message(client):
    for url in detail_urls():
        response = client.get(url + "?format=xml")
        assert response.status_code == 400
        assert response["Content-Type"].startswith("text/plain")
        assert 'Unknown format "xml"' in response.content.decode()
        assert "json, bibtex, ris" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    ["/interventions/no-such/", "/councils/no-such/", "/sources/no-such/", "/inspections/no-such/"],
)
@pytest.mark.parametrize("fmt", ["", "?format=json", "?format=ris"])
def test_unknown_slug_is_a_404(client, url, fmt):
    assert client.get(url + fmt).status_code == 404


# Citation metadata --------------------------------------------------------------------------


def test_pages_carry_citation_metadata_json_ld_and_a_clean_canonical_link(client):
    today = datetime.date.today()  # noqa: DTZ011 - compared with the page's local date
    for url in detail_urls():
        text = page(client, url + "?utm_source=briefing")
        absolute = f"http://testserver{url}"
        # Every form points at the version on screen, which a later correction cannot change.
        version = re.search(
            rf'<link rel="canonical" href="({re.escape(absolute)}versions/v\d+/)">', text
        )
        assert version, url
        cited = version.group(1)
        for name in ("citation_title", "DC.title", "citation_date"):
            assert f'<meta name="{name}" content="' in text
        assert f'<meta name="citation_public_url" content="{cited}">' in text
        assert f'<meta name="citation_abstract_html_url" content="{cited}">' in text
        block = re.search(r'<script type="application/ld\+json">(.*?)</script>', text, re.S)
        data = json.loads(block.group(1))
        assert data["@context"] == "https://schema.org"
        assert data["url"] == cited
        cite = plain(element(text, "cite"))
        assert cited in cite
        assert str(today.year) in cite
        if "/sources/" in url:
            continue  # a source page cites its report: tests/test_citations.py
        assert '<meta name="citation_publisher" content="Casebook">' in text
        assert data["isPartOf"]["name"] == "Casebook"
        assert data["mainEntityOfPage"] == absolute
        assert data["citation"][0]["url"].startswith("http://testserver/sources/")
        assert re.search(
            rf"Casebook \(\d{{4}}\) .+\. Casebook\. Available at: {re.escape(cited)} "
            rf"\(Accessed: {today.day} {today:%B} {today.year}\)\.",
            cite,
        )


def test_citation_date_is_when_the_record_last_changed(client):
    intervention = f.InterventionFactory()
    changed = datetime.datetime(2020, 1, 2, 12, tzinfo=datetime.UTC)
    intervention.history.update(history_date=changed)
    im.RecordVersion.objects.filter(record_id=intervention.pk).update(recorded=changed)
    text = page(client, intervention.get_absolute_url())
    assert '<meta name="citation_date" content="2020/01/02">' in text
    assert '<meta name="DC.type" content="webpage">' in text  # Zotero saves a web page
    assert "This version of the record dates from 2 January 2020." in text
    ris = client.get(intervention.get_absolute_url() + "?format=ris").content.decode()
    assert "DA  - 2020/01/02" in ris


def test_json_ld_cannot_break_out_of_its_script_element(client):
    intervention = f.InterventionFactory(title="</script><script>alert(1)</script>")
    text = page(client, intervention.get_absolute_url())
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', text, re.S)
    assert json.loads(block.group(1))["name"] == "</script><script>alert(1)</script>"
    assert "<script>alert(1)" not in text
    assert script_json({"a": "<&>"}) == '{"a":"\\u003c\\u0026\\u003e"}'


# A fixed number of queries ------------------------------------------------------------------


def case_study(size: int):
    intervention = f.InterventionFactory(discrepancy=f.DiscrepancyFactory())
    intervention.service_areas.set(f.ServiceAreaFactory.create_batch(size))
    council = intervention.subject_council
    disagreement = f.DiscrepancyFactory()
    for n in range(1, size + 1):
        f.ParticipantFactory(intervention=intervention, position=n)
        f.ParticipantFactory(
            intervention=intervention,
            position=size + n,
            council=None,
            organisation=f.OrganisationFactory(),
            person_name="A. Person",
        )
        f.PhaseFactory(intervention=intervention, position=n, discrepancy=disagreement)
        f.WorkstreamFactory(intervention=intervention, position=n)
        f.LessonFactory(intervention=intervention, position=n, kind="challenge")
        f.MilestoneFactory(intervention=intervention, position=n)
        f.SpendingLineFactory(
            council=council,
            intervention=intervention,
            payer_organisation=f.OrganisationFactory(),
            discrepancy=disagreement,
            source=f.SourceFactory(),
        )
        f.StatisticFactory(council=council, intervention=intervention)
        inspection = f.InspectionFactory(council=council, year=2000 + n)
        f.JudgementFactory(inspection=inspection)
        f.InterventionLinkFactory(from_intervention=intervention)
        f.InterventionLinkFactory(to_intervention=intervention)
    return intervention.get_absolute_url()


def council_page(size: int):
    council = f.CouncilFactory(successor=f.CouncilFactory())
    group = f"Group {size}"
    disagreement = f.DiscrepancyFactory()
    for n in range(size):
        f.CouncilFactory(successor=council)
        f.InterventionFactory(subject_council=council, discrepancy=disagreement)
        f.ParticipantFactory(council=council)
        f.OrganisationFactory(council=council, kind="board")
        f.InspectionFactory(council=council, year=2005 + n)
        f.SpendingLineFactory(council=council, year=2008 + n, line=f"Line {n % 3}")
        f.StatisticFactory(council=council, comparator_group=group, source=f.SourceFactory())
        f.StatisticFactory(council=f.CouncilFactory(), comparator_group=group)
    return council.get_absolute_url()


def source_page(size: int):
    source = f.SourceFactory()
    for _ in range(size):
        intervention = f.InterventionFactory(source=source)
        f.ParticipantFactory(intervention=intervention)
        f.PhaseFactory(intervention=intervention)
        f.WorkstreamFactory(intervention=intervention)
        f.LessonFactory(intervention=intervention)
        f.MilestoneFactory(intervention=intervention, discrepancy=f.DiscrepancyFactory())
        inspection = f.InspectionFactory(source=source)
        f.JudgementFactory(inspection=inspection)
        f.SpendingLineFactory(source=source, intervention=intervention)
        f.StatisticFactory(source=source)
        f.CouncilFactory(source=source)
        f.OrganisationFactory(source=source)
        f.InterventionLinkFactory(from_intervention=intervention, source=source)
    return source.get_absolute_url()


def inspection_page(size: int):
    inspection = f.InspectionFactory(discrepancy=f.DiscrepancyFactory())
    for n in range(1, size + 1):
        f.JudgementFactory(
            inspection=inspection,
            position=n,
            section=f"Section {n % 3}",
            source=f.SourceFactory(),
            discrepancy=f.DiscrepancyFactory(),
        )
        f.InspectionFactory(council=inspection.council)
    return inspection.get_absolute_url()


@pytest.mark.parametrize("build", [case_study, council_page, source_page, inspection_page])
@pytest.mark.parametrize("fmt", ["", "?format=json"])
def test_detail_page_runs_the_same_number_of_queries_whatever_its_size(client, build, fmt):
    few = query_count(client, build(1) + fmt)
    many = query_count(client, build(12) + fmt)
    assert few == many
    # two for the record's history (its changes and citable version), one for the data version;
    # a source page reads each kind of fact citing it (people and their posts: two more)
    assert many <= (19 if build is source_page else 17)


# Small pieces -------------------------------------------------------------------------------


def test_chart_scale_labels_come_from_the_framework():
    class Row:
        def __init__(self, pk, year, grade, score):
            self.pk, self.year, self.overall_grade, self.overall_score = pk, year, grade, score
            self.framework, self.period, self.title = "ofsted-sif", "", f"Inspection {pk}"
            self.service_scope = "children"

        def get_framework_display(self):
            return "Single inspection framework"

        def get_service_scope_display(self):
            return "Children's services"

        def scale_levels(self):
            return rm.Inspection(framework=self.framework).scale_levels()

    chart = inspection_chart([Row(1, 2013, "Inadequate", 1), Row(2, 2016, "Good", 3)], "X")
    (series,) = chart.series
    assert [tick.label for tick in series.y_ticks] == [
        "Outstanding",
        "Good",
        "Requires improvement",
        "Inadequate",
    ]
    low, high = series.points
    assert high.y < low.y  # better grades higher
    assert inspection_chart([Row(1, None, "Good", 3)], "X") is None


def test_money_labels_and_bibtex_escaping():
    assert money_label(15_000_000) == "£15m"
    assert money_label(2_500_000) == "£2.5m"
    assert money_label(820_000) == "£820k"
    assert nice_step(19_116_000) == 5_000_000
    assert bibtex_escape("Children & Families {50%}") == r"Children \& Families \{50\%\}"
