"""People as records of their own: the /people/ list, the person page, the seed and the admin."""

import csv
import html
import io
import re
from pathlib import Path

import bibtexparser
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from interventions.models import Participant, Person, Post
from interventions.versions import record_versions

from . import factories as f
from .test_edit_conflicts import curator_client, opened_form

pytestmark = pytest.mark.django_db

LIST = "/people/"
SEEDS = Path(settings.BASE_DIR).parent / "shared" / "seeds"


def text(response) -> str:
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def csv_rows(client, url, **params) -> list[dict]:
    response = client.get(url, {**params, "format": "csv"})
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(body)))


def names(client, **params) -> list[str]:
    data = client.get(LIST, {**params, "format": "json", "size": "all"}).json()
    assert data["count"] == len(data["results"])
    return [row["name"] for row in data["results"]]


def facet_counts(page: str, param: str) -> dict[str, int]:
    found = re.findall(
        rf'name="{param}" value="([^"]+)"[^>]*> [^<]*<span class="count">\((\d+)\)</span>', page
    )
    return {value: int(n) for value, n in found}


def seed_text() -> str:
    raw = "\n".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))
    return " ".join(raw.replace("’", "'").replace("‘", "'").split())


# The seed ---------------------------------------------------------------------------------


def test_every_named_participant_is_linked_to_a_person_of_the_same_name(seeded):
    named = Participant.objects.exclude(person_name="")
    assert named.count() == 27
    assert not named.filter(person__isnull=True).exists()
    for participant in named.select_related("person"):
        assert participant.person.name == participant.person_name
    assert Person.objects.count() == 25


@pytest.mark.skipif(not SEEDS.exists(), reason="the source reports are outside the repository")
def test_names_variants_and_post_titles_are_as_the_reports_print_them(seeded):
    reports = seed_text()
    for person in Person.objects.all():
        for printed in (person.name, *person.variant_list):
            assert printed in reports, printed
    for post in Post.objects.all():
        assert post.title.replace("’", "'") in reports, post.title


def test_odd_names_are_kept_exactly_as_printed(seeded):
    assert Person.objects.filter(name="Isabelle trawler").exists()
    assert Person.objects.filter(name="Dame Moira Gib").exists()
    newsam = Person.objects.get(slug="malcolm-newsam")
    assert newsam.variant_list == ["Malcom Newsam"]
    assert Person.objects.get(slug="liz-railton").variant_list == ["Liz Railton CBE"]


def test_a_post_has_dates_only_where_the_report_prints_them(seeded):
    acting = Post.objects.get(person__slug="andrew-ireland", position=1)
    assert (acting.start_display, acting.end_display) == ("April 2005", "December 2005")
    assert acting.council.slug == "swindon"
    dated = Post.objects.exclude(start_date=None)
    assert sorted(p.person.slug for p in dated) == [
        "andrew-ireland",
        "jenny-whittle",  # "In February", its year 2011 read from context and marked so
        "malcolm-newsam",
    ]
    (inferred,) = dated.filter(start_date_year_inferred=True)
    assert inferred.start_display == "February [2011]"


# The list ---------------------------------------------------------------------------------


def test_the_people_list_names_everyone_with_facets_and_counts(client, seeded):
    page = text(client.get(LIST))
    assert "25 results" in page
    assert '<a href="/people/julian-le-grand/">Professor Julian Le Grand</a>' in page
    roles = facet_counts(page, "role")
    assert roles["reviewer"] == 10
    assert roles["chair"] == 1
    assert facet_counts(page, "organisation")["serco"] == 1


def test_facet_counts_follow_the_other_filters(client, seeded):
    page = text(client.get(LIST, {"council": "kent"}))
    assert "5 results" in page
    assert facet_counts(page, "role") == {"leadership": 5}


def test_filters_by_role_organisation_council_and_posts(client, seeded):
    assert names(client, organisation="serco") == ["Elaine Simpson"]
    assert names(client, role="chair") == ["Liz Railton"]
    kent = names(client, council="kent")
    assert kent == [
        "Andrew Ireland",
        "Jenny Whittle",
        "Keith Ferrin",
        "Malcolm Newsam",
        "Oliver Mills",
    ]
    # Andrew Ireland held two posts at Swindon: listed once.
    assert names(client, council="swindon") == ["Andrew Ireland", "Graham Pearson"]
    without = names(client, posts="no")
    assert "Professor Julian Le Grand" in without
    assert "Andrew Ireland" not in without
    assert len(without) + len(names(client, posts="yes")) == 25
    assert names(client, q="malcom") == ["Malcolm Newsam"]  # found by a variant


