"""What every page carries besides its own content (issue 14, point 5): the footer, breadcrumbs,
filter chips (a bad value marked as not used), export links that say what they return and
answer, "Edit in admin" for staff, and the JSON lists' paging and ?size=all."""

import csv
import io
import re
from html import unescape

import pytest
from django.urls import reverse

from interventions.listing import ListPage
from interventions.models import Council, Intervention, Organisation, Person, Source
from ratings.models import Inspection

from . import factories as f

pytestmark = pytest.mark.django_db

LISTS = [
    "interventions:intervention-list",
    "interventions:council-list",
    "interventions:workstream-list",
    "interventions:organisation-list",
    "interventions:person-list",
    "interventions:source-list",
    "ratings:inspection-list",
    "ratings:statistic-list",
    "ratings:judgement-list",
    "ratings:spending-list",
    "ratings:outcome-list",
]


def page_kinds() -> dict[str, str]:
    """One address of every kind of page, on the seed data."""
    first = {
        model.__name__.lower(): model._default_manager.published().order_by("pk").first()
        for model in (Intervention, Council, Organisation, Person, Source, Inspection)
    }
    return {
        "home": reverse("home"),
        **{name: reverse(name) for name in LISTS},
        **{kind: obj.get_absolute_url() for kind, obj in first.items()},
        "compare": "/compare/?council=slough&council=swindon",
        "search": "/search/?q=partnership",
        "about": reverse("about"),
        "accessibility": reverse("accessibility"),
        "data": reverse("ratings:data"),
    }


def footer(html: str) -> str:
    start = html.index('<footer class="site-footer">')
    return html[start : html.index("</footer>", start)]


def links(html: str) -> dict[str, str]:
    """{link text: href} of the anchors in this HTML."""
    found = {}
    for href, inner in re.findall(r'<a [^>]*href="([^"]*)"[^>]*>(.*?)</a>', html, flags=re.S):
        found[unescape(re.sub(r"<[^>]+>", "", inner)).strip()] = unescape(href)
    return found


def chips(html: str) -> list[tuple[str, str, bool]]:
    """(text, href, marked bad) of each filter chip on a list page."""
    return [
        (unescape(text), unescape(href), "chip-bad" in classes)
        for classes, href, text in re.findall(
            r'<a class="(chip[^"]*)" href="([^"]*)"><span class="chip-text">(.*?)</span>', html
        )
    ]


def export_links(html: str) -> dict[str, str]:
    start = html.index('<p class="exports no-print">')
    return links(html[start : html.index("</p>", start)])


# The footer and breadcrumbs ------------------------------------------------------------------


def test_every_kind_of_page_has_the_footer_with_licence_and_contact(client, seeded, settings):
    settings.CASEBOOK_CONTACT_EMAIL = "desk@casebook.example.org"
    for kind, url in page_kinds().items():
        response = client.get(url)
        assert response.status_code == 200, (kind, url)
        html = footer(response.content.decode())
        found = links(html)
        assert found["About"] == "/about/", kind
        assert found["Licence"] == "/data/#licence", kind
        assert found["Accessibility statement"] == "/accessibility/", kind
        assert found["Data"] == "/data/", kind
        assert found["Contact"] == "mailto:desk@casebook.example.org", kind
        assert found["CC BY 4.0"] == "https://creativecommons.org/licenses/by/4.0/", kind
        assert 'rel="license"' in html, kind
        words = unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))
        assert "Casebook's own text and compilation" in words, kind
        assert "Contains data compiled by Casebook, licensed under CC BY 4.0" in words, kind


def test_the_footer_pages_answer_and_data_states_the_same_licence(client, seeded):
    for url in ("/about/", "/accessibility/"):
        assert client.get(url).status_code == 200
    data = client.get("/data/").content.decode()
    assert 'id="licence"' in data  # where the footer's Licence link lands
    assert "https://creativecommons.org/licenses/by/4.0/" in data
    assert "Contains data compiled by Casebook, licensed under CC BY 4.0" in unescape(data)


