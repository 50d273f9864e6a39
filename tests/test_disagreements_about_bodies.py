"""A disagreement can hold councils, organisations, people and posts as versions (issue 13,
point 3: "can group any facts of any kinds"): a name or a title printed two ways. Each is
flagged on its own page, in its list and exports, and named on the disagreement's page."""

import csv
import io
import json

import pytest

from interventions import memberships
from interventions import models as im

from . import factories as f

pytestmark = pytest.mark.django_db

WITHIN = "The report prints two versions"


def csv_rows(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def spelling():
    """A person whose name one report prints two ways, with a post and a council in it too."""
    source = f.SourceFactory()
    disagreement = f.DiscrepancyFactory(
        slug="a-name-two-ways", title="A name printed two ways", scope=im.DisagreementScope.WITHIN
    )
    council = f.CouncilFactory(name="Northshire County Council", source=source)
    person = f.PersonFactory(
        slug="pat-example", name="Pat Example", variants="Patt Example", source=source
    )
    post = f.PostFactory(person=person, title="Interim Director", council=council, source=source)
    organisation = f.OrganisationFactory(name="Northshire Board", source=source)
    for record in (person, post, council, organisation):
        record.discrepancies.add(disagreement)
    return disagreement, person, post, council, organisation


def test_every_kind_of_body_and_person_can_be_a_version(spelling):
    _disagreement, *records = spelling
    kinds = {
        model._meta.label_lower for model in memberships.fact_models([type(r) for r in records])
    }
    assert kinds == {
        "interventions.person",
        "interventions.post",
        "interventions.council",
        "interventions.organisation",
    }
    memberships.attach(records)
    for record in records:
        assert [flag.slug for flag in memberships.flags(record)] == ["a-name-two-ways"]


def test_the_disagreement_page_names_each_version_and_links_to_where_it_is_shown(client, spelling):
    disagreement, _person, post, council, organisation = spelling
    page = client.get(disagreement.get_absolute_url()).content.decode()
    assert "Pat Example (also printed: Patt Example)" in page
    assert "Interim Director, Northshire County Council (Pat Example)" in page
    assert f'href="/people/pat-example/#post-{post.position}"' in page
    assert f'href="{council.get_absolute_url()}"' in page
    assert f'href="{organisation.get_absolute_url()}"' in page


def test_the_person_page_flags_the_person_and_the_post(client, spelling):
    _disagreement, person, post, *_ = spelling
    page = client.get(person.get_absolute_url()).content.decode()
    about = page[page.index('id="facts-heading"') :]
    about = about[: about.index("</section>")]
    assert 'href="#differ-a-name-two-ways"' in about
    row = page[page.index(f'<tr id="post-{post.position}"') :]
    assert 'href="#differ-a-name-two-ways"' in row[: row.index("</tr>")]
    assert 'id="differ-a-name-two-ways"' in page  # the box with every version


def test_council_and_organisation_pages_flag_their_record(client, spelling):
    _, _, _, council, organisation = spelling
    for record in (council, organisation):
        page = client.get(record.get_absolute_url()).content.decode()
        about = page[page.index('id="facts-heading"') :]
        about = about[: about.index("</section>")]
        assert 'href="#differ-a-name-two-ways"' in about, record


@pytest.mark.parametrize("url", ["/people/", "/councils/", "/organisations/"])
def test_lists_and_their_exports_flag_the_record(client, spelling, url):
    page = client.get(url).content.decode()
    assert WITHIN in page
    rows = csv_rows(client.get(url, {"format": "csv"}))
    flagged = [row for row in rows if row["Disagreements"]]
    assert len(flagged) == 1
    assert flagged[0]["Disagreements"].startswith(f"{WITHIN}: A name printed two ways (")
    data = json.loads(client.get(url, {"format": "json"}).content)
    assert all("disagreements" in row for row in data["results"]), data["results"][0]
    flags = [row["disagreements"] for row in data["results"] if row["disagreements"]]
    assert [[d["slug"] for d in row] for row in flags] == [["a-name-two-ways"]]


def test_a_record_outside_any_disagreement_is_not_flagged(client, spelling):
    other = f.PersonFactory(slug="someone-else", name="Someone Else")
    page = client.get(other.get_absolute_url()).content.decode()
    assert "differ-a-name-two-ways" not in page
    assert WITHIN not in page


def test_the_version_page_shows_membership_as_it_stood(client, spelling):
    """Membership changes are kept in the person's history: a version recorded before the
    person joined the disagreement does not flag it."""
    disagreement, person, *_ = spelling
    person.discrepancies.remove(disagreement)
    person.note = "Edited after leaving the disagreement."
    person.save()
    latest = f.latest_version_url(person)
    page = client.get(latest).content.decode()
    about = page[page.index('id="facts-heading"') :]
    about = about[: about.index("</section>")]
    assert "differ-a-name-two-ways" not in about
