"""Search: one query over every kind of record, kept in step by the publishing service."""

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
    assert "councils" in kinds("Swindon")
    assert "interventions" in kinds("franchise")
    assert kinds("investors people") == {"workstreams"}
    assert "lessons" in kinds("trust")
    assert "organisations" in kinds("IAPU")
    assert "sources" in kinds("Kent/Swindon")


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


# Facts of every kind ----------------------------------------------------------------------


def test_people_phases_milestones_inspections_judgements_spending_and_statistics(client):
    from decimal import Decimal

    intervention = f.InterventionFactory(title="Improvement partnership")
    f.ParticipantFactory(intervention=intervention, person_name="Marion Quenby")
    f.PhaseFactory(intervention=intervention, name="Stabilisation phase")
    f.MilestoneFactory(intervention=intervention, description="Commissioner appointed")
    inspection = f.InspectionFactory(title="Joint area review of Doncaster")
    f.JudgementFactory(inspection=inspection, area="Safeguarding arrangements")
    f.SpendingLineFactory(amount_gbp=Decimal("3600000"), as_printed="up to £3.6 million")
    f.StatisticFactory(measure="Looked-after children per 10,000", as_printed="71")
    kinds = lambda q: {r["kind"] for r in results(client, q)}  # noqa: E731
    assert kinds("Quenby") == {"participants"}
    f.PersonFactory(name="Marion Quenby", variants="M. Quenby")
    assert kinds("Quenby") == {"participants", "people"}
    assert kinds("stabilisation") == {"phases"}
    assert kinds("commissioner appointed") == {"milestones"}
    assert "inspections" in kinds("joint area review")
    assert kinds("safeguarding arrangements") == {"judgements"}
    assert "statistics" in kinds("looked-after children per 10,000")
    assert kinds("£3.6m") == {"spending"}


@pytest.mark.parametrize("q", ["£3.6 million", "£3.6m", "3.6m", "£3,600,000", "3600000", "3.6"])
def test_a_figure_is_found_however_it_is_written(client, q):
    from decimal import Decimal

    line = f.SpendingLineFactory(amount_gbp=Decimal("3600000"), as_printed="up to £3.6 million")
    f.SpendingLineFactory(amount_gbp=Decimal("3000000"), as_printed="£3 million")
    f.SpendingLineFactory(amount_gbp=Decimal("6000000"), as_printed="£6 million")
    found = results(client, q)
    assert [r["url"] for r in found] == ["http://testserver" + line.get_absolute_url()]


@pytest.mark.parametrize("q", ["£820k", "£820,000", "820000"])
def test_thousands_are_found_however_they_are_written(client, q):
    from decimal import Decimal

    f.SpendingLineFactory(amount_gbp=Decimal("820000"), as_printed="£820k")
    f.SpendingLineFactory(amount_gbp=Decimal("82000"), as_printed="£82,000")
    found = results(client, q)
    assert [r["title"].split(": ")[-1] for r in found] == ["£820k"]


def test_a_figure_in_prose_is_found_by_its_value(client):
    f.InterventionFactory(title="Outsourcing deal", summary="The contract was worth £3,600,000.")
    assert [r["title"] for r in results(client, "£3.6m")] == ["Outsourcing deal"]


def test_stemming_finds_plurals(client):
    f.InterventionFactory(title="A partnership with Kent")
    f.InterventionFactory(title="Two partnerships in the north")
    assert len(results(client, "partnerships")) == len(results(client, "partnership")) == 2


@pytest.mark.parametrize("q", ["childrens", "children's", "children", "Children’s"])
def test_apostrophes_fold(client, q):
    f.InterventionFactory(title="Children's services in Slough")
    f.InterventionFactory(title="Childrens trust in Doncaster")
    f.InterventionFactory(title="Adult care in Kent")
    assert len(results(client, q)) == 2


def test_did_you_mean_offers_the_closest_name(client):
    f.CouncilFactory(name="Slough Borough Council")
    f.CouncilFactory(name="Swindon Borough Council")
    response = client.get(reverse("interventions:search"), {"q": "Slogh"})
    page = response.content.decode()
    assert "Did you mean" in page
    assert 'href="?q=slough"' in page
    assert response.context["results"].suggestion == "slough"
    assert (
        client.get(reverse("interventions:search"), {"q": "Slogh", "format": "json"}).json()[
            "suggestion"
        ]
        == "slough"
    )


def test_no_suggestion_when_something_matched(client):
    f.CouncilFactory(name="Slough Borough Council")
    response = client.get(reverse("interventions:search"), {"q": "Slough"})
    assert response.context["results"].suggestion == ""
    assert "Did you mean" not in response.content.decode()


