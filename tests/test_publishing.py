"""Drafts stay private, renamed records keep their addresses, and every version is citable."""

import pytest
from django.contrib.auth.models import User

from interventions.models import RecordVersion

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    intervention = f.InterventionFactory(
        slug="draft-case", title="Secret draft case study", published=False
    )
    f.WorkstreamFactory(intervention=intervention, name="Draft workstream")
    f.LessonFactory(intervention=intervention, text="A draft lesson about trust.")
    f.SpendingLineFactory(
        council=intervention.subject_council, intervention=intervention, line="Draft money"
    )
    f.InterventionFactory(title="Public case study")
    return intervention


PUBLIC_URLS = [
    "/",
    "/interventions/",
    "/interventions/?format=json",
    "/interventions/?format=csv",
    "/workstreams/",
    "/workstreams/?format=csv",
    "/spending/?format=json",
    "/search/?q=draft",
    "/search/?q=Secret&format=json",
    "/sitemap.xml",
]


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_a_draft_and_its_facts_are_absent_from_every_public_page(client, draft, url):
    response = client.get(url)
    assert response.status_code == 200
    body = (
        b"".join(response.streaming_content) if response.streaming else response.content
    ).decode()
    for secret in ("Secret draft case study", "Draft workstream", "draft lesson", "Draft money"):
        assert secret not in body, (url, secret)


def test_a_draft_is_left_out_of_counts_and_facets(client, draft):
    response = client.get("/")
    counts = {label: n for label, n, url in response.context["counts"]}
    assert counts["interventions"] == 1
    assert counts["workstreams"] == 0
    facets = client.get("/interventions/").context["facets"]
    kinds = {v.value: v.count for view in facets if view.facet.param == "kind" for v in view.values}
    assert kinds == {"partnership": 1}


def test_a_drafts_pages_are_404_for_the_public(client, draft):
    for suffix in ("", "?format=json", "?format=bibtex", "?format=ris"):
        assert client.get(draft.get_absolute_url() + suffix).status_code == 404
    version = draft.history.first().history_id
    assert client.get(f"{draft.get_absolute_url()}versions/{version}/").status_code == 404
    assert client.get(f"{draft.get_absolute_url()}versions/v1/").status_code == 404


def test_staff_can_preview_a_draft(client, draft):
    client.force_login(User.objects.create_user("editor", is_staff=True))
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert "Secret draft case study" in response.content.decode()
    assert "Draft" in response.content.decode()


def test_publishing_a_draft_makes_it_public(client, draft):
    draft.published = True
    draft.save()
    assert client.get(draft.get_absolute_url()).status_code == 200
    assert "Secret draft case study" in client.get("/interventions/").content.decode()


@pytest.mark.parametrize(
    ("suffix", "kept"),
    [
        ("", ""),
        ("?format=json", "?format=json"),
        ("?format=bibtex", "?format=bibtex"),
        # A parameter the page does not read is dropped (config.pagekey), the known one kept.
        ("?kind=x&format=json", "?format=json"),
    ],
)
def test_renamed_intervention_old_slug_redirects(client, suffix, kept):
    intervention = f.InterventionFactory(slug="old-name")
    intervention.slug = "new-name"
    intervention.save()
    intervention.slug = "newest-name"
    intervention.save()
    for old in ("old-name", "new-name"):
        response = client.get(f"/interventions/{old}/{suffix}")
        assert response.status_code == 301
        assert response["Location"] == f"/interventions/newest-name/{kept}"
    assert client.get(f"/interventions/newest-name/{suffix}").status_code == 200


def test_renamed_council_inspection_and_source_redirect(client):
    inspection = f.InspectionFactory(slug="insp-old")
    council, source = inspection.council, inspection.source
    for obj, prefix in ((inspection, "inspections"), (council, "councils"), (source, "sources")):
        old = obj.slug
        obj.slug = f"{old}-renamed"
        obj.save()
        response = client.get(f"/{prefix}/{old}/")
        assert response.status_code == 301
        assert response["Location"] == f"/{prefix}/{old}-renamed/"


def test_a_slug_never_used_is_still_a_404(client):
    f.InterventionFactory(slug="real")
    assert client.get("/interventions/never-was/").status_code == 404


def test_a_version_url_shows_the_old_values_and_says_the_record_changed(client):
    intervention = f.InterventionFactory(slug="kent-case", summary="The first account.")
    intervention.summary = "A corrected account."
    intervention.save()
    old = client.get("/interventions/kent-case/versions/v1/")
    assert old.status_code == 200
    page = old.content.decode()
    assert "The first account." in page
    assert "A corrected account." not in page
    assert "This record has changed since:" in page
    assert "Version 2</a>" in page  # what changed since, and how
    assert "(summary)" in page
    assert 'href="/interventions/kent-case/"' in page
    # Its citation points at the version itself.
    assert "/interventions/kent-case/versions/v1/" in page
    latest = client.get("/interventions/kent-case/versions/v2/").content.decode()
    assert "This is the current version" in latest
    assert "A corrected account." in latest


def test_a_version_shows_the_parts_as_they_were(client):
    phase = f.PhaseFactory(name="Original phase name")
    intervention = phase.intervention
    versions = RecordVersion.objects.filter(record_id=intervention.pk)
    version = versions.latest("number").number  # the intervention with the original phase
    phase.name = "Renamed phase"
    phase.save()
    assert versions.latest("number").number == version + 1  # a part's change: a new version
    page = client.get(f"{intervention.get_absolute_url()}versions/v{version}/").content.decode()
    assert "Original phase name" in page
    assert "Renamed phase" not in page


def test_old_slug_in_a_version_url_redirects(client):
    intervention = f.InterventionFactory(slug="before")
    intervention.slug = "after"
    intervention.save()
    response = client.get("/interventions/before/versions/v1/?format=json")
    assert response.status_code == 301
    assert response["Location"] == "/interventions/after/versions/v1/?format=json"


def test_detail_page_lists_its_changes_with_version_links(client):
    intervention = f.InterventionFactory(title="First title")
    intervention.title = "Second title"
    intervention.save()
    page = client.get(intervention.get_absolute_url()).content.decode()
    assert "Changes to this record" in page
    assert "Version 2</a> (current)" in page
    assert "Changed: title" in page
    for number in (1, 2):
        assert f"versions/v{number}/" in page
