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
