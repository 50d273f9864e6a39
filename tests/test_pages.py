"""The home page, the health check and the detail pages answer."""

import pytest
from django.db import OperationalError
from django.urls import reverse

from . import factories as f

pytestmark = pytest.mark.django_db


def test_home_page_counts_what_the_site_holds(client):
    f.InterventionFactory.create_batch(3)
    response = client.get(reverse("home"))
    counts = {label: number for label, number, url in response.context["counts"]}
    assert counts["interventions"] == 3
    assert counts["councils"] == 3
    page = response.content.decode()
    assert "Interventions</a></dt><dd>3</dd>" in page


def test_home_timeline_lists_case_studies_in_date_order_not_mentions(client):
    f.InterventionFactory(
        title="Later", start_date="2011-01-01", end_date=None, end_date_precision=""
    )
    f.InterventionFactory(title="Earlier", start_date="2004-10-01")
    f.InterventionFactory(title="Only mentioned", mentioned_only=True)
    page = client.get(reverse("home")).content.decode()
    timeline = page[page.index('id="timeline-heading"') :]
    assert timeline.index("Earlier") < timeline.index("Later")
    assert "Only mentioned" not in timeline
    assert "October 2004" in timeline


def test_healthz_answers_200_when_the_database_answers(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "up"}


def test_healthz_answers_503_when_the_database_does_not(client, monkeypatch):
    from django.db.backends.utils import CursorWrapper

    def down(self, *args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(CursorWrapper, "execute", down)
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["database"] == "down"


def test_detail_pages_answer(client):
    intervention = f.InterventionFactory()
    inspection = f.InspectionFactory()
    for obj in (intervention, intervention.subject_council, intervention.source, inspection):
        assert client.get(obj.get_absolute_url()).status_code == 200


def test_unknown_slug_is_a_404(client):
    assert client.get("/interventions/no-such-thing/").status_code == 404


def test_robots_txt_keeps_crawlers_out_of_the_admin_and_names_the_sitemap(client, settings):
    settings.CASEBOOK_SITE_URL = "https://casebook.example.org"
    response = client.get("/robots.txt", HTTP_HOST="localhost")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Disallow: /admin/" in lines
    # From the configured address, whatever Host the request carried.
    assert "Sitemap: https://casebook.example.org/sitemap.xml" in lines


def test_favicon_is_served_where_browsers_look_and_linked_from_every_page(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content.startswith(b"<svg")
    assert "max-age=86400" in response["Cache-Control"]
    page = client.get(reverse("home")).content.decode()
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page
    assert client.post("/favicon.ico").status_code == 405


def test_the_admin_is_branded_for_curation(admin_client):
    page = admin_client.get(reverse("admin:index")).content.decode()
    assert "<title>Curate Casebook&#x27;s records | Casebook curation</title>" in page
    assert "Casebook curation" in page
