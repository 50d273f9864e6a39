"""A researcher copies a citation in the style their briefing uses, with or without JavaScript."""

import re

import pytest
from playwright.sync_api import Page, expect

from interventions.citations import STYLES

CASE_STUDY = "/interventions/kent-swindon-partnership/"
SOURCE = "/sources/opm-2014-slough-childrens-social-care/"


@pytest.fixture
def clipboard_page(browser, site):
    context = browser.new_context(base_url=site, permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    yield page
    context.close()


def read_clipboard(page: Page) -> str:
    return page.evaluate("navigator.clipboard.readText()")


@pytest.mark.parametrize("path", [CASE_STUDY, SOURCE])
@pytest.mark.parametrize("style", [key for key, _label, _file in STYLES])
def test_copy_button_copies_the_citation_in_each_style(clipboard_page: Page, site, path, style):
    page = clipboard_page
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and errors.append(message.text),
    )
    page.goto(site + path)
    citation = page.locator(f"#cite-{style}")
    expect(citation).to_be_visible()
    expected = " ".join(citation.inner_text().split())
    assert site + path in expected  # the address readers will follow
    button = page.locator(f'button[data-copy="cite-{style}"]')
    expect(button).to_be_visible()  # shown once the script (a file, allowed by the CSP) runs
    button.click()
    expect(page.locator("#cite .copy-status")).to_have_text("Citation copied.")
    assert " ".join(read_clipboard(page).split()) == expected
    assert errors == []  # no CSP refusal, no script error


def test_a_footnote_is_a_citation_to_select_and_copy(page: Page, site):
    page.goto(site + CASE_STUDY)
    citation = page.locator("#fn-1 .fn-citation")
    expect(citation).to_have_text(re.compile(r"^Ferrin, K\. and Mills, O\. \(2008\) Kent/Swindon"))
    citation.select_text()
    selected = page.evaluate("window.getSelection().toString()")
    assert " ".join(selected.split()) == " ".join(citation.inner_text().split())


@pytest.mark.parametrize("path", [CASE_STUDY, SOURCE])
def test_cite_box_has_no_accessibility_violations(site, page: Page, axe, path):
    page.goto(site + path)
    results = axe.run(page)
    violations = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
        for v in results.response["violations"]
    ]
    assert violations == [], "\n".join(violations)


def test_without_javascript_each_style_is_plain_text_to_select(site, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site + CASE_STUDY)
    for key, label, _file in STYLES:
        expect(page.locator("#cite dt", has_text=label)).to_be_visible()
        expect(page.locator(f"#cite-{key}")).to_contain_text(site + CASE_STUDY)
        expect(page.locator(f'button[data-copy="cite-{key}"]')).to_be_hidden()
    expect(page.locator("#cite-harvard")).to_contain_text(
        re.compile(r"Accessed: \d{1,2} \w+ \d{4}")
    )
    context.close()
