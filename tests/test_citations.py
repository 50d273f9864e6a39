"""Citing Casebook: one citation in every form, today's accessed date, no Host in any URL.

A researcher copies the cite box, downloads BibTeX, RIS or CSL-JSON, or lets Zotero read the
page head: each must name the same title, author, publisher, version URL and dates. A source
page cites the report itself; each footnote can be copied as a citation of its report.
"""

import datetime
import html
import json
import re
from unittest import mock

import bibtexparser
import pybtex.database
import pytest
import rispy
from django.utils import timezone

from interventions import citations
from interventions import models as im
from interventions.citations import STYLES, fill_accessed

from . import factories as f

pytestmark = pytest.mark.django_db

KENT_SWINDON = "/interventions/kent-swindon-partnership/"
OPM = "/sources/opm-2014-slough-childrens-social-care/"
STOKE_ARTICLE = "/sources/community-care-stoke-serco-partnership/"
SITE = "http://testserver"


# Helpers ----------------------------------------------------------------------------------


def get(client, url, **extra):
    response = client.get(url, **extra)
    assert response.status_code == 200, (url, response.status_code)
    return response


def text_of(client, url, **extra) -> str:
    return get(client, url, **extra).content.decode()


def metas(text: str, name: str) -> list[str]:
    pattern = rf'<meta name="{re.escape(name)}" content="([^"]*)">'
    return [html.unescape(value) for value in re.findall(pattern, text)]


def canonical(text: str) -> str:
    return re.search(r'<link rel="canonical" href="([^"]+)">', text).group(1)


def json_ld(text: str) -> dict:
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', text, re.S)
    return json.loads(block.group(1))


def cite_box(text: str) -> dict[str, str]:
    """Each style's citation in the cite box, as plain text."""
    found = {}
    for key, _label, _file in STYLES:
        match = re.search(rf'<p class="citation" id="cite-{key}">(.*?)</p>', text, re.S)
        assert match, key
        found[key] = " ".join(html.unescape(re.sub(r"<[^>]+>", "", match.group(1))).split())
    return found


def bibtex(client, url):
    body = get(client, url + "?format=bibtex").content.decode()
    library = bibtexparser.parse_string(body)
    assert library.failed_blocks == []
    assert len(library.entries) == 1
    entry = library.entries[0]
    pybtex_entry = next(iter(pybtex.database.parse_string(body, "bibtex").entries.values()))
    return body, entry, pybtex_entry


def ris(client, url):
    body = get(client, url + "?format=ris").content.decode()
    records = rispy.loads(body)
    assert len(records) == 1
    return body, records[0]


def csl(client, url) -> dict:
    response = get(client, url + "?format=csl-json")
    assert response["Content-Type"].startswith("application/vnd.citationstyles.csl+json")
    items = json.loads(response.content)
    assert len(items) == 1
    return items[0]


def uk(day: datetime.date) -> str:
    return f"{day.day} {day:%B} {day.year}"


# One citation, everywhere the same ------------------------------------------------------


def record_a_version(model, slug):
    """The seeded rows are restored without history: one save records version 1."""
    model.objects.get(slug=slug).save()


def test_case_study_citation_is_the_same_in_every_form(client, seeded):
    record_a_version(im.Intervention, "kent-swindon-partnership")
    text = text_of(client, KENT_SWINDON)
    cited = canonical(text)
    assert re.fullmatch(rf"{SITE}{KENT_SWINDON}versions/v\d+/", cited)
    today = timezone.localdate()
    title = metas(text, "citation_title")[0]
    version_date = metas(text, "citation_date")[0]  # 2026/12/02
    year = version_date[:4]

    assert metas(text, "citation_author") == ["Casebook"]
    assert metas(text, "DC.creator") == ["Casebook"]
    assert metas(text, "citation_publisher") == ["Casebook"]
    assert metas(text, "citation_public_url") == [cited]
    assert metas(text, "DC.identifier") == [cited]
    data = json_ld(text)
    assert (data["url"], data["name"], data["author"]["name"]) == (cited, title, "Casebook")
    assert data["dateModified"] == version_date.replace("/", "-")

    _, entry, pyb = bibtex(client, KENT_SWINDON)
    assert entry["url"] == cited
    assert entry["title"] == "{" + title + "}"
    assert entry["author"] == "{Casebook}"
    assert [str(person) for person in pyb.persons["author"]] == ["{Casebook}"]
    assert pyb.fields["date"] == version_date.replace("/", "-")
    assert pyb.fields["year"] == year
    assert entry["urldate"] == today.isoformat()

    _, record = ris(client, KENT_SWINDON)
    assert record["type_of_reference"] == "ELEC"
    assert record["authors"] == ["Casebook"]
    assert record["title"] == title
    assert record["urls"] == [cited]
    assert record["publisher"] == "Casebook"
    assert record["date"] == version_date
    assert record["access_date"] == today.strftime("%Y/%m/%d")

    item = csl(client, KENT_SWINDON)
    assert item["type"] == "webpage"
    assert item["URL"] == cited
    assert item["title"] == title
    assert item["author"] == [{"literal": "Casebook"}]
    assert item["publisher"] == "Casebook"
    assert item["issued"]["date-parts"] == [[int(part) for part in version_date.split("/")]]
    assert item["accessed"]["date-parts"] == [[today.year, today.month, today.day]]

    styles = cite_box(text)
    for key, line in styles.items():
        assert cited in line, key
        assert title in line or title.title() in line, key
        assert line.startswith("Casebook"), key
        assert year in line, key
    assert f"(Accessed: {uk(today)})" in styles["harvard"]


