"""Every kind of page in a real browser at phone and desktop widths (issue 14, point 5): no
sideways page scroll from 320 px, no axe-core violations on a phone, the "Show filters" fold,
chips that remove one filter only, and a printed list that says what it shows."""

import re

import pytest
from playwright.sync_api import Page, expect

# One address of every kind of page, on the seed data.
PAGES = {
    "home": "/",
    "intervention list": "/interventions/",
    "council list": "/councils/",
    "workstream list": "/workstreams/",
    "organisation list": "/organisations/",
    "people list": "/people/",
    "source list": "/sources/",
    "inspection list": "/inspections/",
    "statistic list": "/statistics/",
    "judgement list": "/judgements/",
    "spending list": "/spending/",
    "outcomes": "/outcomes/",
    "case study": "/interventions/kent-swindon-partnership/",
    "council": "/councils/swindon/",
    "organisation": "/organisations/ofsted/",
    "person": "/people/andrew-ireland/",
    "source": "/sources/opm-2014-slough-childrens-social-care/",
    "inspection": "/inspections/slough-ofsted-2011-slac/",
    "councils compared": "/compare/?council=slough&council=swindon",
    "interventions compared": (
        "/compare/?intervention=kent-swindon-partnership&intervention=stoke-serco-partnership"
    ),
    "search": "/search/?q=partnership",
    "about": "/about/",
    "accessibility": "/accessibility/",
    "data": "/data/",
}

# Two filters of the judgement list, each with values in the seed data.
FILTERED = "/judgements/?framework=ofsted-slac&council=slough"


def overflow(page: Page) -> int:
    """How far the page scrolls sideways (0 when it fits its window)."""
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def violations(axe, page: Page) -> list[str]:
    results = axe.run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
        for v in results.response["violations"]
    ]


@pytest.mark.parametrize("width", [320, 390, 1280])
def test_no_page_scrolls_sideways_and_none_has_axe_violations_on_a_phone(
    site, page: Page, axe, width
):
    """One load of every kind of page per width; axe-core runs on the 390 px load."""
    page.set_viewport_size({"width": width, "height": 800})
    wide, failing = {}, {}
    for name, path in PAGES.items():
        response = page.goto(site + path)
        assert response.status == 200, (name, response.status)
        if (extra := overflow(page)) > 0:
            wide[name] = extra
        if width == 390 and (found := violations(axe, page)):
            failing[name] = found
    assert wide == {}, f"pages wider than {width} px, by (px): {wide}"
    assert failing == {}, "\n".join(f"{name}: {found}" for name, found in failing.items())


def test_on_a_phone_show_filters_opens_the_filters(site, page: Page):
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(site + "/interventions/")
    toggle = page.locator("details.filters-toggle")
    summary = toggle.locator("summary")
    apply = page.get_by_role("button", name="Apply filters")
    # Folded away so the results come first, behind a button that says what it does.
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Show filters")
    expect(apply).to_be_hidden()
    summary.click()
    expect(toggle).to_have_attribute("open", "")
    expect(apply).to_be_visible()
    expect(summary).to_contain_text("Hide filters")
    # And at desktop width the filters are simply there, with no button.
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(site + "/interventions/")
    expect(page.locator("details.filters-toggle summary")).to_be_hidden()
    expect(page.get_by_role("button", name="Apply filters")).to_be_visible()


def chip_texts(page: Page) -> list[str]:
    return [text.strip() for text in page.locator(".chips .chip-text").all_inner_texts()]


def test_removing_a_chip_removes_only_that_filter(site, page: Page):
    page.goto(site + FILTERED)
    before = int(re.match(r"[\d,]+", page.locator(".results-count").inner_text()).group(0))
    texts = chip_texts(page)
    assert len(texts) == 2
    assert any(t.startswith("Council: Slough") for t in texts), texts
    framework = page.locator(".chips a.chip", has_text="Framework:")
    framework.click()
    expect(page).to_have_url(re.compile(r"/judgements/\?council=slough$"))
    remaining = chip_texts(page)
    assert len(remaining) == 1
    assert remaining[0].startswith("Council: Slough")
    assert page.locator("input[name=framework]:checked").count() == 0
    assert page.locator("input[name=council]:checked").count() == 1
    after = int(re.match(r"[\d,]+", page.locator(".results-count").inner_text()).group(0))
    assert after > before  # a wider list: Slough's judgements under its other framework too


def test_a_bad_filter_value_is_shown_as_not_used_and_can_be_removed(site, page: Page):
    page.goto(site + "/judgements/?framework=nonsense&council=slough")
    bad = page.locator(".chips a.chip-bad")
    expect(bad).to_have_count(1)
    expect(bad).to_contain_text("Framework: nonsense — not a known value, ignored")
    bad.click()
    expect(page).to_have_url(re.compile(r"/judgements/\?council=slough$"))
    expect(page.locator(".chips a.chip-bad")).to_have_count(0)
    [council] = chip_texts(page)
    assert council.startswith("Council: Slough")
    assert "ignored" not in council


def test_a_printed_list_states_its_filters_count_date_and_address(site, page: Page):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(site + FILTERED)
    count = page.locator(".results-count").inner_text()
    state = page.locator(".print-state")
    expect(state).to_be_hidden()  # on screen the chips say it
    page.emulate_media(media="print")
    expect(state).to_be_visible()
    text = state.inner_text()
    assert "2 filters applied" in text
    assert "Council: Slough" in text
    assert "Framework: Ofsted inspection of safeguarding and looked after children" in text
    rows = re.match(r"[\d,]+", count).group(0)
    assert f"{rows} row" in text
    assert re.search(r"Printed \d{1,2} \w+ \d{4} from ", text)
    address = re.search(r"from (\S+?)\s*$", text).group(1)
    assert address.startswith(f"{site}/judgements/?")
    assert "council=slough" in address
    assert "framework=ofsted-slac" in address
    # The filter form is not printed; every column of the table is.
    expect(page.locator("aside.filters")).to_be_hidden()
    headers = page.locator(".list-table thead th")
    for i in range(headers.count()):
        expect(headers.nth(i)).to_be_visible()
    right = page.locator(".list-table").evaluate("t => t.getBoundingClientRect().right")
    assert right <= page.evaluate("document.documentElement.clientWidth")


@pytest.mark.parametrize(
    ("path", "table"),
    [
        ("/interventions/kent-swindon-partnership/", "#money-heading ~ .table-scroll table"),
        ("/councils/swindon/", "#inspections-heading ~ .table-scroll table"),
        ("/people/julian-le-grand/", "#participations-heading ~ .table-scroll table"),
    ],
)
def test_a_detail_pages_tables_become_stacked_rows_on_a_phone(site, page: Page, path, table):
    """On a phone each row is a block: its heading, then each cell under its column's name;
    on a desktop the same table keeps its columns."""
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(site + path)
    cell = page.locator(f"{table} tbody td[data-label]").first
    assert cell.evaluate("td => getComputedStyle(td).display") == "grid"
    label = cell.get_attribute("data-label")
    assert cell.evaluate("td => getComputedStyle(td, '::before').content") == f'"{label}"'
    head = page.locator(f"{table} thead")
    assert head.evaluate("h => h.getBoundingClientRect().height") <= 1  # read by screen readers
    page.set_viewport_size({"width": 1280, "height": 800})
    assert cell.evaluate("td => getComputedStyle(td).display") == "table-cell"