def test_sorting_by_posts_puts_the_most_first(client, seeded):
    data = client.get(LIST, {"sort": "-posts", "format": "json"}).json()
    assert data["results"][0]["name"] == "Andrew Ireland"
    assert data["results"][0]["posts"] == 3


def test_csv_and_json_hold_the_same_filtered_rows(client, seeded):
    params = {"role": "reviewer", "sort": "name"}
    rows = csv_rows(client, LIST, **params)
    data = client.get(LIST, {**params, "format": "json"}).json()
    assert data["count"] == len(rows) == 10
    assert [r["Casebook URL"] for r in rows] == [r["url"] for r in data["results"]]
    assert rows[0]["Name as printed"] == "Alan Wood"
    assert rows[0]["Where in the source"] == (
        "Criteria and options: Options, Main options, footnote 7"
    )


@pytest.mark.parametrize(
    ("param", "value"),
    [("role", "juggler"), ("posts", "maybe"), ("council", "atlantis"), ("organisation", "nobody")],
)
def test_a_bad_filter_value_is_a_message_not_an_error(client, seeded, param, value):
    page = text(client.get(LIST, {param: value}))
    assert "could not be used" in page
    for fmt in ("csv", "json"):
        assert client.get(LIST, {param: value, "format": fmt}).status_code == 400
    assert "could not be used" in text(client.get(LIST, {"sort": "height"}))


# A list: the data version, the count, the page's rows, one query per facet (on PostgreSQL
# each facet's count also sets and restores its time limit in a savepoint: five more), and
# the council and organisation choices of the filter form.
def test_the_people_list_costs_a_fixed_number_of_queries(client, seeded, django_assert_num_queries):
    facets = 2 * (6 if connection.vendor == "postgresql" else 1)
    with django_assert_num_queries(5 + facets):
        assert client.get(LIST).status_code == 200


# The person page ----------------------------------------------------------------------------


def test_a_person_named_in_two_reviews_links_both_interventions(client, seeded):
    page = text(client.get("/people/julian-le-grand/"))
    assert "<h1>Professor Julian Le Grand</h1>" in page
    assert 'href="/interventions/doncaster-ways-forward-review-2013/"' in page
    assert 'href="/interventions/birmingham-ways-forward-review-2014/"' in page
    assert "The reports give no post for this person." in page
    assert "2 interventions" in page  # at a glance
    assert "0 posts" in page
    data = client.get("/people/julian-le-grand/", {"format": "json"}).json()
    slugs = [p["intervention"]["slug"] for p in data["participations"]]
    assert sorted(slugs) == [
        "birmingham-ways-forward-review-2014",
        "doncaster-ways-forward-review-2013",
    ]
    assert {p["role"] for p in data["participations"]} == {"reviewer"}
    assert {p["locator"] for p in data["participations"]} == {
        "Criteria and options: Options, Main options, footnote 7",
        "Criteria and options: Options, Independent organisation, footnote 9",
    }


def test_the_person_page_shows_variants_posts_and_roles_each_footnoted(client, seeded):
    page = text(client.get("/people/malcolm-newsam/"))
    assert "Also printed as</dt><dd>Malcom Newsam</dd>" in page
    assert "Interim Director of Children's Services" in page
    assert "from January 2011" in page
    assert 'href="/councils/kent/"' in page
    assert 'href="/interventions/kent-2011-improvement-notice/"' in page
    # Every post, every role, the figure about him (his initial term) and the record itself
    # carry a footnote marker, and so does each version in the box on how the report spells
    # his name (the person, his first post, his role).
    assert page.count('<sup class="fn">') == 5 + 3
    assert 'href="#differ-kent-2011-malcolm-newsam-name"' in page
    assert "Length of Malcolm Newsam's initial interim appointment" in page
    assert 'id="footnotes-heading"' in page
    assert "report header ('By:' line)" in page
    data = client.get("/people/malcolm-newsam/", {"format": "json"}).json()
    assert data["variants"] == ["Malcom Newsam"]
    assert [p["title"] for p in data["posts"]] == [
        "Interim Director of Children's Services",
        "Interim Corporate Director, Families & Social Care",
    ]
    assert data["posts"][0]["start"] == {
        "date": "2011-01-01",
        "precision": "month",
        "year": 2011,
        "month": 1,
        "day": None,
        "year_inferred": False,
        "kind": "actual",
        "note": "",
        "edtf": "2011-01",
        "display": "January 2011",
    }
    assert data["posts"][0]["council"]["slug"] == "kent"


