"""A researcher reads a case study, cites it, and every kind of page passes axe-core."""

import re

import pytest
from playwright.sync_api import Page, expect

PAGES = {
    "home": "/",
    "intervention list": "/interventions/",
    "intervention list, filtered": "/interventions/?kind=partnership&sort=-start",
    "case study": "/interventions/kent-swindon-partnership/",
    "council list": "/councils/",
    "council": "/councils/slough/",
    "council with star ratings": "/councils/swindon/",
    "inspection": "/inspections/slough-ofsted-2011-slac/",
    "judgement list": "/judgements/",
    "spending list": "/spending/",
    "workstream list": "/workstreams/",
    "source list": "/sources/",
    "source": "/sources/opm-2014-slough-childrens-social-care/",
    "search": "/search/?q=Swindon",
    "open data": "/data/",
    "bad filter": "/spending/?amount_min=lots",
    "not found": "/interventions/no-such-case/",
}


@pytest.mark.parametrize("name", PAGES)
def test_axe_finds_no_accessibility_violations(site, page: Page, axe, name):
    page.goto(site + PAGES[name])
    results = axe.run(page)
    violations = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
        for v in results.response["violations"]
    ]
    assert violations == [], "\n".join(violations)


def test_case_study_shows_footnoted_facts_and_where_sources_differ(site, page: Page):
    page.goto(f"{site}/interventions/kent-swindon-partnership/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kent")
    expect(page.locator("main")).to_contain_text("October 2004")
    expect(page.locator("main")).to_contain_text("Sources differ")
    # A footnote marker leads to its note, which names the report and the place in it.
    marker = page.locator("main sup a").first
    target = marker.get_attribute("href")
    marker.click()
    expect(page).to_have_url(re.compile(re.escape(target) + "$"))
    note = page.locator(target)
    expect(note).to_be_visible()
    expect(note.locator("a[href^='/sources/']").first).to_be_visible()


def test_open_the_citation_and_download_bibtex_and_ris(site, page: Page):
    page.goto(f"{site}/interventions/kent-swindon-partnership/")
    cite = page.locator("#cite")
    expect(cite).to_contain_text("Casebook")
    expect(cite).to_contain_text(f"{site}/interventions/kent-swindon-partnership/")
    expect(cite).to_contain_text(re.compile(r"Accessed: \d{1,2} \w+ \d{4}"))
    with page.expect_download() as bib:
        cite.get_by_role("link", name=re.compile("BibTeX")).click()
    text = bib.value.path().read_text(encoding="utf-8")
    assert text.startswith("@misc{")
    assert "kent-swindon-partnership" in text
    with page.expect_download() as ris:
        cite.get_by_role("link", name=re.compile("RIS")).click()
    text = ris.value.path().read_text(encoding="utf-8")
    assert text.startswith("TY  - ")
    assert "\nER  -" in text
    # Reference managers read the head.
    assert page.locator('meta[name="citation_title"]').get_attribute("content")
    assert page.locator('link[rel="canonical"]').get_attribute("href") == (
        f"{site}/interventions/kent-swindon-partnership/"
    )


def test_charts_have_a_text_alternative_and_a_table(site, page: Page):
    page.goto(f"{site}/councils/slough/")
    charts = page.locator("svg[role=img]")
    assert charts.count() >= 2
    for i in range(charts.count()):
        assert charts.nth(i).locator("title").first.text_content().strip()
    # the money figures themselves (a second table counts them by year: "How many …")
    figures = page.locator("table caption").filter(has_text=re.compile(r"^Money figures for"))
    expect(figures).to_be_visible()


def test_case_study_prints_without_navigation(site, page: Page):
    page.goto(f"{site}/interventions/kent-swindon-partnership/")
    page.emulate_media(media="print")
    expect(page.locator(".site-header nav")).to_be_hidden()
    expect(page.locator("main sup a").first).to_be_visible()
    pdf = page.pdf(format="A4")
    assert pdf[:4] == b"%PDF"
    assert len(pdf) > 10_000


def test_pages_work_without_javascript(site, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{site}/judgements/")
    page.get_by_role("group", name="Framework").get_by_role("checkbox").first.check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"framework="))
    context.close()
