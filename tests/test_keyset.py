"""Keyset paging (issue #15, point 4): deep pages of a list are reached by a signed cursor in
the "next" and "previous" links, read with WHERE (sort key, id) and LIMIT, never OFFSET."""

import datetime
import re
from decimal import Decimal
from html import unescape
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.core import signing
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse

from config.pagekey import known_params
from interventions import keyset, listing
from interventions.models import OrganisationKind
from interventions.views.lists import CouncilList
from ratings.views.lists import InspectionList, SpendingList

from . import factories as f

pytestmark = pytest.mark.django_db

PAGE_SIZE = 3
NUMBERED = 2  # pages 1 and 2 by number, 3 onwards by cursor


@pytest.fixture
def small_pages(monkeypatch):
    """Pages of 3, numbered up to page 2: a list of 20-odd rows walks mostly by cursor."""
    monkeypatch.setattr(listing.ListPage, "paginate_by", PAGE_SIZE)
    monkeypatch.setattr(listing, "NUMBERED_PAGES", NUMBERED)


@pytest.fixture
def inspections():
    """Inspections with ties (shared councils, frameworks, years) and NULLs in every nullable
    sort column: no inspectorate, no year, no published date, no overall grade."""
    councils = [f.CouncilFactory(name=name) for name in ("Bexley", "Anglesey", "Croydon")]
    inspectorates = [
        f.OrganisationFactory(name=name, kind=OrganisationKind.INSPECTORATE)
        for name in ("Ofsted", "CSCI")
    ]
    grades = ["Inadequate", "Adequate", "Good", ""]
    for n in range(23):
        published = datetime.date(2010, 1 + n % 3, 1) if n % 4 else None
        f.InspectionFactory(
            council=councils[n % 3],
            title=f"Inspection {n % 7}",  # ties on the title too
            inspectorate=inspectorates[n % 2] if n % 5 else None,
            year=None if n % 6 == 0 else 2009 + n % 3,
            published_date=published,
            published_date_precision="month" if published else "",
            overall_grade=grades[n % 4],
        )


@pytest.fixture
def spending():
    """Money lines with tied and exact amounts, and some with no intervention (NULL)."""
    councils = [f.CouncilFactory(name=name) for name in ("Doncaster", "Birmingham")]
    interventions = [f.InterventionFactory(title=t) for t in ("Trust", "Commissioners")]
    for n in range(17):
        f.SpendingLineFactory(
            council=councils[n % 2],
            amount_gbp=Decimal("1000.50") * (n % 4),
            intervention=interventions[n % 2] if n % 3 else None,
            year=2010 + n % 2,
            period=f"{2010 + n % 2}/{11 + n % 2}",
        )


@pytest.fixture
def councils():
    """Councils sorted by counts of related rows (annotations): mostly ties at 0, some 1 or 2."""
    for n in range(19):
        council = f.CouncilFactory(name=f"Council {n}", region=["london", "south-west"][n % 2])
        for _ in range(n % 3 if n % 4 else 0):
            f.InspectionFactory(council=council)


def json_walk(client, url, sort):
    """Every page of the JSON by its `next` links: (urls of the rows, addresses visited)."""
    answer = client.get(url, {"format": "json", "sort": sort})
    assert answer.status_code == 200, answer.content
    pages, rows = [answer.json()], []
    while pages[-1]["next"]:
        response = client.get(pages[-1]["next"])
        assert response.status_code == 200, response.content
        pages.append(response.json())
    for page in pages:
        rows += [row["url"] for row in page["results"]]
    return rows, pages


def every_row(client, url, sort, **filters):
    query = {"format": "json", "sort": sort, "size": "all", **filters}
    answer = client.get(url, query).json()
    return [row["url"] for row in answer["results"]]


def sorts_of(view):
    keys = list(view().sort_columns())
    return [*keys, *(f"-{key}" for key in keys)]


@pytest.mark.parametrize(
    ("view", "route", "fixture"),
    [
        (InspectionList, "ratings:inspection-list", "inspections"),
        (SpendingList, "ratings:spending-list", "spending"),
        (CouncilList, "interventions:council-list", "councils"),
    ],
)
def test_next_links_visit_every_row_once_in_order_for_every_sort(
    client, small_pages, request, view, route, fixture
):
    request.getfixturevalue(fixture)
    url = reverse(route)
    for sort in sorts_of(view):
        expected = every_row(client, url, sort)
        assert len(expected) == len(set(expected)) > 15
        rows, pages = json_walk(client, url, sort)
        assert rows == expected, sort  # every row, once, in the list's own order
        assert all(len(page["results"]) == PAGE_SIZE for page in pages[:-1]), sort
        assert "page=2" in pages[0]["next"]
        assert "cursor=" in pages[1]["next"]
        assert "page=" not in pages[1]["next"]
        # ...and back again by `previous`, page for page.
        back = [pages[-1]]
        while back[-1]["previous"]:
            back.append(client.get(back[-1]["previous"]).json())
        assert [page["results"] for page in reversed(back)] == [p["results"] for p in pages]
        assert "page=2" in back[-3]["previous"]
        assert "page=1" in back[-2]["previous"]