def test_the_person_page_is_citable(client, seeded):
    url = "/people/andrew-ireland/"
    page = text(client.get(url))
    assert 'id="cite-heading"' in page
    library = bibtexparser.parse_string(client.get(url, {"format": "bibtex"}).content.decode())
    assert library.failed_blocks == []
    assert library.entries[0]["title"].strip("{}") == "Andrew Ireland"
    (item,) = client.get(url, {"format": "csl-json"}).json()
    assert item["URL"].startswith("http://testserver/people/andrew-ireland/")
    assert client.get(url, {"format": "yaml"}).status_code == 400


def test_a_person_version_lists_the_posts_as_they_stood(client, seeded):
    call_command("populate_history", auto=True, stdout=io.StringIO())  # every record a version
    call_command("rebuild_versions", verbosity=0)
    person = Person.objects.get(slug="andrew-ireland")
    assert [v.number for v in record_versions(person)] == [1]
    page = text(client.get("/people/andrew-ireland/versions/v1/"))
    # The page's own sections as they stood: each post in its row, with its body.
    posts = page[page.index('id="posts-heading"') : page.index('id="participations-heading"')]
    for title, body in [
        ("Acting Director of Swindon Social Services", "Swindon Borough Council"),
        ("Area Director East/West Kent", "Kent County Council"),
    ]:
        row = posts[posts.index(title) :]
        assert body in row[: row.index("</tr>")], title


# The person page: the data version, the person with its source, its history (count and
# rows), its posts, its roles in interventions, and the disagreements its facts are part of
# (one UNION query over the kinds' membership tables: interventions.memberships.attach).
def test_the_person_page_costs_a_fixed_number_of_queries(client, seeded, django_assert_num_queries):
    # 6, and one for the figures about the person (ratings' person-statistics section); one
    # more for the versions of a disagreement, when the page shows one (Andrew Ireland's two
    # titles for his post in Swindon)
    for slug, queries in (("andrew-ireland", 8), ("julian-le-grand", 7), ("jan-bumstead", 7)):
        with django_assert_num_queries(queries):
            assert client.get(f"/people/{slug}/").status_code == 200


def test_detail_queries_do_not_grow_with_posts_and_roles(client, django_assert_num_queries):
    person = f.PersonFactory(slug="many")
    for n in range(12):
        f.PostFactory(person=person, position=n + 1, council=f.CouncilFactory())
        f.ParticipantFactory(person=person, person_name=person.name)
        f.StatisticFactory(council=None, person=person)
    with django_assert_num_queries(7):
        page = text(client.get("/people/many/"))
    assert page.count('<tr id="post-') == 12
    assert page.count('<li id="participation-') == 12
    assert page.count('<tr id="statistic-') == 12


# Links to the person page -------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/interventions/birmingham-ways-forward-review-2014/",
        "/organisations/serco/",
        "/councils/kent/",
    ],
)
def test_participants_link_to_their_person_pages(client, seeded, url):
    page = text(client.get(url))
    # (the "where the sources differ" box below links each version by what it says)
    page = page.split('id="differ-heading"')[0]
    linked = re.findall(r'<a href="/people/([^"/]+)/">([^<]+)</a>', page)
    assert linked
    for slug, name in linked:
        assert Person.objects.get(slug=slug).name == name


def test_people_are_in_the_nav_home_counts_sitemap_and_search(client, seeded):
    home = text(client.get("/"))
    assert '<a href="/people/"' in home
    assert '<dt><a href="/people/">People</a></dt><dd>25</dd>' in home
    assert (
        "http://testserver/people/julian-le-grand/" in client.get("/sitemap.xml").content.decode()
    )
    found = client.get("/search/", {"q": "Malcom Newsam", "format": "json"}).json()["results"]
    assert found[0]["kind"] == "people"
    assert found[0]["url"] == "http://testserver/people/malcolm-newsam/"


