"""Errors: friendly pages in the site's design, and a 503 while the database is away."""

import logging

import pytest
from django.contrib.auth import get_user_model
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


# A session cookie makes Django look the session up (to find the user) in middleware, where
# an exception is turned into a 500 before the outage middleware sees it: every kind of
# visitor and every kind of page must still get the 503 page.

MADE_UP_SESSION = "x" * 32
PAGES_IN_AN_OUTAGE = ["/", "/interventions/", "/healthz", "/admin/", "/admin/login/"]


@pytest.fixture
def staff_client(client):
    user = get_user_model().objects.create_user(
        "curator", "curator@example.org", "correct horse battery", is_staff=True
    )
    client.force_login(user)
    return client


def assert_unavailable(response):
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "sessionid" not in response.cookies  # nobody is signed out by an outage


@pytest.mark.parametrize("url", ["/healthz", "/admin/login/"])
def test_without_a_cookie_healthz_and_the_sign_in_page_answer_503_with_retry_after(
    client, database_down, url
):
    client.raise_request_exception = False
    assert_unavailable(client.get(url))


def test_without_a_cookie_the_admin_leads_to_the_503_page(client, database_down):
    client.raise_request_exception = False
    response = client.get("/admin/", follow=True)
    assert_unavailable(response)


@pytest.mark.parametrize("url", PAGES_IN_AN_OUTAGE)
def test_a_made_up_session_cookie_gets_503_with_retry_after_not_500(client, database_down, url):
    client.cookies["sessionid"] = MADE_UP_SESSION
    client.raise_request_exception = False
    assert_unavailable(client.get(url))


@pytest.mark.parametrize(
    "url", [*PAGES_IN_AN_OUTAGE, "/admin/interventions/intervention/", "/admin/ratings/"]
)
def test_a_signed_in_curator_gets_503_with_retry_after_not_500(staff_client, database_down, url):
    # staff_client first: it signs in while the database is still up
    staff_client.raise_request_exception = False
    assert_unavailable(staff_client.get(url))


def test_a_curator_saving_in_the_admin_gets_503_with_retry_after(staff_client, database_down):
    staff_client.raise_request_exception = False
    response = staff_client.post("/admin/interventions/source/add/", {"title": "A report"})
    assert_unavailable(response)


@pytest.mark.django_db(transaction=True)  # as in production: no test transaction to break
def test_a_signed_in_curator_is_still_signed_in_once_the_database_is_back(monkeypatch, client):
    from django.db.backends.utils import CursorWrapper

    user = get_user_model().objects.create_user(
        "curator", "curator@example.org", "correct horse battery", is_staff=True
    )
    client.force_login(user)
    client.raise_request_exception = False
    real = CursorWrapper.execute

    def refuse(self, *args, **kwargs):
        raise OperationalError("Connection refused")

    monkeypatch.setattr(CursorWrapper, "execute", refuse)
    assert_unavailable(client.get("/admin/"))
    assert_unavailable(client.get("/healthz"))
    monkeypatch.setattr(CursorWrapper, "execute", real)
    assert client.get("/healthz").status_code == 200
    response = client.get("/admin/")
    assert response.status_code == 200
    assert response.context["user"] == user


def test_an_outage_with_a_cookie_logs_a_warning_not_a_traceback(client, database_down, caplog):
    client.cookies["sessionid"] = MADE_UP_SESSION
    client.raise_request_exception = False
    with caplog.at_level(logging.WARNING):
        assert_unavailable(client.get("/interventions/"))
    assert "Database unavailable" in caplog.text
    assert "Traceback" not in caplog.text
    assert not [record for record in caplog.records if record.exc_info]