def test_nulls_come_last_both_ways(client, small_pages, inspections):
    url = reverse("ratings:inspection-list")
    for sort in ("year", "-year", "inspectorate", "-inspectorate", "published", "-published"):
        _, pages = json_walk(client, url, sort)
        key = {"year": "year", "inspectorate": "inspectorate", "published": "published"}
        values = [row[key[sort.lstrip("-")]] for page in pages for row in page["results"]]
        blanks = [v in (None, "") for v in values]
        assert any(blanks)
        assert not all(blanks)
        assert blanks == sorted(blanks), sort  # every blank after every value
        filled = [v for v in values if v not in (None, "")]
        assert filled == sorted(filled, reverse=sort.startswith("-")), sort


def test_filters_are_kept_in_the_cursor_links(client, small_pages, inspections):
    url = reverse("ratings:inspection-list")
    slug = f.im.Council.objects.get(name="Anglesey").slug
    page = client.get(url, {"format": "json", "council": slug, "sort": "-year"}).json()
    rows = [row["url"] for row in page["results"]]
    while page["next"]:
        assert f"council={slug}" in page["next"]
        page = client.get(page["next"]).json()
        rows += [row["url"] for row in page["results"]]
    expected = every_row(client, url, "-year", council=slug)
    assert rows == expected
    assert len(rows) == 8


def test_html_pager_links_carry_the_cursor(client, small_pages, inspections):
    url = reverse("ratings:inspection-list")
    response = client.get(url, {"sort": "year", "page": "2"})
    html = response.content.decode()
    next_href = unescape(re.search(r'<a href="([^"]+)" rel="next"', html).group(1))
    assert "cursor=" in next_href
    assert "sort=year" in next_href
    deep = client.get(url + next_href)
    assert deep.status_code == 200
    assert deep.context["page_obj"].number == 3
    assert ", page 3 of 8" in deep.content.decode()
    previous = unescape(re.search(r'<a href="([^"]+)" rel="prev"', deep.content.decode()).group(1))
    assert parse_qs(urlsplit(previous).query)["page"] == ["2"]
    # The sort links and the exports start again from the first page.
    assert "cursor" not in "".join(link["url"] for link in deep.context["exports"])
    assert 'href="?sort=-year"' in deep.content.decode()


def deep_cursor(client, url, sort, pages):
    """The `next` address after walking this many pages by their links."""
    page = client.get(url, {"format": "json", "sort": sort}).json()
    for _ in range(pages - 1):
        page = client.get(page["next"]).json()
    return page["next"]


def test_a_deep_page_costs_no_offset_and_a_fixed_number_of_queries(
    client, small_pages, inspections, django_assert_num_queries
):
    url = reverse("ratings:inspection-list")
    # Walking there counted the list once (cached); page 6 itself is not in the page cache.
    address = deep_cursor(client, url, "-published", 5)
    # The data version, the page's ids and sort keys, its rows: no COUNT, no OFFSET.
    with CaptureQueriesContext(connection) as captured, django_assert_num_queries(3):
        answer = client.get(address).json()
    assert len(answer["results"]) == PAGE_SIZE
    sql = " ".join(query["sql"] for query in captured.captured_queries).upper()
    assert "OFFSET" not in sql
    assert "COUNT(" not in sql
    assert "LIMIT 4" in sql  # the page and one row more, to know whether another follows

    # The HTML page the same: besides the facets' counts, no OFFSET anywhere.
    html_address = address.replace("format=json&", "").replace("&format=json", "")
    client.get(reverse("ratings:inspection-list"), {"sort": "-published"})  # facets counted
    # The data version, the page's ids and sort keys, its rows: the count and the facets'
    # counts come from the cache, as they do for any page of the list after the first.
    with CaptureQueriesContext(connection) as captured, django_assert_num_queries(3):
        response = client.get(html_address)
    assert response.status_code == 200
    assert response.context["page_obj"].number == 6
    assert not any("OFFSET" in q["sql"].upper() for q in captured.captured_queries)


def test_the_csv_streams_without_offset(client, inspections):
    url = reverse("ratings:inspection-list")
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, {"format": "csv", "sort": "-year"})
        body = b"".join(response.streaming_content).decode()
    assert body.count("\n") == 23 + 1
    assert not any("OFFSET" in q["sql"].upper() for q in captured.captured_queries)


def tampered(address: str) -> str:
    """The same address with the cursor's last three characters changed."""
    parts = urlsplit(address)
    query = parse_qs(parts.query)
    value = query["cursor"][0]
    query["cursor"] = [value[:-3] + ("AAA" if not value.endswith("AAA") else "BBB")]
    return f"{parts.path}?{urlencode(query, doseq=True)}"