@pytest.mark.parametrize("name", LISTS)
def test_lists_have_breadcrumbs_home_then_the_list(client, seeded, name):
    html = client.get(reverse(name)).content.decode()
    start = html.index('<nav class="breadcrumbs no-print" aria-label="Breadcrumb">')
    crumbs = html[start : html.index("</nav>", start)]
    assert links(crumbs) == {"Home": "/"}
    title = re.search(r"<h1>(.*?)</h1>", html).group(1)
    assert f'<span aria-current="page">{title}</span>' in crumbs
    assert crumbs.index('href="/"') < crumbs.index("aria-current")


# Edit in admin -------------------------------------------------------------------------------


def detail_records():
    intervention = f.InterventionFactory()
    inspection = f.InspectionFactory(council=intervention.subject_council)
    return [intervention, intervention.subject_council, intervention.source, inspection]


def test_edit_in_admin_is_shown_to_signed_in_staff_only(client, django_user_model):
    records = detail_records()
    for obj in records:
        assert "Edit in admin" not in client.get(obj.get_absolute_url()).content.decode()
    member = django_user_model.objects.create_user("reader", password="x" * 16)
    client.force_login(member)
    for obj in records:
        assert "Edit in admin" not in client.get(obj.get_absolute_url()).content.decode()


def test_edit_in_admin_links_staff_to_the_records_own_change_page(client, django_user_model):
    staff = django_user_model.objects.create_superuser("curator", password="x" * 16)
    client.force_login(staff)
    for obj in detail_records():
        html = client.get(obj.get_absolute_url()).content.decode()
        href = re.search(r'<a href="([^"]*)">Edit in admin', html).group(1)
        meta = obj._meta
        assert href == f"/admin/{meta.app_label}/{meta.model_name}/{obj.pk}/change/"
        assert client.get(href).status_code == 200  # the change page of this very record
        assert str(obj) in client.get(href).content.decode()


# Filter chips, and a value the list cannot use -----------------------------------------------


def test_a_bad_filter_value_is_a_chip_marked_as_not_used(client):
    f.JudgementFactory.create_batch(2)
    html = client.get("/judgements/?framework=nonsense&grade=Adequate").content.decode()
    found = chips(html)
    assert (
        "Framework: nonsense — not a known value, ignored",
        "/judgements/?grade=Adequate",
        True,
    ) in found
    assert ("Grade: Adequate", "/judgements/?framework=nonsense", False) in found
    # Printed too: the print header says the value was not used.
    start = html.index('<p class="print-only print-state">')
    assert "Framework: nonsense — not a known value, ignored" in unescape(
        html[start : html.index("</p>", start)]
    )


def test_removing_the_bad_chip_gives_the_list_without_it(client):
    f.JudgementFactory.create_batch(2)
    bad = client.get("/judgements/?framework=nonsense").content.decode()
    [(_text, href, marked)] = chips(bad)
    assert marked
    assert href == "/judgements/"
    clean = client.get(href)
    assert clean.context["problems"] == []
    assert chips(clean.content.decode()) == []


def test_a_good_value_beside_a_bad_one_says_it_is_not_used_either(client):
    """The form refuses a filter with any unknown value as a whole: the good value's chip must
    not pretend the list is filtered by it."""
    f.JudgementFactory(inspection=f.InspectionFactory(framework="ofsted-sif"), grade="Good")
    f.JudgementFactory()  # ofsted-slac
    response = client.get("/judgements/?framework=ofsted-sif&framework=nonsense")
    assert response.context["paginator"].count == 2  # the framework filter was not applied
    found = {text: marked for text, href, marked in chips(response.content.decode())}
    assert found == {
        "Framework: Ofsted single inspection framework — ignored, because another Framework "
        "value is not known": True,
        "Framework: nonsense — not a known value, ignored": True,
    }


def test_a_bad_year_is_a_chip_marked_not_valid(client):
    f.InterventionFactory()
    html = client.get("/interventions/?year_from=abc").content.decode()
    [(text, href, marked)] = chips(html)
    assert text == "Started in or after: abc — not a valid value, ignored"
    assert marked
    assert href == "/interventions/"


def test_good_values_are_plain_chips(client):
    f.JudgementFactory()
    html = client.get("/judgements/?framework=ofsted-slac").content.decode()
    [(text, href, marked)] = chips(html)
    assert not marked
    assert "ignored" not in text
    assert href == "/judgements/"