def test_citation_author_and_publisher_are_configurable(client, settings):
    settings.CASEBOOK_CITATION_AUTHOR = "Institute for Council Studies"
    settings.CASEBOOK_CITATION_PUBLISHER = "ICS Press"
    url = f.InterventionFactory().get_absolute_url()
    text = text_of(client, url)
    assert metas(text, "citation_author") == ["Institute for Council Studies"]
    assert metas(text, "DC.publisher") == ["ICS Press"]
    _, entry, _ = bibtex(client, url)
    assert entry["author"] == "{Institute for Council Studies}"
    _, record = ris(client, url)
    assert record["authors"] == ["Institute for Council Studies"]
    assert record["publisher"] == "ICS Press"
    assert csl(client, url)["author"] == [{"literal": "Institute for Council Studies"}]
    assert all(line.startswith("Institute for Council Studies") for line in cite_box(text).values())


def test_an_old_version_page_cites_that_version_in_every_form(client):
    intervention = f.InterventionFactory(title="First title")
    intervention.title = "Corrected title"
    intervention.save()
    old_url = f"{intervention.get_absolute_url()}versions/v1/"
    cited = SITE + old_url

    text = text_of(client, old_url)
    assert canonical(text) == cited
    assert metas(text, "citation_title") == ["First title"]
    assert metas(text, "citation_public_url") == [cited]
    assert json_ld(text)["url"] == cited
    assert all(cited in line for line in cite_box(text).values())
    # The downloads linked from the cite box are this page's own.
    assert 'href="?format=bibtex"' in text

    _, entry, _ = bibtex(client, old_url)
    assert (entry["url"], entry["title"]) == (cited, "{First title}")
    _, record = ris(client, old_url)
    assert (record["urls"], record["title"]) == ([cited], "First title")
    item = csl(client, old_url)
    assert (item["URL"], item["title"], item["version"]) == (cited, "First title", "1")

    # The current page cites the current version, not the old one.
    current = text_of(client, intervention.get_absolute_url())
    assert canonical(current) != cited
    assert metas(current, "citation_title") == ["Corrected title"]


def test_an_unknown_format_of_a_version_page_is_a_clear_400(client):
    intervention = f.InterventionFactory()
    response = client.get(f"{intervention.get_absolute_url()}versions/v1/?format=xml")
    assert response.status_code == 400
    assert "format=csl-json" in response.content.decode()


# Today's accessed date, whatever the cache holds ---------------------------------------------


def test_accessed_date_is_today_on_a_cache_hit_a_month_later(client):
    url = f.InterventionFactory().get_absolute_url()
    formats = ["", "?format=bibtex", "?format=ris", "?format=csl-json"]
    for fmt in formats:  # fill the page cache today
        assert get(client, url + fmt)["X-Casebook-Cache"] == "miss"
    later = timezone.now() + datetime.timedelta(days=31)
    day = timezone.localdate(later)
    with mock.patch("django.utils.timezone.now", return_value=later):
        responses = {fmt: get(client, url + fmt) for fmt in formats}
    assert {r["X-Casebook-Cache"] for r in responses.values()} == {"hit"}
    page = responses[""].content.decode()
    assert f"(Accessed: {uk(day)})" in cite_box(page)["harvard"]
    assert f"urldate = {{{day.isoformat()}}}" in responses["?format=bibtex"].content.decode()
    assert f"Y2  - {day:%Y/%m/%d}" in responses["?format=ris"].content.decode()
    item = json.loads(responses["?format=csl-json"].content)[0]
    assert item["accessed"]["date-parts"] == [[day.year, day.month, day.day]]
    assert "\ue000" not in page  # no stand-in is ever served