def test_a_tampered_cursor_shows_page_one_with_a_notice(client, small_pages, inspections):
    url = reverse("ratings:inspection-list")
    address = deep_cursor(client, url, "year", 3)
    json_answer = client.get(tampered(address))
    assert json_answer.status_code == 400
    assert "changed or cut short" in json_answer.json()["errors"][0]
    html = client.get(tampered(address).replace("format=json", "format=html"))
    assert html.status_code == 200
    assert html.context["page_obj"].number == 1
    assert any("changed or cut short" in p for p in html.context["problems"])
    assert "changed or cut short" in html.content.decode()
    # Beside a page number, only the cursor is complained of: page 1 is shown.
    both = client.get(url, {"cursor": "x", "page": "2"})
    assert both.context["page_obj"].number == 1
    assert len(both.context["problems"]) == 1
    for junk in ("", "x", "not-a-cursor:abc", "%00", "a" * 5000):
        assert client.get(url, {"format": "json", "cursor": junk}).status_code == 400
        assert client.get(url, {"cursor": junk}).status_code == 200


def test_a_cursor_for_another_sort_filter_or_list_is_refused(client, small_pages, inspections):
    url = reverse("ratings:inspection-list")
    address = deep_cursor(client, url, "year", 3)
    cursor = parse_qs(urlsplit(address).query)["cursor"][0]
    for other_url, query in [
        (url, {"sort": "-year"}),  # another sort
        (url, {"sort": "year", "framework": "ofsted-slac"}),  # other filters
        (reverse("ratings:judgement-list"), {"sort": "year"}),  # another list
    ]:
        answer = client.get(other_url, {**query, "format": "json", "cursor": cursor})
        assert answer.status_code == 400, other_url
        assert "different sort or different filters" in answer.json()["errors"][0]
        page = client.get(other_url, {**query, "cursor": cursor})
        assert page.status_code == 200
        assert page.context["page_obj"].number == 1
        assert any("different sort" in p for p in page.context["problems"])


def test_a_signed_cursor_of_the_wrong_shape_is_refused(client, small_pages, inspections):
    """Signed with our key but not a cursor (another use of signing): a message, no 500."""
    url = reverse("ratings:inspection-list")
    for payload in ({"a": 1}, [1, 2], ["x", "3", "n", None, 1], "text"):
        text = signing.dumps(payload, salt=keyset.SALT)
        answer = client.get(url, {"format": "json", "cursor": text})
        assert answer.status_code == 400
        assert answer.json()["errors"]
    where = InspectionList()
    where.request = client.get(url).wsgi_request
    for value in (["d", "not a date"], ["zz", 1], "plain"):
        text = signing.dumps(
            [where.cursor_scope("council"), 3, "n", value, 1], salt=keyset.SALT, compress=True
        )
        answer = client.get(url, {"format": "json", "cursor": text})
        assert answer.status_code == 400, value
        assert "could not be read" in answer.json()["errors"][0]


def test_a_cursor_past_rows_that_are_gone_starts_again(client, small_pages, inspections):
    url = reverse("ratings:inspection-list")
    address = deep_cursor(client, url, "council", 7)  # the last page: rows 22 and 23
    from ratings.models import Inspection

    last = client.get(address).json()["results"]
    assert len(last) == 2
    gone = {row["url"] for row in last}
    for inspection in Inspection.objects.all():
        if f"http://testserver{inspection.get_absolute_url()}" in gone:
            inspection.delete()
    answer = client.get(address)
    assert answer.status_code == 400
    assert "no rows are left" in answer.json()["errors"][0]


def test_the_cursor_is_part_of_the_page_cache_key(client, small_pages, inspections):
    match = resolve(reverse("ratings:inspection-list"))
    assert "cursor" in known_params(match)
    url = reverse("ratings:inspection-list")
    address = deep_cursor(client, url, "year", 3)
    first = client.get(url, {"format": "json", "sort": "year"}).json()["results"]
    third = client.get(address).json()["results"]
    again = client.get(address).json()["results"]  # from the page cache
    assert third == again != first  # the cursor's page, not page 1 under the cursor's key


def test_size_all_refuses_a_cursor(client, small_pages, inspections):
    url = reverse("ratings:inspection-list")
    address = deep_cursor(client, url, "year", 3)
    answer = client.get(address + "&size=all")
    assert answer.status_code == 400
    assert "leave page and cursor out" in answer.json()["errors"][0]


@pytest.mark.parametrize(
    "value",
    [None, True, False, 7, Decimal("1000.50"), datetime.date(2010, 3, 1), "Croydon", 1.5],
)
def test_sort_values_come_back_as_they_went(value):
    decoded = keyset.decode_value(keyset.encode_value(value))
    assert decoded == value
    assert type(decoded) is type(value)
