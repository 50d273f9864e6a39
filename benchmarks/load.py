"""`make load`: a bounded, mixed load at gunicorn on PostgreSQL, on 127.0.0.1 only.

Seeds a dedicated database, serves it with gunicorn, drives 60 seconds of mixed requests at
64 connections with wrk, and prints requests, the count of answers that were not 2xx or 3xx,
and p50/p99 latency. The target is zero errors.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from bench import PY, ROOT, start_gunicorn, stop, wait_for

PG_URL = os.environ.get("LOAD_PG_URL", "postgres://postgres:postgres@127.0.0.1:5432/casebook_load")
DURATION = os.environ.get("LOAD_DURATION", "60s")
CONNECTIONS = os.environ.get("LOAD_CONNECTIONS", "64")
WORKERS = os.environ.get("LOAD_WORKERS", "4")


def main() -> None:
    import psycopg

    base, name = PG_URL.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    env = {**os.environ, "DATABASE_URL": PG_URL}
    for args in (["migrate", "-v0"], ["seed", "-v0"]):
        subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, check=True)
    server = start_gunicorn(PG_URL, workers=WORKERS)
    try:
        wait_for("http://127.0.0.1:8101/healthz")
        result = subprocess.run(
            [
                "wrk",
                "-t2",
                f"-c{CONNECTIONS}",
                f"-d{DURATION}",
                "--timeout",
                "30s",
                "-s",
                str(ROOT / "benchmarks" / "mixed.lua"),
                "http://127.0.0.1:8101",
            ],
            capture_output=True,
            text=True,
            check=True,
        )
    finally:
        stop([server])
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    print(f"{DURATION} at {CONNECTIONS} connections, gunicorn {WORKERS} workers, PostgreSQL")
    print(
        f"requests {figures['requests']}, not 2xx/3xx {figures['non_2xx_3xx']}, "
        f"socket errors {figures['socket_errors']}, {figures['rps']} req/s, "
        f"p50 {figures['p50_ms']} ms, p99 {figures['p99_ms']} ms"
    )
    print(json.dumps(figures))
    if figures["non_2xx_3xx"] or figures["socket_errors"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
