"""A researcher follows a cited version after a correction, and reads the list of corrections."""

import io
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from interventions import recording

CASE_STUDY = "/interventions/kent-swindon-partnership/"


def axe_violations(axe, page: Page) -> list[str]:
    results = axe.run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
        for v in results.response["violations"]
    ]


@pytest.fixture
def corrected(site):
    """Kent–Swindon cited at version 1, then a money line corrected with a reason."""
    from django.core.management import call_command

    from interventions.models import Intervention

    # The seed's history, as `seed` writes it (the restored rows have none).
    call_command("populate_history", auto=True, stdout=io.StringIO(), stderr=io.StringIO())
    intervention = Intervention.objects.get(slug="kent-swindon-partnership")
    with recording.batch():
        intervention.save()  # version 1, as cited
    line = intervention.spending_lines.order_by("pk").first()
    old = line.as_printed
    with recording.batch():
        line.as_printed = "£999k"
        line.amount_gbp = Decimal("999000")
        line._change_reason = "Amount corrected from the report's table"
        line.save()
    return old


@pytest.mark.parametrize("width", [390, 1280])
def test_the_cited_version_shows_what_was_read_and_says_what_changed(
    site, page: Page, axe, corrected, width
):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(site + CASE_STUDY)
    expect(page.locator(".notice-corrected")).to_contain_text(
        "Amount corrected from the report's table"
    )
    page.locator(".changes a", has_text="Version 1").click()
    assert page.url == f"{site}{CASE_STUDY}versions/v1/"
    banner = page.locator(".notice-changed")
    expect(banner).to_contain_text("Version 1 of")
    expect(banner).to_contain_text("This record has changed since:")
    expect(banner).to_contain_text("Money: amount (£), as printed")
    money = page.locator("#money-heading").locator("xpath=..")
    expect(money).to_contain_text(corrected)
    expect(money).not_to_contain_text("£999k")
    expect(page.locator("#footnotes-heading")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    assert axe_violations(axe, page) == []
    banner.get_by_role("link", name="Read the current version").click()
    assert page.url == site + CASE_STUDY


def test_changes_lists_the_correction_and_filters_by_kind(site, page: Page, axe, corrected):
    page.goto(site + "/changes/")
    row = page.locator("table.changes-list tbody tr").first
    expect(row).to_contain_text("Kent–Swindon improvement partnership")
    expect(row).to_contain_text("Amount corrected from the report's table")
    assert axe_violations(axe, page) == []
    page.select_option("#changes-kind", "council")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("p", has_text="0 corrections")).to_be_visible()
    page.select_option("#changes-kind", "intervention")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("table.changes-list tbody tr")).to_have_count(1)
    page.locator("table.changes-list a", has_text="version 2").click()
    expect(page.locator(".notice")).to_contain_text("This is the current version of this record")


@pytest.mark.parametrize("width", [390, 1280])
def test_a_council_version_is_the_council_page_as_it_stood(site, page: Page, axe, width):
    """Swindon's page cited at a version, then a spending figure corrected: the cited version
    still shows the inspection chart, the old figure and every section of the live page."""
    from django.core.management import call_command

    from interventions.models import Council

    call_command("populate_history", auto=True, stdout=io.StringIO(), stderr=io.StringIO())
    council = Council.objects.get(slug="swindon")
    with recording.batch():
        council.also_known_as = "Swindon Borough Council"
        council.save()
    cited = f"{site}{council.get_absolute_url()}versions/v1/"
    line = council.spending_lines.order_by("pk").first()
    old = line.as_printed
    with recording.batch():
        line.as_printed = "£999k"
        line.amount_gbp = Decimal("999000")
        line.save()

    page.set_viewport_size({"width": width, "height": 900})
    page.goto(cited)
    expect(page.locator(".notice")).to_contain_text("Version 1 of")
    spending = page.locator("#spending-heading").locator("xpath=..")
    expect(spending).to_contain_text(old)
    expect(spending).not_to_contain_text("£999k")
    headings = page.locator("article h2").all_inner_texts()
    for heading in ("About the council", "Interventions", "Inspection history", "Spending"):
        assert heading in headings
    expect(page.locator("#inspections-heading ~ figure.chart svg").first).to_be_visible()
    expect(page.locator("#footnotes-heading")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    assert axe_violations(axe, page) == []
    page.goto(site + council.get_absolute_url())
    expect(page.locator("#spending-heading").locator("xpath=..")).to_contain_text("£999k")
