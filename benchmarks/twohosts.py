"""`make twohosts`: two gunicorn hosts on one PostgreSQL database and one Redis.

Host A (port 8111) and host B (port 8112) run as deployed (config/gunicorn.conf.py) with the
same DATABASE_URL and CASEBOOK_CACHE_URL. The check passes when

- a page host A rendered is served by host B from the shared cache (`X-Casebook-Cache: hit`),
  byte for byte, for GET, for HEAD and with a parameter no view reads (`?utm_source=…`);
- a curator's edit saved through host A's admin is on host B's page at the next request,
  and host A then serves the page host B rendered after the edit.

TWOHOSTS_PG_URL and TWOHOSTS_REDIS_URL say where (by default a casebook_twohosts database on
the local PostgreSQL and database 14 of the local Redis, whose keys the check may clear).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser

from bench import PY, ROOT, stop, wait_for

PG_URL = os.environ.get(
    "TWOHOSTS_PG_URL", "postgres://postgres:postgres@127.0.0.1:5432/casebook_twohosts"
)
REDIS_URL = os.environ.get("TWOHOSTS_REDIS_URL", "redis://127.0.0.1:6379/14")
HOSTS = {"A": "http://127.0.0.1:8111", "B": "http://127.0.0.1:8112"}
SIGN_IN = """
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore

from interventions import datacache
from interventions.models import Source

