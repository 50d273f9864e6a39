"""`make outage`: stop PostgreSQL under a running gunicorn and start it again.

While the database is down every page, /healthz and the admin included, must answer 503 with
Retry-After, for a visitor without a cookie, one sending a made-up session cookie and a
signed-in curator alike; once it is back the same gunicorn processes (config/gunicorn.conf.py)
must answer as before, the curator still signed in, with no restart.
Needs the right to stop and start the local cluster (root, as in CI).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request

from bench import PY, ROOT, start_gunicorn, stop, wait_for

PG_URL = os.environ.get("LOAD_PG_URL", "postgres://postgres:postgres@127.0.0.1:5432/casebook_load")
PAGES = ["/", "/interventions/", "/interventions/kent-swindon-partnership/", "/spending/"]
DOWN_PAGES = [*PAGES, "/healthz", "/admin/login/"]
SESSION_PAGES = ["/admin/", "/admin/interventions/intervention/"]  # without one: to sign-in
SIGN_IN = """
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore

user, _ = get_user_model().objects.get_or_create(
    username="outage-check", defaults={"is_staff": True, "is_superuser": True}
)
user.set_unusable_password()
user.save()
session = SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session.create()
print(session.session_key)
"""


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def status(path: str, session: str | None = None) -> tuple[int, str | None]:
    request = urllib.request.Request(f"http://127.0.0.1:8101{path}")
    if session:
        request.add_header("Cookie", f"sessionid={session}")
    try:
        with OPENER.open(request, timeout=20) as response:
            return response.status, response.headers.get("Retry-After")
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Retry-After")


def cluster(action: str) -> None:
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", action], check=True
    )


def main() -> None:
    import psycopg

    base, name = PG_URL.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    env = {**os.environ, "DATABASE_URL": PG_URL}
    for args in (["migrate", "-v0"], ["seed", "-v0"]):
        subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, check=True)
    signed_in = subprocess.run(
        [PY, "manage.py", "shell", "-c", SIGN_IN],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()[-1]
    visitors = {"no cookie": None, "made-up session": "x" * 32, "signed in": signed_in}
    server = start_gunicorn(PG_URL)
    failures = []
    try:
        wait_for("http://127.0.0.1:8101/healthz")
        before = {page: status(page)[0] for page in PAGES}
        print("database up:", before)
        failures += [p for p, code in before.items() if code != 200]
        if status("/admin/", signed_in)[0] != 200:
            failures.append("signed in before the outage: /admin/")
        cluster("stop")
        started = time.monotonic()
        try:
            for visitor, session in visitors.items():
                pages = DOWN_PAGES + (SESSION_PAGES if session else [])
                down = {page: status(page, session) for page in pages}
                print(f"database down, {visitor}:", down)
                failures += [
                    f"{visitor}: {p}"
                    for p, (code, retry) in down.items()
                    if code != 503 or not retry
                ]
            elapsed = time.monotonic() - started
            print(f"database down for {elapsed:.1f} s")
        finally:
            cluster("start")
        deadline = time.monotonic() + 30
        after = {}
        while time.monotonic() < deadline:
            after = {
                (visitor, page): status(page, session)[0]
                for visitor, session in visitors.items()
                for page in PAGES
            }
            if all(code == 200 for code in after.values()):
                break
            time.sleep(1)
        print("database back, same gunicorn:", after)
        failures += [f"{visitor}: {page}" for (visitor, page), code in after.items() if code != 200]
        if status("/admin/", signed_in)[0] != 200:
            failures.append("still signed in after the outage: /admin/")
    finally:
        stop([server])
    if failures:
        print("FAILED:", failures)
        sys.exit(1)
    print(
        "outage handled: 503 with Retry-After while down, with or without a session,"
        " recovered without a restart"
    )


if __name__ == "__main__":
    main()
