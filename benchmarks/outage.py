"""`make outage`: stop PostgreSQL under a running gunicorn and start it again.

While the database is down every public page must answer 503 with Retry-After and /healthz
503; once it is back the same gunicorn processes must answer 200 again, with no restart.
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


def status(path: str) -> tuple[int, str | None]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:8101{path}", timeout=20) as response:
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
    server = start_gunicorn(PG_URL)
    failures = []
    try:
        wait_for("http://127.0.0.1:8101/healthz")
        before = {page: status(page)[0] for page in PAGES}
        print("database up:", before)
        failures += [p for p, code in before.items() if code != 200]
        cluster("stop")
        started = time.monotonic()
        try:
            down = {page: status(page) for page in [*PAGES, "/healthz"]}
            elapsed = time.monotonic() - started
            print(f"database down ({elapsed:.1f} s for {len(down)} requests):", down)
            failures += [
                p
                for p, (code, retry) in down.items()
                if code != 503 or (p != "/healthz" and not retry)
            ]
        finally:
            cluster("start")
        deadline = time.monotonic() + 30
        after = {}
        while time.monotonic() < deadline:
            after = {page: status(page)[0] for page in PAGES}
            if all(code == 200 for code in after.values()):
                break
            time.sleep(1)
        print("database back, same gunicorn:", after)
        failures += [p for p, code in after.items() if code != 200]
    finally:
        stop([server])
    if failures:
        print("FAILED:", failures)
        sys.exit(1)
    print("outage handled: 503 with Retry-After while down, recovered without a restart")


if __name__ == "__main__":
    main()
