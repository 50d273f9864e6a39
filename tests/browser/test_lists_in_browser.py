"""A researcher filters, sorts, exports and follows results, in a real browser."""

import csv
import io
import re

from playwright.sync_api import Page, expect


def test_filter_the_interventions_list_with_the_form(site, page: Page):
    page.goto(f"{site}/interventions/")
    total = int(page.locator(".results-count").inner_text().split()[0])
    page.get_by_role("group", name="Kind").get_by_label(
        re.compile(r"Outsourcing to a provider")
    ).check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"kind=outsourcing"))
    filtered = int(page.locator(".results-count").inner_text().split()[0])
    assert 0 < filtered < total
    kinds = page.locator("table.list-table tbody tr td:nth-child(3)").all_inner_texts()
    assert set(kinds) == {"Outsourcing to a provider"}
    # The filter survives a reload: the page is its own permalink.
    page.reload()
    expect(
        page.get_by_role("group", name="Kind").get_by_label(
            re.compile(r"Outsourcing to a provider")
        )
    ).to_be_checked()


def test_sort_by_a_column_and_back(site, page: Page):
    page.goto(f"{site}/interventions/")
    page.locator("thead").get_by_role("link", name=re.compile(r"^Intervention")).click()
    titles = page.locator("table.list-table tbody tr td:first-child").all_inner_texts()
    assert titles == sorted(titles, key=str.lower) or titles == sorted(titles)
    expect(page.locator("th[aria-sort=ascending]")).to_contain_text("Intervention")
    page.locator("thead").get_by_role("link", name=re.compile(r"^Intervention")).click()
    expect(page.locator("th[aria-sort=descending]")).to_contain_text("Intervention")
    descending = page.locator("table.list-table tbody tr td:first-child").all_inner_texts()
    assert descending == list(reversed(titles))


def test_follow_a_result_to_its_case_study(site, page: Page):
    page.goto(f"{site}/interventions/?q=Swindon")
    link = page.locator("table.list-table tbody tr td:first-child a").first
    title = link.inner_text()
    link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)


def test_download_the_filtered_csv(site, page: Page):
    page.goto(f"{site}/spending/?council=slough")
    shown = int(page.locator(".results-count").inner_text().split()[0])
    with page.expect_download() as download_info:
        page.get_by_role("link", name=f"CSV: all {shown} rows").click()
    download = download_info.value
    assert download.suggested_filename.startswith("casebook-spending-")
    text = download.path().read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == shown > 0
    assert {row["Council"] for row in rows} == {"Slough Borough Council"}
    assert all(row["Casebook URL"].startswith(site) for row in rows)


def test_a_bad_filter_value_is_explained_on_the_page(site, page: Page):
    page.goto(f"{site}/spending/?amount_min=lots")
    expect(page.get_by_role("alert")).to_contain_text("could not be used")
    expect(page.locator(".field-error")).to_contain_text("Enter a number")


def test_search_from_the_home_page(site, page: Page):
    page.goto(site)
    page.get_by_label("Search Casebook").fill("Serco")
    page.get_by_label("Search Casebook").press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=Serco"))
    expect(page.locator(".search-results")).to_contain_text("Serco")


def test_keyboard_only_skip_link_filter_and_submit(site, page: Page):
    page.goto(f"{site}/interventions/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    # Tab forward until a facet checkbox has focus, tick it with the space bar, submit with Enter.
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.type") == "checkbox":
            break
    else:
        raise AssertionError("no checkbox reachable by keyboard")
    name = page.evaluate("document.activeElement.name")
    value = page.evaluate("document.activeElement.value")
    page.keyboard.press("Space")
    assert page.evaluate("document.activeElement.checked") is True
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"{name}={re.escape(value)}"))
    # Focus is visible: the focused element draws an outline.
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
