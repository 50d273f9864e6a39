"""Casebook against Datasette on the same rows: `make bench` (DB=postgres for PostgreSQL).

Builds the scale-1 synthetic data set if absent (outside git, in benchmarks/data/), serves it
with gunicorn (2 workers) and the same SQLite file with Datasette, drives the same bounded
load at equivalent pairs of pages with wrk on 127.0.0.1, and prints one table and, on its
last line, the same as JSON. Server-side time comes from Casebook's Server-Timing header.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / "data"
SQLITE = DATA / "scale1.sqlite3"
PY = str(ROOT / ".venv" / "bin" / "python")
GUNICORN_CONFIG = ROOT / "config" / "gunicorn.conf.py"  # as deployed: threaded workers
CASEBOOK = "http://127.0.0.1:8101"
DATASETTE = "http://127.0.0.1:8102"
PG_URL = os.environ.get(
    "BENCH_PG_URL", "postgres://postgres:postgres@127.0.0.1:5432/casebook_bench"
)
DURATION = os.environ.get("BENCH_DURATION", "10s")
CONNECTIONS = os.environ.get("BENCH_CONNECTIONS", "8")
TIMING_SAMPLES = int(os.environ.get("BENCH_TIMING_SAMPLES", "60"))
EXPORT_TIMES = int(os.environ.get("BENCH_EXPORT_TIMES", "3"))


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def manage(*args: str, database_url: str) -> None:
    env = {**os.environ, "DATABASE_URL": database_url}
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, check=True)


def ensure_sqlite() -> None:
    if SQLITE.exists():
        manage("migrate", "-v0", database_url=f"sqlite:///{SQLITE}")  # a file from older code
        with sqlite3.connect(SQLITE) as db:
            db.execute("ANALYZE")  # statistics for any index the migrations added
        return
    DATA.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{SQLITE}"
    log(f"building the scale-1 data set in {SQLITE} (a few minutes)")
    manage("migrate", "-v0", database_url=url)
    manage("seed", "-v0", database_url=url)
    manage("generate_synthetic", "--scale", "1", database_url=url)
    with sqlite3.connect(SQLITE) as db:
        db.execute("ANALYZE")


def ensure_postgres() -> None:
    import psycopg

    base, name = PG_URL.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    with psycopg.connect(PG_URL) as conn:
        try:
            count = conn.execute("SELECT count(*) FROM ratings_spendingline").fetchone()[0]
        except psycopg.errors.UndefinedTable:
            count = 0
    if count < 900_000:
        log("building the scale-1 data set in PostgreSQL (a few minutes)")
        manage("migrate", "-v0", database_url=PG_URL)
        manage("seed", "-v0", database_url=PG_URL)
        manage("generate_synthetic", "--scale", "1", "--replace", database_url=PG_URL)
    else:
        manage("migrate", "-v0", database_url=PG_URL)  # a database from older code
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except Exception:
            time.sleep(0.3)
    raise SystemExit(f"{url} did not answer within {seconds} s")


def start_gunicorn(database_url: str, workers: str = "2") -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
    }
    return subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "--config",
            str(GUNICORN_CONFIG),
            "config.wsgi",
            "--workers",
            workers,
            "--bind",
            "127.0.0.1:8101",
            "--access-logfile",
            "/dev/null",
            "--timeout",
            "300",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )


def start_servers(database_url: str) -> list[subprocess.Popen]:
    casebook = start_gunicorn(database_url)
    datasette = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/datasette"),
            "serve",
            "-i",
            str(SQLITE),
            "--host",
            "127.0.0.1",
            "--port",
            "8102",
            "--setting",
            "sql_time_limit_ms",
            "60000",
            "--setting",
            "facet_time_limit_ms",
            "60000",
            "--setting",
            "max_csv_mb",
            "0",
        ],
        cwd=ROOT,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_for(f"{CASEBOOK}/healthz")
    wait_for(f"{DATASETTE}/-/versions.json")
    return [casebook, datasette]


def stop(processes) -> None:
    for process in processes:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
    for process in processes:
        process.wait(timeout=30)


def pick_rows() -> dict:
    """Ids and slugs for equivalent pages, read from the SQLite file both servers share."""
    with sqlite3.connect(SQLITE) as db:
        council_id, slug = db.execute(
            "SELECT c.id, c.slug FROM interventions_council c JOIN ratings_spendingline s "
            "ON s.council_id = c.id WHERE c.slug LIKE 'synthetic-%' GROUP BY c.id "
            "ORDER BY count(*) DESC LIMIT 1 OFFSET 20"
        ).fetchone()
        intervention_id, intervention_slug = db.execute(
            "SELECT id, slug FROM interventions_intervention WHERE slug LIKE 'synthetic-%' "
            "ORDER BY id LIMIT 1 OFFSET 100"
        ).fetchone()
        years = db.execute(
            "SELECT year, count(*) FROM ratings_spendingline WHERE year IS NOT NULL "
            "GROUP BY year ORDER BY year"
        ).fetchall()
    # A year range holding about 100,000 spending lines, for the export pair.
    total, first = 0, years[0][0]
    last = first
    for year, count in years:
        total += count
        last = year
        if total >= 100_000:
            break
    return {
        "council_id": council_id,
        "council": slug,
        "intervention_id": intervention_id,
        "intervention": intervention_slug,
        "year_from": first,
        "year_to": last,
        "export_rows": total,
    }


def pairs(rows: dict) -> list[tuple[str, str, str, str]]:
    r = rows
    return [
        (
            "spending list: filtered, sorted, paginated",
            "list",
            f"{CASEBOOK}/spending/?council={r['council']}&sort=-amount_gbp&page=2",
            f"{DATASETTE}/scale1/ratings_spendingline?council_id={r['council_id']}"
            "&_sort_desc=amount_gbp&_size=50&_nofacet=1",
        ),
        (
            "judgements: filtered, with facet counts",
            "list",
            f"{CASEBOOK}/judgements/?framework=ofsted-sif",
            f"{DATASETTE}/scale1/ratings_judgement?framework=ofsted-sif&_facet=grade"
            "&_facet=framework&_size=50",
        ),
        (
            "detail page: one intervention",
            "detail",
            f"{CASEBOOK}/interventions/{r['intervention']}/",
            f"{DATASETTE}/scale1/interventions_intervention/{r['intervention_id']}",
        ),
        (
            f"CSV export: {r['export_rows']:,} spending lines",
            "export",
            f"{CASEBOOK}/spending/?format=csv&year_from={r['year_from']}&year_to={r['year_to']}",
            f"{DATASETTE}/scale1/ratings_spendingline.csv?year__gte={r['year_from']}"
            f"&year__lte={r['year_to']}&_stream=on&_size=max",
        ),
    ]


def wrk(url: str, kind: str) -> dict:
    connections = CONNECTIONS
    result = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{DURATION}",
            "--timeout",
            "60s",
            "-s",
            str(ROOT / "benchmarks" / "latency.lua"),
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def downloads(url: str, times: int = EXPORT_TIMES) -> dict:
    """Whole exports one after another: wrk's time window cuts a long download short."""
    durations = []
    for _ in range(times):
        started = time.perf_counter()
        with urllib.request.urlopen(url, timeout=600) as response:
            while response.read(1 << 20):
                pass
        durations.append((time.perf_counter() - started) * 1000)
    ordered = sorted(durations)
    return {
        "requests": times,
        "errors": 0,
        "rps": round(times / (sum(durations) / 1000), 3),
        "p50": round(statistics.median(ordered), 1),
        "p95": round(ordered[-1], 1),  # with three downloads, the slowest stands for both
        "p99": round(ordered[-1], 1),
    }


