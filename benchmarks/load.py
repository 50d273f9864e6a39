"""`make load`: a bounded, mixed load at gunicorn on PostgreSQL, on 127.0.0.1 only.

Seeds a dedicated database, serves it with gunicorn (config/gunicorn.conf.py, as deployed),
drives 60 seconds of mixed requests at 64 connections with wrk, and prints requests, the
count of answers that were not 2xx or 3xx, and p50/p99 latency. The target is zero errors.

Then the slow-client phase (slowclients.py), bounded at 20 s each: connections sending their
headers a byte a second and never finishing, while /healthz is asked for twice a second.
Through nginx configured with deploy/nginx/casebook-proxy.conf (the documented front of a
deployment), 256 of them: every poll must be answered, else `make load` fails. Straight at
gunicorn, 16 of them, for comparison only: threaded workers hold out while no worker has
more slow clients than threads, which the kernel's spread of connections does not promise.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bench import PY, ROOT, start_gunicorn, stop, wait_for
from slowclients import report, slow_client_phase

PG_URL = os.environ.get("LOAD_PG_URL", "postgres://postgres:postgres@127.0.0.1:5432/casebook_load")
DURATION = os.environ.get("LOAD_DURATION", "60s")
CONNECTIONS = os.environ.get("LOAD_CONNECTIONS", "64")
WORKERS = os.environ.get("LOAD_WORKERS", "4")
SLOW_CLIENTS = int(os.environ.get("LOAD_SLOW_CLIENTS", "16"))
SLOW_SECONDS = float(os.environ.get("LOAD_SLOW_SECONDS", "20"))
NGINX_SLOW_CLIENTS = int(os.environ.get("LOAD_NGINX_SLOW_CLIENTS", "256"))
NGINX_PORT = 8103
NGINX_CONF = """
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    upstream casebook {{ server 127.0.0.1:8101; keepalive 16; }}
    server {{
        listen 127.0.0.1:{port};
        include {snippet};
    }}
}}
"""


@contextlib.contextmanager
def nginx_in_front():
    """nginx on 127.0.0.1:8103 in front of gunicorn, with the committed proxy settings."""
    with tempfile.TemporaryDirectory() as tmp:
        conf = Path(tmp) / "nginx.conf"
        snippet = ROOT / "deploy" / "nginx" / "casebook-proxy.conf"
        conf.write_text(NGINX_CONF.format(tmp=tmp, port=NGINX_PORT, snippet=snippet))
        process = subprocess.Popen(
            [shutil.which("nginx"), "-p", tmp, "-c", str(conf), "-g", "daemon off;"],
            start_new_session=True,
        )
        try:
            wait_for(f"http://127.0.0.1:{NGINX_PORT}/healthz", seconds=20)
            yield NGINX_PORT
        finally:
            stop([process])


def slow_phases() -> list[tuple[str, dict, bool]]:
    """(what, figures, whether every poll must be answered)."""
    nginx = shutil.which("nginx")
    if not nginx:
        raise SystemExit("nginx is needed for the slow-client phase (make load installs it)")
    with nginx_in_front() as port:
        through_nginx = slow_client_phase(port, NGINX_SLOW_CLIENTS, SLOW_SECONDS)
    straight = slow_client_phase(8101, SLOW_CLIENTS, SLOW_SECONDS)
    return [
        ("through nginx", through_nginx, True),
        ("straight at gunicorn, for comparison", straight, False),
    ]


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
        phases = slow_phases()
    finally:
        stop([server])
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    print(f"{DURATION} at {CONNECTIONS} connections, gunicorn {WORKERS} workers, PostgreSQL")
    print(
        f"requests {figures['requests']}, not 2xx/3xx {figures['non_2xx_3xx']}, "
        f"socket errors {figures['socket_errors']}, {figures['rps']} req/s, "
        f"p50 {figures['p50_ms']} ms, p99 {figures['p99_ms']} ms"
    )
    failed = bool(figures["non_2xx_3xx"] or figures["socket_errors"])
    for name, slow, required in phases:
        print(f"slow clients {name}: {report(slow)}")
        figures[f"slow clients {name}"] = slow
        answered = slow["healthz_polls"] and slow["healthz_answered"] == slow["healthz_polls"]
        if required and not answered:
            print(f"FAILED: /healthz did not answer every poll during the slow clients ({name})")
            failed = True
    print(json.dumps(figures))
    if failed:
        sys.exit(1)


if __name__ == "__main__":
    main()
