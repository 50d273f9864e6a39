"""Production settings, security headers and the admin's front door."""

import os
import subprocess
import sys

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

PRODUCTION = {
    "DJANGO_ENV": "production",
    "DJANGO_SECRET_KEY": "a-long-random-secret-used-only-by-this-test-0123456789abcdef",
    "DJANGO_ALLOWED_HOSTS": "casebook.example.org",
}


def manage(*args, **env):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", **{**PRODUCTION, "DJANGO_SECRET_KEY": ""})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = manage("check", **{**PRODUCTION, "DJANGO_ALLOWED_HOSTS": ""})
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS must be set" in result.stderr


def test_check_deploy_reports_no_issue_in_production():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_security_headers_on_public_pages(client):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_no_admin_page_is_reachable_without_signing_in(client):
    from django.contrib import admin

    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        urls += [reverse(f"{prefix}_changelist"), reverse(f"{prefix}_add")]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("admin:login")), url


def test_repeated_failed_logins_are_locked_out(client):
    get_user_model().objects.create_superuser("curator", "c@example.org", "correct horse battery")
    login = reverse("admin:login")
    for _ in range(5):
        response = client.post(login, {"username": "curator", "password": "wrong"})
        assert response.status_code in (200, 429)
    # Even the right password is refused while the lock lasts.
    response = client.post(login, {"username": "curator", "password": "correct horse battery"})
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.content.decode()


def test_a_successful_login_works_before_any_lockout(client):
    get_user_model().objects.create_superuser("curator", "c@example.org", "correct horse battery")
    response = client.post(
        reverse("admin:login"),
        {"username": "curator", "password": "correct horse battery", "next": "/admin/"},
    )
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


PASSWORD = "correct horse battery"


def sign_in(client, username, password, address, forwarded_for=None):
    extra = {"REMOTE_ADDR": address}
    if forwarded_for is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return client.post(
        reverse("admin:login"), {"username": username, "password": password}, **extra
    ).status_code


@pytest.fixture
def curator():
    return get_user_model().objects.create_superuser("curator", "c@example.org", PASSWORD)


PROXY = "10.0.0.2"


@pytest.mark.parametrize("username", ["", "nobody", "admin"])
def test_failures_under_other_usernames_do_not_lock_a_curator_out(client, curator, username):
    for _ in range(6):
        assert sign_in(client, username, "wrong", PROXY, "203.0.113.5") in (200, 429)
    assert sign_in(client, "curator", PASSWORD, PROXY, "203.0.113.5") == 302


@override_settings(CASEBOOK_TRUSTED_PROXY_COUNT=1)
def test_behind_a_trusted_proxy_failures_from_one_client_do_not_lock_the_curator_elsewhere(
    client, curator
):
    for _ in range(5):
        sign_in(client, "curator", "wrong", PROXY, "203.0.113.5")
    # The attacker's address is locked, even with the right password...
    assert sign_in(client, "curator", PASSWORD, PROXY, "203.0.113.5") == 429
    # ...and a client-written address to the left of the proxy's entry changes nothing...
    assert sign_in(client, "curator", PASSWORD, PROXY, "198.51.100.7, 203.0.113.5") == 429
    # ...but the curator, reaching the same proxy from their own address, signs in.
    assert sign_in(client, "curator", PASSWORD, PROXY, "198.51.100.7") == 302


@override_settings(CASEBOOK_TRUSTED_PROXY_COUNT=2)
def test_behind_two_trusted_proxies_the_client_is_the_second_address_from_the_right(
    client, curator
):
    for _ in range(5):
        sign_in(client, "curator", "wrong", PROXY, "1.2.3.4, 203.0.113.5, 10.0.0.1")
    assert sign_in(client, "curator", PASSWORD, PROXY, "9.9.9.9, 203.0.113.5, 10.0.0.1") == 429
    assert sign_in(client, "curator", PASSWORD, PROXY, "1.2.3.4, 198.51.100.7, 10.0.0.1") == 302