def measure(url: str, kind: str) -> dict:
    return downloads(url) if kind == "export" else wrk(url, kind)


def retire_caches(database_url: str) -> None:
    """Move the data version on, as any edit does: every cached page and count is retired."""
    statement = (
        "INSERT INTO interventions_dataversion (id, number, changed) VALUES (1, 1, {now}) "
        "ON CONFLICT (id) DO UPDATE SET number = interventions_dataversion.number + 1, "
        "changed = excluded.changed"
    )
    if database_url.startswith("sqlite"):
        with sqlite3.connect(SQLITE) as db:
            db.execute(statement.format(now="strftime('%Y-%m-%d %H:%M:%f', 'now')"))
        return
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(statement.format(now="now()"))


def server_p95(url: str, database_url: str = "", cold: bool = False) -> float:
    """p95 of Casebook's own Server-Timing over sequential requests (ms).

    cold=True moves the data version on before each request, as an edit would, so that the
    page, its count and its facets are all worked out afresh: what the first visitor after
    an edit waits.
    """
    durations = []
    for _ in range(TIMING_SAMPLES):
        if cold:
            retire_caches(database_url)
        with urllib.request.urlopen(url, timeout=120) as response:
            header = response.headers.get("Server-Timing", "app;dur=0")
            response.read()
        durations.append(float(header.split("dur=")[1]))
    return statistics.quantiles(durations, n=20)[-1]


