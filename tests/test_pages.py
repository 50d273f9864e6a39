"""The home page, the health check and the detail pages answer."""

import pytest
from django.db import OperationalError
from django.urls import reverse

from . import factories as f

pytestmark = pytest.mark.django_db


def test_home_page_counts_what_the_site_holds(client):
    f.InterventionFactory.create_batch(3)
    page = client.get(reverse("home")).content.decode()
    assert "<dt>Interventions</dt><dd>3</dd>" in page
    assert "<dt>Councils</dt><dd>3</dd>" in page


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