def test_styles_give_the_accessed_date_as_citeproc_would_render_it():
    """The stand-in filled in later reads exactly as the style renders the real date."""
    item = {
        "id": "x",
        "type": "webpage",
        "title": "A page",
        "author": [{"literal": "Casebook"}],
        "URL": "http://testserver/a/",
        "accessed": {"date-parts": [[2027, 1, 5]]},  # no issued date: every style shows it
    }
    for styled in citations.styled(item):
        filename = next(file for key, _, file in STYLES if key == styled.key)
        direct = citations._render(json.dumps(item, sort_keys=True), filename, html=False)
        filled = fill_accessed(styled.text.encode(), datetime.date(2027, 1, 5)).decode()
        assert filled == direct, styled.key


# Absolute URLs from the configured site address -----------------------------------------------


@pytest.mark.parametrize(
    "host", ["localhost:1", "LOCALHOST", "localhost.", "127.0.0.1:9", "evil.example"]
)
def test_a_request_with_an_odd_host_leaves_no_trace_for_the_next_visitor(client, settings, host):
    settings.ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1", "evil.example"]
    settings.CASEBOOK_SITE_URL = "https://casebook.example.org"
    intervention = f.InterventionFactory()
    url = intervention.get_absolute_url()
    urls = [
        url,
        url + "?format=json",
        url + "?format=bibtex",
        url + "?format=ris",
        url + "?format=csl-json",
        "/interventions/?format=json",
        intervention.source.get_absolute_url(),
        "/sitemap.xml",
    ]
    odd = host.split(":")[0].lower().rstrip(".")
    for address in urls:  # the poisoning request comes first, and fills the cache
        poisoned = text_of(client, address, HTTP_HOST=host)
        assert odd not in poisoned.lower(), address
    for address in urls:
        served = get(client, address)
        assert served["X-Casebook-Cache"] == "hit", address
        body = served.content.decode()
        assert odd not in body.lower(), address
        assert "testserver" not in body, address
        assert "https://casebook.example.org/" in body, address
    page = text_of(client, url)
    assert canonical(page).startswith(f"https://casebook.example.org{url}versions/")
    listing = json.loads(text_of(client, "/interventions/?format=json"))
    assert listing["results"][0]["url"].startswith("https://casebook.example.org/interventions/")


def test_list_pagination_links_use_the_site_address(client, settings, monkeypatch):
    from interventions.listing import ListPage

    monkeypatch.setattr(ListPage, "paginate_by", 1)
    settings.CASEBOOK_SITE_URL = "https://casebook.example.org"
    f.InterventionFactory.create_batch(3)
    first = json.loads(text_of(client, "/interventions/?format=json", HTTP_HOST="localhost:1"))
    assert first["next"].startswith("https://casebook.example.org/interventions/?")
    second = json.loads(text_of(client, first["next"].removeprefix("https://casebook.example.org")))
    assert second["previous"].startswith("https://casebook.example.org/interventions/?")


# Values on one line, in every format ---------------------------------------------------------


def test_a_line_break_in_a_title_cannot_forge_a_second_record(client):
    forged = "Northshire\r\nER  - \r\nTY  - JOUR\r\nTI  - Forged\u2028record\x07"
    url = f.InterventionFactory(title=forged, summary="Line one\nLine two\r\n").get_absolute_url()
    flat = "Northshire ER - TY - JOUR TI - Forged record"

    body, record = ris(client, url)
    assert record["title"] == flat
    assert record["type_of_reference"] == "ELEC"
    assert body.count("\r\nER  -") == 1
    lines = body.split("\r\n")
    assert lines[-2:] == ["ER  -", ""]
    assert [line for line in lines[:-2] if not re.fullmatch(r"[A-Z][A-Z0-9]  - \S.*", line)] == []

    _, entry, pyb = bibtex(client, url)
    assert entry["title"] == "{" + flat + "}"
    assert "\n" not in pyb.fields["title"]
    assert csl(client, url)["title"] == flat
    text = text_of(client, url)
    assert metas(text, "citation_title") == [flat]
    assert all(
        "forged record" in line.lower() and "\x07" not in line for line in cite_box(text).values()
    )


def test_a_title_cannot_inject_markup_into_the_cite_box(client):
    url = f.InterventionFactory(title="<img src=x onerror=alert(1)> & co").get_absolute_url()
    text = text_of(client, url)
    box = re.search(r'<section class="cite-box".*?</section>', text, re.S).group(0)
    assert "<img" not in box
    assert "&lt;img src=x onerror=alert(1)&gt; &amp; co" in box


# Cite the report ---------------------------------------------------------------------------


