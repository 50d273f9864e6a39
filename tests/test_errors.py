"""Errors: friendly pages in the site's design, and a 503 while the database is away."""

import pytest
from django.db import OperationalError, ProgrammingError
from django.test import override_settings

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_down(monkeypatch):
    from django.db.backends.utils import CursorWrapper

    def refuse(self, *args, **kwargs):
        raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr(CursorWrapper, "execute", refuse)


@pytest.mark.parametrize(
    "url",
    ["/", "/interventions/", "/councils/", "/judgements/", "/spending/", "/search/?q=kent"],
)
def test_public_pages_answer_503_with_retry_after_when_the_database_is_down(
    client, database_down, url
):
    response = client.get(url)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "temporarily unavailable" in response.content.decode()


def test_detail_page_answers_503_when_the_database_is_down(client, monkeypatch):
    intervention = f.InterventionFactory()
    from django.db.backends.utils import CursorWrapper

    def refuse(self, *args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(CursorWrapper, "execute", refuse)
    assert client.get(intervention.get_absolute_url()).status_code == 503


@pytest.mark.django_db(transaction=True)  # as in production: no test transaction to break
def test_pages_work_again_once_the_database_is_back(client, monkeypatch):
    from django.db.backends.utils import CursorWrapper

    real = CursorWrapper.execute

    def refuse(self, *args, **kwargs):
        raise OperationalError("Connection refused")

    monkeypatch.setattr(CursorWrapper, "execute", refuse)
    assert client.get("/interventions/").status_code == 503
    monkeypatch.setattr(CursorWrapper, "execute", real)
    assert client.get("/interventions/").status_code == 200


def test_a_bad_query_is_still_a_server_error_not_an_outage(client, monkeypatch):
    from django.db.backends.utils import CursorWrapper

    def broken(self, *args, **kwargs):
        raise ProgrammingError("column does not exist")

    monkeypatch.setattr(CursorWrapper, "execute", broken)
    client.raise_request_exception = False
    response = client.get("/interventions/")
    assert response.status_code == 500


@override_settings(DEBUG=False)
def test_404_page_is_friendly_and_in_the_sites_design(client):
    response = client.get("/interventions/no-such-case-study/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Page not found" in page
    assert "site-header" in page
    assert "Traceback" not in page


@override_settings(DEBUG=False)
def test_500_page_has_no_stack_trace(client, monkeypatch):
    from interventions.views import lists

    def explode(self):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(lists.InterventionList, "get_queryset", explode)
    client.raise_request_exception = False
    response = client.get("/interventions/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong" in page
    assert "secret internals" not in page