# Drafts ---------------------------------------------------------------------------------------


def test_a_draft_person_is_not_shown_publicly(client, seeded, admin_client):
    person = Person.objects.get(slug="julian-le-grand")
    person.published = False
    person.save()
    assert client.get("/people/julian-le-grand/").status_code == 404
    assert client.get("/people/julian-le-grand/", {"format": "json"}).status_code == 404
    assert "julian-le-grand" not in client.get(LIST).content.decode()
    assert "julian-le-grand" not in "".join(r["Casebook URL"] for r in csv_rows(client, LIST))
    assert "Professor Julian Le Grand" not in names(client)
    assert "/people/julian-le-grand/" not in client.get("/sitemap.xml").content.decode()
    search = client.get("/search/", {"q": "Le Grand", "kind": "people", "format": "json"}).json()
    assert search["results"] == []
    # The case study still prints the participant's name, but no longer links to the draft.
    case = text(client.get("/interventions/birmingham-ways-forward-review-2014/"))
    assert "Professor Julian Le Grand" in case
    assert "/people/julian-le-grand/" not in case
    case_json = client.get(
        "/interventions/birmingham-ways-forward-review-2014/", {"format": "json"}
    ).json()
    assert case_json["participants"][0]["person_record"] == {
        "name": None,
        "slug": None,
        "url": None,
        "not_yet_published": True,
    }
    # Staff still see it, as a preview.
    assert admin_client.get("/people/julian-le-grand/").status_code == 200


def test_a_post_in_a_draft_council_does_not_name_the_council(client, seeded):
    from interventions.models import Council

    essex = Council.objects.get(slug="essex")
    essex.published = False
    essex.save()
    page = text(client.get("/people/dave-hill/"))
    assert 'href="/councils/essex/"' not in page
    assert re.search(
        r"<td data-label=\"Body\"><span class=\"muted unpublished\">Not yet published</span></td>",
        page,
    )
    data = client.get("/people/dave-hill/", {"format": "json"}).json()
    assert data["posts"][0]["council"]["not_yet_published"] is True
    # No longer a choice of the council filter: a message, not a list naming it.
    assert client.get(LIST, {"council": "essex", "format": "json"}).status_code == 400


# The admin ------------------------------------------------------------------------------------


def test_editing_a_published_person_in_the_admin_needs_a_reason(seeded):
    curator = curator_client("carol", "Carol", "Curator")
    person = Person.objects.get(slug="liz-railton")
    url = reverse("admin:interventions_person_change", args=[person.pk])
    data = opened_form(curator, url)
    data["note"] = "Chair of Kent's improvement board from its first meeting."
    data["change_reason"] = ""
    response = curator.post(url, data)
    assert response.status_code == 200
    assert "Give a reason for this change" in text(response)
    person.refresh_from_db()
    assert person.note == ""
    data["change_reason"] = "Added a note for readers"
    assert curator.post(url, data).status_code == 302
    person.refresh_from_db()
    assert person.note.startswith("Chair of Kent")
    latest = record_versions(person).order_by("-number").first()
    assert latest.reason == "Added a note for readers"


def test_the_admin_lists_people_and_adds_a_post_inline(seeded):
    curator = curator_client("dan", "Dan", "Curator")
    assert curator.get(reverse("admin:interventions_person_changelist")).status_code == 200
    person = Person.objects.get(slug="jan-bumstead")
    url = reverse("admin:interventions_person_change", args=[person.pk])
    data = opened_form(curator, url)
    source = person.source
    data.update(
        {
            "posts-TOTAL_FORMS": "1",
            "posts-0-position": "1",
            "posts-0-title": "Lead for Kent",
            "posts-0-source": str(source.pk),
            "posts-0-locator": "Project Management, para 3(2): Phase Three",
            # As a browser posts the selects' initial values.
            "posts-0-start_date_kind": "actual",
            "posts-0-end_date_kind": "actual",
            "change_reason": "Post as the report words it",
        }
    )
    response = curator.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(person.posts.values_list("title", flat=True)) == ["Lead for Kent"]
