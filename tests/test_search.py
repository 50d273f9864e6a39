"""Search: one query over councils, interventions, workstreams, lessons, organisations, sources."""

import pytest
from django.urls import reverse

from . import factories as f

pytestmark = pytest.mark.django_db


def results(client, q):
    response = client.get(reverse("interventions:search"), {"q": q, "format": "json"})
    assert response.status_code == 200
    return response.json()["results"]


def test_search_finds_each_kind_of_record(client):
    council = f.CouncilFactory(name="Swindon Borough Council")
    intervention = f.InterventionFactory(title="Franchise partnership", subject_council=council)
    f.WorkstreamFactory(intervention=intervention, name="Investors in People")
    f.LessonFactory(intervention=intervention, text="Trust between partners took time to build.")
    f.OrganisationFactory(name="Inter-Authority Partnership Unit", abbreviation="IAPU")
    f.SourceFactory(title="Kent/Swindon Partnership report")
    kinds = lambda q: {r["kind"] for r in results(client, q)}  # noqa: E731
    assert "Council" in kinds("Swindon")
    assert "Intervention" in kinds("franchise")
    assert kinds("investors people") == {"Workstream"}
    assert "Lesson" in kinds("trust")
    assert "Organisation" in kinds("IAPU")
    assert "Source" in kinds("Kent/Swindon")


def test_every_word_must_match(client):
    f.InterventionFactory(title="Serco partnership", summary="Stoke children's services")
    f.InterventionFactory(title="Kent partnership", summary="Swindon adult services")
    titles = [r["title"] for r in results(client, "partnership Stoke")]
    assert titles == ["Serco partnership"]


def test_a_title_match_ranks_above_a_passing_mention(client):
    f.InterventionFactory(title="Improvement board", summary="A board was set up.")
    f.InterventionFactory(title="Outsourcing deal", summary="Later an improvement board met.")
    titles = [r["title"] for r in results(client, "improvement board")]
    assert titles[:2] == ["Improvement board", "Outsourcing deal"]


def test_results_link_to_their_pages(client):
    intervention = f.InterventionFactory(title="Unique title here")
    (hit,) = results(client, "Unique title here")
    assert hit["url"] == "http://testserver" + intervention.get_absolute_url()


@pytest.mark.parametrize(
    "q", ["", "   ", "!!!", "'; DROP TABLE x; --", "é" * 5000, "\x00", "a" * 300]
)
def test_odd_queries_never_fail(client, q):
    response = client.get(reverse("interventions:search"), {"q": q})
    assert response.status_code == 200


def test_search_page_shows_the_query_and_count(client):
    f.InterventionFactory(title="Kent partnership")
    page = client.get(reverse("interventions:search"), {"q": "kent"}).content.decode()
    assert "1 result for “kent”" in page