def test_source_page_cites_the_opm_report_as_printed(client, seeded):
    record_a_version(im.Source, "opm-2014-slough-childrens-social-care")
    text = text_of(client, OPM)
    cited = canonical(text)
    assert re.fullmatch(rf"{SITE}{OPM}versions/v\d+/", cited)
    # "Author: Hilary Thompson with Deborah Rozansky, Dave Hill and Helen Lincoln"; OPM;
    # "June 2014" on its cover; a report to the Department for Education.
    authors = ["Hilary Thompson", "Deborah Rozansky", "Dave Hill", "Helen Lincoln"]
    assert metas(text, "citation_author") == authors
    assert metas(text, "DC.creator") == authors
    assert metas(text, "citation_technical_report_institution") == ["OPM"]
    assert metas(text, "citation_date") == ["2014/06"]
    assert metas(text, "DC.type") == ["report"]
    assert metas(text, "citation_public_url") == [cited]
    data = json_ld(text)
    assert data["@type"] == "Report"
    assert [a["name"] for a in data["author"]] == authors
    assert data["datePublished"] == "2014-06"
    assert data["subjectOf"]["url"] == cited

    _, entry, pyb = bibtex(client, OPM)
    assert entry.entry_type == "techreport"
    assert entry["institution"] == "OPM"
    assert entry["type"] == "Report to Department for Education"
    assert (entry["year"], entry["month"]) == ("2014", "jun")
    assert entry["url"] == cited
    assert [str(p) for p in pyb.persons["author"]] == [
        "Thompson, Hilary",
        "Rozansky, Deborah",
        "Hill, Dave",
        "Lincoln, Helen",
    ]
    assert "Accessed via Casebook" in entry["note"]

    _, record = ris(client, OPM)
    assert record["type_of_reference"] == "RPRT"
    assert record["authors"] == [
        "Thompson, Hilary",
        "Rozansky, Deborah",
        "Hill, Dave",
        "Lincoln, Helen",
    ]
    assert record["publisher"] == "OPM"
    assert (record["year"], record["date"]) == ("2014", "2014/06")
    assert record["name_of_database"] == "Casebook"
    assert record["urls"] == [cited]

    item = csl(client, OPM)
    assert item["type"] == "report"
    assert item["issued"] == {"date-parts": [[2014, 6]]}
    assert item["publisher"] == "OPM"
    assert item["source"] == "Casebook"

    styles = cite_box(text)
    assert styles["harvard"].startswith("Thompson, H. et al. (2014) Slough Children's Social Care")
    assert styles["apa"].startswith(
        "Thompson, H., Rozansky, D., Hill, D., & Lincoln, H. (2014). Slough Children's"
    )
    assert all("OPM" in line and cited in line for line in styles.values())
    assert "Cite the report" in text
    assert f"Accessed via Casebook, version 1 of {uk(timezone.localdate())}: {cited}" in (
        html.unescape(text)
    )


def test_a_news_article_without_author_is_cited_as_an_article(client, seeded):
    text = text_of(client, STOKE_ARTICLE)
    assert metas(text, "citation_author") == []  # the article names no author
    assert metas(text, "citation_journal_title") == ["Community Care"]
    assert metas(text, "DC.type") == ["newspaperArticle"]
    _, entry, _ = bibtex(client, STOKE_ARTICLE)
    assert entry.entry_type == "article"
    assert (entry["journal"], entry["pages"]) == ("Community Care", "18")
    assert "author" not in entry.fields_dict
    assert "year" not in entry.fields_dict  # "13 March issue": no year printed, none invented
    _, record = ris(client, STOKE_ARTICLE)
    assert record["type_of_reference"] == "NEWS"
    assert record["secondary_title"] == "Community Care"
    assert "authors" not in record


def test_each_footnote_is_a_citation_of_its_report_and_locator(client, seeded):
    text = text_of(client, KENT_SWINDON)
    notes = re.findall(
        r'<li id="fn-(\d+)"[^>]*>\s*<span class="fn-citation">(.*?)</span>',
        text,
        re.S,
    )
    assert notes
    assert len(notes) == text.count('<li id="fn-')
    footnotes = {int(number): citation for number, citation in notes}
    first = footnotes[1]
    # The report's title links to its page; the whole line reads as a citation to copy.
    assert '<a href="/sources/kcc-cabinet-2008-kent-swindon-partnership/">' in first
    line = html.unescape(re.sub(r"<[^>]+>", "", first))
    assert line.startswith("Ferrin, K. and Mills, O. (2008) Kent/Swindon Partnership. ")
    assert "Report to Cabinet. Kent County Council, para 1(1)" in line
    for citation in footnotes.values():
        line = html.unescape(re.sub(r"<[^>]+>", "", citation))
        assert re.match(r"[A-Z][^()]*\((\d{4}|no date)\) ", line), line
        assert line.endswith((".", "?", "!")), line