user, _ = get_user_model().objects.get_or_create(
    username="twohosts-check", defaults={"is_staff": True, "is_superuser": True}
)
user.set_unusable_password()
user.save()
session = SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session.create()
datacache.bump()  # a data version no earlier run has cached pages under
source = Source.objects.published().order_by("slug").first()
print(session.session_key, source.pk, source.slug)
"""


def start_host(port: str) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": PG_URL,
        "CASEBOOK_CACHE_URL": REDIS_URL,
        "DJANGO_DEBUG": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "2",
        "GUNICORN_THREADS": "4",
        "GUNICORN_ACCESS_LOG": "/dev/null",
    }
    return subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "--config", "config/gunicorn.conf.py", "config.wsgi"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )


def fetch(host: str, path: str, method: str = "GET", opener=None):
    """(status, headers, body) of a request from a visitor without a cookie."""
    request = urllib.request.Request(HOSTS[host] + path, method=method)
    try:
        with (opener or urllib.request.build_opener()).open(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


class FormFields(HTMLParser):
    """The fields of the admin's change form, as a browser would submit them untouched."""

    def __init__(self):
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self.in_form = False
        self.textarea = self.select = None
        self.text = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("method", "").lower() == "post" and "_form" in a.get("id", ""):
            self.in_form = True
        if not self.in_form or ("name" not in a and tag != "option"):
            return
        if tag == "input":
            kind = a.get("type", "text")
            if kind in ("submit", "button", "file", "image"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.fields.append((a["name"], a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "textarea":
            self.textarea, self.text = a["name"], ""
        elif tag == "select":
            self.select = a["name"]
        elif tag == "option" and self.select and "selected" in a:
            self.fields.append((self.select, a.get("value", "")))

    def handle_data(self, data):
        if self.textarea:
            self.text += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self.textarea:
            self.fields.append((self.textarea, self.text.removeprefix("\n")))
            self.textarea = None
        elif tag == "select":
            self.select = None
        elif tag == "form":
            self.in_form = False


def edit_through(host: str, session: str, source_pk: str, new_summary: str) -> None:
    """Change a source's summary in host's admin, as a curator would."""
    path = f"/admin/interventions/source/{source_pk}/change/"
    cookies = {"sessionid": session}

    def send(data: bytes | None = None):
        request = urllib.request.Request(HOSTS[host] + path, data=data)
        request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in cookies.items()))
        request.add_header("Referer", HOSTS[host] + path)
        return urllib.request.build_opener(NoRedirect).open(request, timeout=30)

    with send() as response:
        if response.status != 200:
            raise SystemExit(f"host {host}: the admin change form answered {response.status}")
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            cookies[name] = rest.split(";", 1)[0]
        form = FormFields()
        form.feed(response.read().decode())
    fields = [(n, new_summary if n == "summary" else v) for n, v in form.fields]
    # A published record's change needs a reason, as a curator gives it (interventions.corrections).
    fields = [(n, v) for n, v in fields if n != "change_reason"]
    fields.append(("change_reason", "Summary checked against the report"))
    if not any(n == "summary" for n, _ in fields):
        raise SystemExit("the source's change form has no summary field")
    try:
        send(urllib.parse.urlencode([*fields, ("_save", "Save")]).encode())
    except urllib.error.HTTPError as error:
        if error.code == 302:  # saved: back to the list of sources
            return
        raise SystemExit(
            f"host {host}: the admin answered {error.code}: {error.read()[:2000]!r}"
        ) from None
    raise SystemExit(f"host {host}: the admin did not save the edit (the form came back)")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def main() -> None:
    import psycopg
    import redis

    base, name = PG_URL.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    redis.Redis.from_url(REDIS_URL).ping()
    env = {**os.environ, "DATABASE_URL": PG_URL, "CASEBOOK_CACHE_URL": REDIS_URL}
    for args in (["migrate", "-v0"], ["seed", "-v0"]):
        subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, check=True)
    session, source_pk, slug = subprocess.run(
        [PY, "manage.py", "shell", "-c", SIGN_IN],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()[-3:]
    page = f"/sources/{slug}/"
    hosts = [start_host("8111"), start_host("8112")]
    failures = []

    def expect(label: str, ok: bool) -> None:
        print(("ok    " if ok else "FAIL  ") + label)
        if not ok:
            failures.append(label)

    try:
        for url in HOSTS.values():
            wait_for(f"{url}/healthz")
        for path in (page, "/spending/?sort=-amount_gbp", "/interventions/"):
            status_a, headers_a, body_a = fetch("A", path)
            status_b, headers_b, body_b = fetch("B", path)
            expect(
                f"{path}: rendered by A ({headers_a['X-Casebook-Cache']}),"
                f" served by B from the cache ({headers_b['X-Casebook-Cache']})",
                status_a == status_b == 200
                and headers_a["X-Casebook-Cache"] == "miss"
                and headers_b["X-Casebook-Cache"] == "hit"
                and body_a == body_b,
            )
        _, head, body = fetch("B", page, method="HEAD")
        expect(
            f"HEAD {page} on B: {head['X-Casebook-Cache']}, {len(body)} bytes of body",
            head["X-Casebook-Cache"] == "hit" and body == b"",
        )
        _, junk, _ = fetch("B", page + "?utm_source=newsletter")
        expect(
            f"{page}?utm_source=newsletter on B: {junk['X-Casebook-Cache']}",
            junk["X-Casebook-Cache"] == "hit",
        )
        summary = f"Summary edited through host A at {time.time():.0f}."
        edit_through("A", session, source_pk, summary)
        print(f"edited source {slug} through host A's admin")
        started = time.monotonic()
        _, headers, body = fetch("B", page)
        elapsed = (time.monotonic() - started) * 1000
        expect(
            f"{page} on B right after: the edit shown ({headers['X-Casebook-Cache']},"
            f" {elapsed:.0f} ms)",
            summary in body.decode(),
        )
        _, headers, body = fetch("A", page)
        expect(
            f"{page} on A: the page B rendered after the edit ({headers['X-Casebook-Cache']})",
            summary in body.decode() and headers["X-Casebook-Cache"] == "hit",
        )
    finally:
        stop(hosts)
    if failures:
        print("FAILED:", failures)
        sys.exit(1)
    print("two hosts, one cache: pages shared, an edit through one seen at once through the other")


if __name__ == "__main__":
    main()