# Export links --------------------------------------------------------------------------------


def test_export_links_leave_out_the_bad_value_and_answer(client):
    f.JudgementFactory.create_batch(3, grade="Adequate")
    f.JudgementFactory(grade="Good")
    html = client.get("/judgements/?framework=nonsense&grade=Adequate&sort=-year").content.decode()
    exports = export_links(html)
    assert set(exports) == {
        "CSV: all 3 rows",
        "JSON: pages of 50, each linking to the next",
        "JSON: all 3 rows at once",
    }
    for label, href in exports.items():
        assert "nonsense" not in href, label
        assert "framework" not in href, label
        assert "grade=Adequate" in href, label
        response = client.get("/judgements/" + href)
        assert response.status_code == 200, label
        if label.startswith("CSV"):
            body = b"".join(response.streaming_content) if response.streaming else response.content
            rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
            assert len(rows) == 3
        else:
            assert response["Content-Type"] == "application/json"
            assert len(response.json()["results"]) == 3


def test_export_links_leave_out_an_unknown_sort(client):
    f.JudgementFactory()
    html = client.get("/judgements/?sort=favourite").content.decode()
    for label, href in export_links(html).items():
        assert "sort" not in href, label
        assert client.get("/judgements/" + href).status_code == 200, label


# JSON lists: pages of 50 with next, or ?size=all up to a limit -------------------------------


def test_json_pages_of_50_with_an_absolute_next_null_on_the_last(client):
    f.JudgementFactory.create_batch(51)
    first = client.get("/judgements/?format=json&grade=Adequate").json()
    assert first["count"] == 51
    assert len(first["results"]) == 50
    assert first["previous"] is None
    assert first["next"].startswith("http://testserver/judgements/?")
    assert "page=2" in first["next"]
    assert "grade=Adequate" in first["next"]
    second = client.get(first["next"].removeprefix("http://testserver")).json()
    assert len(second["results"]) == 1
    assert second["next"] is None
    assert second["previous"].startswith("http://testserver/judgements/?")
    urls = {row["url"] for row in first["results"] + second["results"]}
    assert len(urls) == 51  # every row once


def test_json_size_all_returns_every_row_at_once(client):
    f.JudgementFactory.create_batch(51)
    data = client.get("/judgements/?format=json&size=all").json()
    assert data["count"] == 51
    assert len(data["results"]) == 51
    assert data["next"] is None
    assert data["previous"] is None
    paged = client.get("/judgements/?format=json").json()["results"]
    assert data["results"][:50] == paged  # the same rows, in the same order


def test_json_size_all_beyond_the_limit_is_a_400_pointing_to_the_csv(client, monkeypatch):
    monkeypatch.setattr(ListPage, "json_all_max", 3)
    f.JudgementFactory.create_batch(4, grade="Good")
    response = client.get("/judgements/?format=json&size=all&grade=Good")
    assert response.status_code == 400
    data = response.json()
    assert "more than the 3 that size=all answers" in data["errors"][0]
    assert "CSV" in data["errors"][0]
    assert data["csv"] == "http://testserver/judgements/?grade=Good&format=csv"
    assert client.get(data["csv"].removeprefix("http://testserver")).status_code == 200
    # The page no longer offers the all-at-once link, and says why.
    exports = export_links(client.get("/judgements/?grade=Good").content.decode())
    assert set(exports) == {
        "CSV: all 4 rows",
        "JSON: pages of 50, each linking to the next (all at once only up to 3 rows: for "
        "more, the CSV)",
    }


def test_json_size_other_than_all_is_a_clear_400(client):
    f.JudgementFactory()
    for query in ("size=10", "size=", "size=all&page=2"):
        response = client.get(f"/judgements/?format=json&{query}")
        assert response.status_code == 400, query
        assert response.json()["errors"], query


def test_size_does_not_change_the_html_or_csv(client):
    f.JudgementFactory.create_batch(51)
    page = client.get("/judgements/?size=all")
    assert page.status_code == 200
    assert len(page.context["rows"]) == 50
    assert page.context["problems"] == []
    exports = export_links(page.content.decode())
    assert "size" not in exports["JSON: pages of 50, each linking to the next"]
    assert "size" not in exports["CSV: all 51 rows"]