def page_size(url: str) -> int:
    with urllib.request.urlopen(url, timeout=60) as response:
        return len(response.read())


def export_peak_rss(processes, url: str) -> float:
    """Peak RSS (MB) of the gunicorn worker that streams the full 1,000,000-row export."""
    master = processes[0].pid
    children = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True)
    workers = [int(pid) for pid in children.stdout.split()]
    with urllib.request.urlopen(url, timeout=600) as response:
        while response.read(1 << 20):
            pass
    peaks = []
    for pid in workers:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                peaks.append(int(line.split()[1]) / 1024)
    return max(peaks)


def main() -> None:
    backend = os.environ.get("DB", "sqlite")
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")
    ensure_sqlite()
    database_url = f"sqlite:///{SQLITE}"
    if backend == "postgres":
        ensure_postgres()
        database_url = PG_URL
    rows = pick_rows()
    manage("collectstatic", "--no-input", "-v0", database_url=database_url)  # as deployed
    processes = start_servers(database_url)
    results = []
    try:
        for name, kind, ours, theirs in pairs(rows):
            log(f"measuring: {name}")
            if kind != "export":
                wrk(ours, kind)  # warm up both
                wrk(theirs, kind)
            a, b = measure(ours, kind), measure(theirs, kind)
            results.append(
                {
                    "pair": name,
                    "kind": kind,
                    "casebook": a,
                    "datasette": b,
                    "ratio": round(a["rps"] / b["rps"], 2) if b["rps"] else None,
                    "server_p95_ms": round(server_p95(ours), 1) if kind != "export" else None,
                    "uncached_p95_ms": (
                        round(server_p95(ours, database_url, cold=True), 1)
                        if kind != "export"
                        else None
                    ),
                }
            )
        # The larger of the two list pages (facets with many values make a page grow).
        list_html = max(page_size(p[2]) for p in pairs(rows) if p[1] == "list")
        rss = export_peak_rss(processes, f"{CASEBOOK}/spending/?format=csv")
    finally:
        stop(processes)
    print(f"Casebook ({backend}) against Datasette (SQLite), scale 1, wrk {DURATION}")
    header = (
        f"{'pair':45} {'req/s':>8} {'p50':>7} {'p95':>7} {'p99':>7} {'ratio':>6} "
        f"{'server p95':>10} {'uncached':>9}"
    )
    print(header)
    for r in results:
        for who in ("casebook", "datasette"):
            m = r[who]
            label = f"{r['pair'][:34]} [{who[:4]}]"
            extra = ""
            if who == "casebook":
                server = r["server_p95_ms"] if r["server_p95_ms"] is not None else "-"
                cold = r["uncached_p95_ms"] if r["uncached_p95_ms"] is not None else "-"
                ratio = r["ratio"] if r["ratio"] is not None else "-"
                extra = f"{ratio!s:>6} {server!s:>10} {cold!s:>9}"
            rps = f"{m['rps']:>8.3f}" if r["kind"] == "export" else f"{m['rps']:>8.1f}"
            timings = f"{rps} {m['p50']:>7.1f} {m['p95']:>7.1f} {m['p99']:>7.1f}"
            print(f"{label:45} {timings} {extra}")
    print(
        f"largest list page HTML: {list_html / 1024:.1f} KB; CSV export of every spending line: "
        f"worker peak RSS {rss:.0f} MB"
    )
    print(
        json.dumps(
            {
                "backend": backend,
                "rows": rows,
                "results": results,
                "list_html_bytes": list_html,
                "export_peak_rss_mb": round(rss, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