def test_snippets_mark_the_match_and_escape_the_rest(client):
    f.InterventionFactory(
        title="Outsourcing deal",
        summary="A long introduction. <script>alert(1)</script> Then Serco's partnership began.",
    )
    (hit,) = results(client, "partnerships")
    assert "<mark>partnership</mark>" in hit["snippet"]
    assert "<script>" not in hit["snippet"]
    assert "&lt;script&gt;" in hit["snippet"]
    page = client.get(reverse("interventions:search"), {"q": "partnerships"}).content.decode()
    assert "<mark>partnership</mark>" in page
    assert "<script>alert" not in page


def test_a_figure_is_marked_in_the_snippet(client):
    f.InterventionFactory(title="Deal", summary="Worth up to £3.6 million over three years.")
    (hit,) = results(client, "£3,600,000")
    assert "<mark>£3.6 million</mark>" in hit["snippet"]


# Counts, filters, paging ------------------------------------------------------------------


def test_counts_per_kind_link_to_a_filter(client):
    council = f.CouncilFactory(name="Rotherham Metropolitan Borough Council")
    f.InterventionFactory(title="Rotherham commissioners", subject_council=council)
    f.InterventionFactory(title="Rotherham recovery", subject_council=council)
    url = reverse("interventions:search")
    data = client.get(url, {"q": "Rotherham", "format": "json"}).json()
    assert data["counts"] == {"interventions": 2, "councils": 1}
    page = client.get(url, {"q": "Rotherham"}).content.decode()
    assert 'href="?q=Rotherham&amp;kind=interventions"' in page
    filtered = client.get(url, {"q": "Rotherham", "kind": "councils", "format": "json"}).json()
    assert [r["kind"] for r in filtered["results"]] == ["councils"]
    assert filtered["count"] == 1
    assert filtered["total"] == 3


def test_results_are_paged_not_capped(client):
    from interventions.search import PER_PAGE

    for n in range(PER_PAGE + 5):
        f.LessonFactory(text=f"Lesson {n} about governance.")
    url = reverse("interventions:search")
    first = client.get(url, {"q": "governance", "format": "json"}).json()
    second = client.get(url, {"q": "governance", "page": 2, "format": "json"}).json()
    assert first["count"] == PER_PAGE + 5
    assert first["pages"] == 2
    assert len(first["results"]) == PER_PAGE
    assert len(second["results"]) == 5
    titles = {r["title"] for r in first["results"]} | {r["title"] for r in second["results"]}
    assert len(titles) == PER_PAGE + 5
    page = client.get(url, {"q": "governance"}).content.decode()
    assert 'href="?q=governance&amp;page=2" rel="next"' in page


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"page": "two"}, "The page must be a whole number"),
        ({"page": "0"}, "The page must be a whole number"),
        ({"page": "99"}, "There is no page 99"),
        ({"kind": "spaceships"}, "There is no kind of record called"),
    ],
)
def test_bad_page_or_kind_says_so(client, params, message):
    f.InterventionFactory(title="Kent partnership")
    url = reverse("interventions:search")
    response = client.get(url, {"q": "kent", **params})
    assert response.status_code == 200
    assert message in response.content.decode()
    data = client.get(url, {"q": "kent", "format": "json", **params})
    assert data.status_code == 400
    assert any(message in e for e in data.json()["errors"])


# Drafts and keeping in step ---------------------------------------------------------------


def test_drafts_never_appear(client):
    draft_council = f.CouncilFactory(name="Hiddenshire County Council", published=False)
    f.InterventionFactory(title="Hiddenshire recovery", subject_council=draft_council)
    f.InterventionFactory(title="Hiddenshire draft", published=False)
    f.SpendingLineFactory(council=draft_council, as_printed="£7.7m")
    assert results(client, "Hiddenshire") == []
    assert results(client, "£7.7m") == []


def test_the_index_follows_edits_and_deletes(client):
    intervention = f.InterventionFactory(title="Kent partnership")
    lesson = f.LessonFactory(intervention=intervention, text="Boards need budgets.")
    assert [r["kind"] for r in results(client, "kent")] == ["interventions"]
    assert "Kent partnership" in results(client, "budgets")[0]["context"]

    intervention.title = "Swindon partnership"
    intervention.save()
    assert results(client, "kent") == []
    assert [r["kind"] for r in results(client, "swindon")] == ["interventions"]
    # The lesson shows its case study's title, so it follows the rename.
    assert "Swindon partnership" in results(client, "budgets")[0]["context"]

    intervention.published = False
    intervention.save()
    assert results(client, "swindon") == []
    assert results(client, "budgets") == []  # the lesson belongs to a draft now

    intervention.published = True
    intervention.save()
    assert len(results(client, "budgets")) == 1
    lesson.delete()
    assert results(client, "budgets") == []