def test_without_a_trusted_proxy_a_forged_forwarded_for_is_ignored(client, curator):
    for number in range(5):
        sign_in(client, "curator", "wrong", "203.0.113.5", f"192.0.2.{number}")
    # A new forged address does not escape the lock on the real one.
    assert sign_in(client, "curator", PASSWORD, "203.0.113.5", "198.51.100.7") == 429


@override_settings(CASEBOOK_TRUSTED_PROXY_COUNT=1)
def test_a_forwarded_for_that_is_not_an_address_falls_back_to_the_proxy(client, curator):
    for _ in range(5):
        sign_in(client, "curator", "wrong", PROXY, "not-an-address")
    assert sign_in(client, "curator", PASSWORD, PROXY, "also-not-an-address") == 429
    assert sign_in(client, "curator", PASSWORD, PROXY, "198.51.100.7") == 302


def test_a_curators_own_failures_from_one_address_do_not_block_them_elsewhere(client, curator):
    for _ in range(5):
        sign_in(client, "curator", "wrong", "203.0.113.5")
    assert sign_in(client, "curator", PASSWORD, "203.0.113.5") == 429
    assert sign_in(client, "curator", PASSWORD, "198.51.100.7") == 302


def test_a_trusted_proxy_count_that_is_not_a_number_stops_the_site_with_a_clear_message():
    result = manage("check", CASEBOOK_TRUSTED_PROXY_COUNT="one")
    assert result.returncode != 0
    assert "CASEBOOK_TRUSTED_PROXY_COUNT must be a whole number" in result.stderr


def test_weak_passwords_are_refused():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    for weak in ("password", "12345678901234", "short"):
        with pytest.raises(ValidationError):
            validate_password(weak)


PUBLIC = [
    "/",
    "/healthz",
    "/interventions/",
    "/councils/",
    "/judgements/",
    "/spending/",
    "/workstreams/",
    "/sources/",
    "/search/?q=x",
    "/data/",
    "/sitemap.xml",
]


@pytest.mark.parametrize("url", PUBLIC)
@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_public_pages_are_read_only(client, url, method):
    response = getattr(client, method)(url)
    assert response.status_code in (403, 405), (method, url)


def test_public_detail_pages_are_read_only(client):
    from . import factories as f

    intervention = f.InterventionFactory()
    for url in (intervention.get_absolute_url(), intervention.subject_council.get_absolute_url()):
        assert client.post(url).status_code in (403, 405)
        assert client.delete(url).status_code in (403, 405)


def test_deleting_a_record_others_point_to_is_refused_with_a_clear_message(admin_client):
    from interventions.models import Council

    from . import factories as f

    intervention = f.InterventionFactory()
    council = intervention.subject_council
    url = reverse("admin:interventions_council_delete", args=[council.pk])
    page = admin_client.get(url).content.decode()
    assert "would require deleting the following protected related objects" in page
    response = admin_client.post(url, {"post": "yes"})
    assert Council.objects.filter(pk=council.pk).exists()
    assert response.status_code in (200, 403)


@pytest.mark.skipif(
    "postgres" not in os.environ.get("DATABASE_URL", ""),
    reason="checks PostgreSQL roles; SQLite has none",
)
def test_the_app_runs_as_a_database_user_without_superuser_rights():
    import uuid

    import psycopg

    url = os.environ["DATABASE_URL"]
    base = url.rsplit("/", 1)[0]
    name = f"casebook_role_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f"CREATE ROLE {name} LOGIN PASSWORD 'role-test' NOSUPERUSER NOCREATEDB")
        admin.execute(f"CREATE DATABASE {name} OWNER {name}")
    try:
        host = base.split("@", 1)[1]
        app_url = f"postgres://{name}:role-test@{host}/{name}"
        for args in (("migrate", "-v0"), ("seed", "-v0"), ("check",)):
            result = manage(*args, DATABASE_URL=app_url)
            assert result.returncode == 0, result.stderr[-2000:]
    finally:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            admin.execute(f"DROP ROLE IF EXISTS {name}")