def test_an_admin_edit_is_searchable_at_once(admin_client, client):
    council = f.CouncilFactory(name="Oldtown Council")
    url = reverse("admin:interventions_council_change", args=[council.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {k: ("" if v is None else v) for k, v in form.initial.items() if not hasattr(v, "all")}
    data["name"] = "Newtown Council"
    data["change_reason"] = "Renamed in 2026"
    response = admin_client.post(url, {**data, "_save": "Save"})
    assert response.status_code in (200, 302)
    council.refresh_from_db()
    if council.name != "Newtown Council":
        pytest.fail(f"admin did not save: {response.context['adminform'].form.errors}")
    assert [r["title"] for r in results(client, "Newtown")] == ["Newtown Council"]
    assert results(client, "Oldtown") == []


def test_rebuild_search_writes_every_published_record(client):
    from django.core.management import call_command

    from interventions.models import SearchDocument

    f.InterventionFactory(title="Kent partnership")
    SearchDocument.objects.all().delete()
    assert results(client, "kent") == []
    call_command("rebuild_search", verbosity=0)
    assert "interventions" in {r["kind"] for r in results(client, "kent")}


def test_an_organisation_links_to_its_own_page_not_the_search(client):
    organisation = f.OrganisationFactory(name="Serco Group")
    (hit,) = results(client, "Serco")
    assert "/search/" not in hit["url"]
    if hasattr(organisation, "get_absolute_url"):
        assert hit["url"] == "http://testserver" + organisation.get_absolute_url()


# The seed data, on either database --------------------------------------------------------

SEED_QUERIES = [
    "£3.6 million",
    "£3.6m",
    "3.6m",
    "£3,600,000",
    "£820k",
    "£820,000",
    "Serco",
    "Slough",
    "Swindon",
    "Kent",
    "partnerships",
    "partnership",
    "childrens",
    "children's services",
    "inadequate",
    "Ofsted",
    "improvement board",
    "commissioners",
]


def plain_stem(word: str) -> str:
    """Plurals and possessives off ("partnerships", "childrens" → "partnership", "children")."""
    if word.endswith("ies") and len(word) > 5:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss") and len(word) > 4:
        return word[:-1]
    return word


def expected_documents(words):
    """The published records whose folded words hold every query word, read in Python."""
    from interventions.models import SearchDocument

    found = set()
    for doc in SearchDocument.objects.filter(published=True):
        tokens = f"{doc.title_terms} {doc.terms}".split()
        stems = {plain_stem(t) for t in tokens} | set(tokens)
        if all(w in tokens or plain_stem(w) in stems for w in words):
            found.add(doc.pk)
    return found


def test_seed_results_are_the_same_on_either_database(seeded):
    from django.core.management import call_command

    from interventions.search import matching_ids, terms_of

    call_command("rebuild_search", verbosity=0)
    differences = {}
    for q in SEED_QUERIES:
        words = terms_of(q)
        expected = expected_documents(words)
        assert expected, f"{q!r} should find something in the seed data"
        got = matching_ids(words)
        if got != expected:
            differences[q] = (sorted(got - expected), sorted(expected - got))
    assert differences == {}


def test_seed_figures_find_the_same_lines(seeded):
    from django.core.management import call_command

    from interventions.search import matching_ids, terms_of

    call_command("rebuild_search", verbosity=0)
    million = [matching_ids(terms_of(q)) for q in ("£3.6 million", "£3.6m", "3.6m", "£3,600,000")]
    assert million[0]
    assert all(found == million[0] for found in million)
    assert matching_ids(terms_of("£820k")) == matching_ids(terms_of("£820,000")) != set()


def test_seed_did_you_mean_slough(seeded, client):
    from django.core.management import call_command

    call_command("rebuild_search", verbosity=0)
    response = client.get(reverse("interventions:search"), {"q": "Slogh"})
    assert response.context["results"].suggestion == "slough"


def test_a_spending_line_names_its_council_once_when_it_is_also_the_payer(client):
    council = f.CouncilFactory(name="Eastshire Borough Council")
    f.SpendingLineFactory(
        council=council, payer_council=council, as_printed="£820k", note="Paid in 2006."
    )
    (hit,) = results(client, "£820,000")
    assert hit["snippet"].count("Eastshire Borough Council") == 1
    assert "<mark>£820k</mark>" in hit["snippet"]
