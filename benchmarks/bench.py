"""Casebook against Datasette on the same rows, cold and warm: `make bench` (DB=, SCALE=).

Builds the synthetic data set for SCALE (default 1) if absent (outside git, in
benchmarks/data/), serves it with two Casebook gunicorns and the same SQLite file with
Datasette, each with the same number of worker processes (BENCH_WORKERS, default 2):

- cold: CASEBOOK_BENCH_COLD=1, so every request is served as the first one after an edit
  (its page, counts and facets worked out afresh: `interventions.datacache.cold`), and says
  how many SQL queries it ran (X-Casebook-Queries);
- warm: as deployed, so a repeated address comes from the page cache.

For each pair of equivalent pages it drives the same bounded load with wrk on 127.0.0.1 at
both Casebooks and at Datasette, reads Casebook's own time per request (Server-Timing) over
sequential requests, and the HTML size and query count of one cold request, flags every
target missed, and prints one table and, on its last line, the same as JSON, which it also
saves as benchmarks/results/<db>-scale<S>.json (sqlite-scale1.json, postgres-scale0_1.json).
`bench.py --chart` (`make bench-chart`) draws benchmarks/growth.svg from whichever results are
saved (benchmarks/chart.py): each page's cold p95 at scale 0.1, 1 and 10. Ports:
BENCH_PORT (default 8101) for the warm Casebook, +1 for Datasette, +2 for the cold Casebook.
"""

from __future__ import annotations

import contextlib
import html
import json
import os
import re
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlencode, urljoin, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / "data"
RESULTS = ROOT / "benchmarks" / "results"
PY = str(ROOT / ".venv" / "bin" / "python")
GUNICORN_CONFIG = ROOT / "config" / "gunicorn.conf.py"  # as deployed: threaded workers


def scale_tag(scale: str) -> str:
    """ "1" → "1", "0.1" → "0_1", "10.0" → "10": a name for files and databases."""
    return f"{float(scale):g}".replace(".", "_")


SCALE = os.environ.get("SCALE") or "1"
TAG = scale_tag(SCALE)
SQLITE = DATA / f"scale{TAG}.sqlite3"
DB_NAME = SQLITE.stem  # Datasette's name for the file, in its addresses
PORT = int(os.environ.get("BENCH_PORT", "8101"))
WARM = f"http://127.0.0.1:{PORT}"
DATASETTE = f"http://127.0.0.1:{PORT + 1}"
COLD = f"http://127.0.0.1:{PORT + 2}"
WORKERS = os.environ.get("BENCH_WORKERS", "2")
DURATION = os.environ.get("BENCH_DURATION", "10s")
CONNECTIONS = os.environ.get("BENCH_CONNECTIONS", "8")
TIMING_SAMPLES = int(os.environ.get("BENCH_TIMING_SAMPLES", "60"))
# Sequential samples stop after this long (at least three are taken): a page that takes
# seconds would otherwise hold the bench for many minutes.
TIMING_SECONDS = float(os.environ.get("BENCH_TIMING_SECONDS", "30"))
EXPORT_TIMES = int(os.environ.get("BENCH_EXPORT_TIMES", "3"))
DEEP_PAGES = int(os.environ.get("BENCH_DEEP_PAGES", "2000"))  # "next" links followed
PAGE_SIZE = 50  # rows on a Casebook list page, asked of Datasette too

# The targets (issue 15), cold, at the server: p95 (ms) by kind of page, throughput against
# Datasette's, and the size of any page.
P95_TARGET_MS = {"list": 50, "detail": 30, "search": 80, "compare": 80}
RATIO_TARGET = 3.0
HTML_TARGET_BYTES = 100 * 1024
MISSED = "MISSED"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def expected_rows(scale: str) -> dict[str, int]:
    """The synthetic rows a finished build of `scale` has (generate_synthetic's n()): the
    spending lines and, written last, the statistics."""
    return {
        "ratings_spendingline": max(1, round(1_000_000 * float(scale))),
        "ratings_statistic": max(1, round(100_000 * float(scale))),
    }


def pg_url(scale: str, base: str | None = None) -> str:
    """The bench's PostgreSQL database for a scale: casebook_bench (scale 1), casebook_bench_10,
    casebook_bench_0_1; BENCH_PG_URL names another."""
    tag = scale_tag(scale)
    default = "postgres://postgres:postgres@127.0.0.1:5432/casebook_bench" + (
        "" if tag == "1" else f"_{tag}"
    )
    return base or default


PG_URL = pg_url(SCALE, os.environ.get("BENCH_PG_URL"))


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
    # Built under another name and renamed when done, so that a build cut short is not taken
    # for a finished one next time (it is built again from the start).
    building = SQLITE.with_name(SQLITE.name + ".building")
    building.unlink(missing_ok=True)
    url = f"sqlite:///{building}"
    log(f"building the scale-{SCALE} data set in {SQLITE} (scale 1: a few minutes)")
    manage("migrate", "-v0", database_url=url)
    manage("seed", "-v0", database_url=url)
    manage("generate_synthetic", "--scale", SCALE, "--no-progress", database_url=url)
    with sqlite3.connect(building) as db:
        db.execute("ANALYZE")
    building.rename(SQLITE)


def pg_built(url: str, scale: str) -> bool:
    """Whether the database holds a finished synthetic set of `scale` (its spending lines and
    statistics, each loaded in one transaction, statistics last), or at least as many rows."""
    import psycopg

    with psycopg.connect(url) as conn:
        try:
            for table, rows in expected_rows(scale).items():
                # Counting 10,000,000 rows takes seconds: look only as far as needed.
                found = conn.execute(
                    f"SELECT count(*) FROM (SELECT 1 FROM {table} LIMIT %s) t", [rows]
                ).fetchone()[0]
                if found < rows:
                    return False
        except psycopg.errors.UndefinedTable:
            return False
    return True


def ensure_postgres() -> None:
    import psycopg

    base, name = PG_URL.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
    if not pg_built(PG_URL, SCALE):
        log(f"building the scale-{SCALE} data set in PostgreSQL (scale 1: a few minutes)")
        manage("migrate", "-v0", database_url=PG_URL)
        manage("seed", "-v0", database_url=PG_URL)
        manage(
            "generate_synthetic", "--scale", SCALE, "--replace", "--no-progress",
            database_url=PG_URL,
        )  # fmt: skip
    else:
        manage("migrate", "-v0", database_url=PG_URL)  # a database from older code
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


def wait_for(url: str, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except Exception:
            time.sleep(0.3)
    raise SystemExit(f"{url} did not answer within {seconds} s")


def start_gunicorn(
    database_url: str, port: int = PORT, cold: bool = False, workers: str = WORKERS
) -> subprocess.Popen:
    """A Casebook gunicorn: `make outage` and `make load` start theirs with this too."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CASEBOOK_BENCH_COLD": "1" if cold else "0",
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
            f"127.0.0.1:{port}",
            "--access-logfile",
            "/dev/null",
            "--timeout",
            "300",
            "--control-socket",
            f"/tmp/casebook-bench-{port}.ctl",  # gunicorn's default is one path for all
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )


def start_datasette() -> subprocess.Popen:
    """Datasette on the same file, immutable, with as many worker processes as Casebook
    (uvicorn's --workers; `datasette serve` runs one), through benchmarks/datasette_app.py."""
    env = {**os.environ, "BENCH_DATASETTE_FILE": str(SQLITE), "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [
            str(ROOT / ".venv/bin/uvicorn"),
            "--factory",
            "benchmarks.datasette_app:app",
            "--workers",
            WORKERS,
            "--host",
            "127.0.0.1",
            "--port",
            str(PORT + 1),
            "--log-level",
            "warning",
            "--no-access-log",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
    )


def start_servers(database_url: str) -> list[subprocess.Popen]:
    processes = [
        start_gunicorn(database_url, PORT, cold=False),
        start_datasette(),
        start_gunicorn(database_url, PORT + 2, cold=True),
    ]
    try:
        wait_for(f"{WARM}/healthz")
        wait_for(f"{COLD}/healthz")
        wait_for(f"{DATASETTE}/-/versions.json")
    except BaseException:
        stop(processes)
        raise
    return processes


def stop(processes) -> None:
    for process in processes:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
    for process in processes:
        process.wait(timeout=30)


def pick_rows() -> dict:
    """Ids and slugs for equivalent pages, read from the SQLite file both servers share."""
    with sqlite3.connect(SQLITE) as db:
        # The council with the most inspections, case studies and spending lines.
        councils = db.execute(
            "SELECT c.id, c.slug, "
            "(SELECT count(*) FROM ratings_inspection i WHERE i.council_id = c.id) "
            "+ (SELECT count(*) FROM interventions_intervention v "
            "   WHERE v.subject_council_id = c.id) "
            "+ (SELECT count(*) FROM ratings_spendingline s WHERE s.council_id = c.id) AS size "
            "FROM interventions_council c WHERE c.published "
            "ORDER BY size DESC, c.id LIMIT 2"
        ).fetchall()
        # Mid-sized councils (the 21st and 22nd by spending lines): one council's filtered
        # spending list, and the comparison (which shows every spending line of both: for
        # the two largest at scale 0.1 that was 9 MB of HTML and 50 s, benchmarks/README.md).
        middle = db.execute(
            "SELECT c.id, c.slug FROM interventions_council c JOIN ratings_spendingline s "
            "ON s.council_id = c.id WHERE c.slug LIKE 'synthetic-%' AND c.published "
            "GROUP BY c.id ORDER BY count(*) DESC, c.id LIMIT 2 OFFSET 20"
        ).fetchall()
        if len(middle) < 2:
            middle = [(c[0], c[1]) for c in councils]
        # The largest case study: its council's inspections (all shown), then its own facts.
        case = db.execute(
            "SELECT v.id, v.slug FROM interventions_intervention v WHERE v.published "
            "ORDER BY (SELECT count(*) FROM ratings_inspection i "
            "          WHERE i.council_id = v.subject_council_id) DESC, "
            "(SELECT count(*) FROM ratings_spendingline s WHERE s.intervention_id = v.id) "
            "+ (SELECT count(*) FROM ratings_statistic t WHERE t.intervention_id = v.id) DESC, "
            "v.id LIMIT 1"
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
        "council_id": councils[0][0],
        "council": councils[0][1],
        "filtered_council_id": middle[0][0],
        "filtered_council": middle[0][1],
        "compared_council_ids": [middle[0][0], middle[1][0]],
        "compared_councils": [middle[0][1], middle[1][1]],
        "intervention_id": case[0],
        "intervention": case[1],
        "search": os.environ.get("BENCH_SEARCH", "children"),
        "year_from": first,
        "year_to": last,
        "export_rows": total,
    }


# Closest to /compare/ for two councils in one SQL query: each council's inspections with
# their grades, its yearly spending totals by kind, and its statistics.
COMPARE_SQL = """
select c.name as council, 'inspection' as what, i.year as year,
  i.framework || ': ' || coalesce(i.overall_grade, '') as label, i.overall_score as value
from ratings_inspection i join interventions_council c on c.id = i.council_id
where i.council_id in (:a, :b) and i.public = 1
union all
select c.name, 'spending', s.year, s.kind, sum(s.amount_gbp)
from ratings_spendingline s join interventions_council c on c.id = s.council_id
where s.council_id in (:a, :b) and s.public = 1 group by c.name, s.year, s.kind
union all
select c.name, 'statistic', t.year, t.measure, t.value
from ratings_statistic t join interventions_council c on c.id = t.council_id
where t.council_id in (:a, :b) and t.public = 1
order by 1, 2, 3
""".strip()


def pairs(rows: dict) -> list[dict]:
    """The pairs of equivalent pages: Casebook's address (on either server) and Datasette's.

    `follow` is how many "next" links to follow from the address given to reach the page
    measured, on both sides: each server's own links, never a cursor made up here.
    """
    r = rows
    db = f"/{DB_NAME}"
    size = f"_size={PAGE_SIZE}"
    search = quote(r["search"])
    return [
        {
            "pair": "spending list, first page",
            "kind": "list",
            "casebook": "/spending/",
            "datasette": f"{db}/ratings_spendingline?public=1&_sort=year&{size}&_nofacet=1",
        },
        {
            "pair": "spending: filtered, sorted, page 2",
            "kind": "list",
            "casebook": f"/spending/?council={r['filtered_council']}&sort=-amount_gbp&page=2",
            "datasette": f"{db}/ratings_spendingline?council_id={r['filtered_council_id']}"
            f"&public=1&_sort_desc=amount_gbp&{size}&_nofacet=1",
            "datasette_follow": 1,
        },
        {
            "pair": f"spending: {DEEP_PAGES:,} next links in",
            "kind": "list",
            "casebook": "/spending/",
            "datasette": f"{db}/ratings_spendingline?public=1&_sort=year&{size}&_nofacet=1",
            "follow": DEEP_PAGES,
            "datasette_follow": DEEP_PAGES,
        },
        {
            "pair": "judgements with facet counts",
            "kind": "list",
            "casebook": "/judgements/?framework=ofsted-sif",
            "datasette": f"{db}/ratings_judgement?framework=ofsted-sif&public=1"
            f"&_facet=grade&_facet=framework&{size}",
        },
        {
            "pair": "largest council's page",
            "kind": "detail",
            "casebook": f"/councils/{r['council']}/",
            "datasette": f"{db}/interventions_council/{r['council_id']}",
        },
        {
            "pair": "largest case study",
            "kind": "detail",
            "casebook": f"/interventions/{r['intervention']}/",
            "datasette": f"{db}/interventions_intervention/{r['intervention_id']}",
        },
        {
            "pair": f'search "{r["search"]}"',
            "kind": "search",
            "casebook": f"/search/?q={search}",
            "datasette": f"{db}/interventions_searchdocument?_search={search}"
            "&_fts_table=interventions_searchdocument_fts&_fts_pk=id&published=1"
            "&_size=20&_nofacet=1",
        },
        {
            "pair": "compare two councils",
            "kind": "compare",
            "casebook": "/compare/?" + urlencode([("council", c) for c in r["compared_councils"]]),
            "datasette": f"{db}?"
            + urlencode(
                {
                    "sql": COMPARE_SQL,
                    "a": r["compared_council_ids"][0],
                    "b": r["compared_council_ids"][1],
                }
            ),
        },
        {
            "pair": f"CSV of {r['export_rows']:,} spending lines",
            "kind": "export",
            "casebook": f"/spending/?format=csv&year_from={r['year_from']}&year_to={r['year_to']}",
            "datasette": f"{db}/ratings_spendingline.csv?year__gte={r['year_from']}"
            f"&year__lte={r['year_to']}&public=1&_stream=on&_size=max",
        },
    ]


# Following "next" links ---------------------------------------------------------------

NEXT_ANCHOR = re.compile(r"<a\b[^>]*\brel=\"next\"[^>]*>", re.IGNORECASE)
HREF = re.compile(r"\bhref=\"([^\"]*)\"", re.IGNORECASE)


def html_next(body: str, url: str) -> str | None:
    """The address of the page's rel="next" link, made absolute against `url`."""
    anchor = NEXT_ANCHOR.search(body)
    if not anchor:
        return None
    href = HREF.search(anchor.group(0))
    return urljoin(url, html.unescape(href.group(1))) if href else None


def json_next(body: str, url: str) -> str | None:
    """The "next" link of a Casebook or Datasette JSON page, on the server `url` is on
    (Casebook writes its links with the site's public address)."""
    data = json.loads(body)
    link = data.get("next_url") if "next_url" in data else data.get("next")
    if not link:
        return None
    if "next_url" not in data and not str(link).startswith(("http:", "https:", "/", "?")):
        return None  # Datasette's bare "next" token: its next_url is the link
    parts, base = urlsplit(urljoin(url, link)), urlsplit(url)
    return urlunsplit((base.scheme, base.netloc, parts.path, parts.query, ""))


def follow_next(get, url: str, times: int, next_of) -> tuple[str, int]:
    """Follow up to `times` "next" links from `url`: (the address reached, links followed).

    `get(url)` returns the body as text; `next_of(body, url)` the next page's address."""
    followed = 0
    while followed < times:
        link = next_of(get(url), url)
        if link is None:
            break
        url, followed = link, followed + 1
    return url, followed


def with_format(url: str, add: dict | None = None, drop: tuple = ()) -> str:
    parts = urlsplit(url)
    params = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in drop]
    params += list((add or {}).items())
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(params), ""))


def http_get(url: str, timeout: float = 120) -> str:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.read().decode()


def casebook_deep(base: str, path: str, times: int) -> tuple[str, int]:
    """Casebook's page `times` "next" links on from `path`: the JSON form of the list is
    followed (the same links as the HTML's, without rendering every page), and the last link
    is taken from the HTML page before it, as a reader would."""
    start = with_format(urljoin(base, path), {"format": "json"})
    reached, followed = follow_next(http_get, start, max(times - 1, 0), json_next)
    html_page = with_format(reached, drop=("format",))
    if followed < times - 1 or times == 0:
        return html_page, followed
    link = html_next(http_get(html_page), html_page)
    return (link, followed + 1) if link else (html_page, followed)


def datasette_deep(path: str, times: int) -> tuple[str, int]:
    """Datasette's page `times` "next" links on: its JSON's next_url, then the HTML page."""
    parts = urlsplit(urljoin(DATASETTE, path))
    start = urlunsplit(parts._replace(path=parts.path + ".json"))
    reached, followed = follow_next(http_get, start, times, json_next)
    parts = urlsplit(reached)
    return urlunsplit(parts._replace(path=parts.path.removesuffix(".json"))), followed


# Measuring ------------------------------------------------------------------------------


def parse_wrk(stdout: str) -> dict:
    """The JSON line latency.lua writes at the end of wrk's own report."""
    for line in reversed(stdout.strip().splitlines()):
        line = line.strip()
        if line.startswith("{"):
            result = json.loads(line)
            missing = {"requests", "errors", "rps", "p50", "p95", "p99"} - set(result)
            if missing:
                raise ValueError(f"wrk's report lacks {', '.join(sorted(missing))}: {line}")
            return result
    raise ValueError(f"wrk printed no JSON line (is benchmarks/latency.lua used?):\n{stdout}")


def wrk(url: str) -> dict:
    result = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{CONNECTIONS}",
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
    return parse_wrk(result.stdout)


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


def p95(values: list[float]) -> float:
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


def server_p95(url: str, samples: int = TIMING_SAMPLES, seconds: float = TIMING_SECONDS) -> float:
    """p95 of Casebook's own Server-Timing over sequential requests (ms): `samples` of them,
    or as many (at least three) as `seconds` allow."""
    durations = []
    started = time.monotonic()
    for _ in range(samples):
        if len(durations) >= 3 and time.monotonic() - started > seconds:
            break
        with urllib.request.urlopen(url, timeout=120) as response:
            header = response.headers.get("Server-Timing", "app;dur=0")
            response.read()
        durations.append(float(header.split("dur=")[1]))
    return p95(durations)


def probe(url: str) -> dict:
    """One request to the cold server: its status, HTML size and SQL queries."""
    with urllib.request.urlopen(url, timeout=120) as response:
        body = response.read()
        queries = response.headers.get("X-Casebook-Queries")
        return {
            "status": response.status,
            "bytes": len(body),
            "queries": int(queries) if queries is not None else None,
            "content_type": response.headers.get("Content-Type", ""),
            "cache": response.headers.get("X-Casebook-Cache"),
        }


def warm_up(url: str, times: int = 5) -> None:
    for _ in range(times):
        with urllib.request.urlopen(url, timeout=600) as response:
            while response.read(1 << 20):
                pass


def ratio(ours: float, theirs: float) -> float | None:
    return round(ours / theirs, 2) if theirs else None


def missed(result: dict) -> list[str]:
    """The targets this pair misses, cold: p95 at the server by kind of page, throughput
    against Datasette, HTML size."""
    misses = []
    target = P95_TARGET_MS.get(result["kind"])
    if target is not None and result["cold_p95_ms"] >= target:
        misses.append(f"cold p95 {result['cold_p95_ms']} ms, target < {target}")
    if result["cold_ratio"] is not None and result["cold_ratio"] < RATIO_TARGET:
        misses.append(f"cold rps {result['cold_ratio']}x Datasette's, target >= {RATIO_TARGET}x")
    if result["kind"] != "export" and result["html_bytes"] >= HTML_TARGET_BYTES:
        kb = result["html_bytes"] / 1024
        misses.append(f"HTML {kb:.1f} KB, target < {HTML_TARGET_BYTES // 1024} KB")
    return misses


def measure_pair(pair: dict) -> dict:
    kind = pair["kind"]
    path, followed = pair["casebook"], 0
    if pair.get("follow"):
        # Each server signs its own cursors alike (same secret), so the links followed on
        # the warm server are good on the cold one too.
        reached, followed = casebook_deep(WARM, path, pair["follow"])
        parts = urlsplit(reached)
        path = urlunsplit(("", "", parts.path, parts.query, ""))
    theirs, their_followed = urljoin(DATASETTE, pair["datasette"]), 0
    if pair.get("datasette_follow"):
        theirs, their_followed = datasette_deep(pair["datasette"], pair["datasette_follow"])
    cold, warm = urljoin(COLD, path), urljoin(WARM, path)
    one = probe(cold)
    if one["status"] != 200:
        raise SystemExit(f"{cold} answered {one['status']}")
    if one["queries"] is None or (kind != "export" and probe(cold)["cache"] == "hit"):
        raise SystemExit(f"{COLD} is not cold (CASEBOOK_BENCH_COLD): it served {path} cached")
    if kind == "export":
        warm_up(theirs, 1)
        cold_m, warm_m, their_m = downloads(cold), downloads(warm), downloads(theirs)
        cold_p95, warm_p95 = cold_m["p95"], warm_m["p95"]  # whole downloads, at the client
    else:
        warm_up(warm)
        warm_up(theirs)
        cold_m, warm_m, their_m = wrk(cold), wrk(warm), wrk(theirs)
        cold_p95 = round(server_p95(cold), 1)
        warm_p95 = round(server_p95(warm), 1)
    result = {
        "pair": pair["pair"],
        "kind": kind,
        "casebook_url": path,
        "datasette_url": theirs.removeprefix(DATASETTE),
        "next_links_followed": {"casebook": followed, "datasette": their_followed}
        if pair.get("follow")
        else None,
        "cold_p95_ms": cold_p95,
        "cold_rps": cold_m["rps"],
        "warm_p95_ms": warm_p95,
        "warm_rps": warm_m["rps"],
        "datasette_rps": their_m["rps"],
        "datasette_p95_ms": their_m["p95"],
        "cold_ratio": ratio(cold_m["rps"], their_m["rps"]),
        "warm_ratio": ratio(warm_m["rps"], their_m["rps"]),
        "html_bytes": one["bytes"],
        "queries": one["queries"],
        "cold_wrk": cold_m,
        "warm_wrk": warm_m,
        "datasette_wrk": their_m,
    }
    result["missed"] = missed(result)
    return result


def export_peak_rss(master_pid: int, url: str) -> float:
    """Peak RSS (MB) of the gunicorn worker that streams the full export."""
    children = subprocess.run(["pgrep", "-P", str(master_pid)], capture_output=True, text=True)
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


# The table ------------------------------------------------------------------------------


def flagged(value, bad: bool, width: int, digits: int = 1) -> str:
    if value is None:
        text = "-"
    elif isinstance(value, float):
        text = f"{value:.{digits}f}"
    else:
        text = str(value)
    return f"{text + (' ' + MISSED if bad else ''):>{width}}"


def table(results: list[dict]) -> str:
    header = (
        f"{'pair':36} {'cold p95':>15} {'cold rps':>9} {'cold x':>13} {'warm p95':>8} "
        f"{'warm rps':>9} {'warm x':>7} {'data rps':>9} {'data p95':>9} {'HTML KB':>14} "
        f"{'queries':>7}"
    )
    lines = [header]
    for r in results:
        target = P95_TARGET_MS.get(r["kind"])
        slow = target is not None and r["cold_p95_ms"] >= target
        weak = r["cold_ratio"] is not None and r["cold_ratio"] < RATIO_TARGET
        big = r["kind"] != "export" and r["html_bytes"] >= HTML_TARGET_BYTES
        digits = 3 if r["kind"] == "export" else 1
        html_kb = round(r["html_bytes"] / 1024, 1)
        lines.append(
            f"{r['pair'][:36]:36} {flagged(r['cold_p95_ms'], slow, 15)} "
            f"{flagged(r['cold_rps'], False, 9, digits)} {flagged(r['cold_ratio'], weak, 13, 2)} "
            f"{flagged(r['warm_p95_ms'], False, 8)} {flagged(r['warm_rps'], False, 9, digits)} "
            f"{flagged(r['warm_ratio'], False, 7, 2)} "
            f"{flagged(r['datasette_rps'], False, 9, digits)} "
            f"{flagged(r['datasette_p95_ms'], False, 9)} {flagged(html_kb, big, 14)} "
            f"{flagged(r['queries'], False, 7)}"
        )
    return "\n".join(lines)


def machine() -> dict:
    load = os.getloadavg()
    return {"cores": os.cpu_count(), "load_average": [round(x, 2) for x in load]}


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
    before = machine()
    processes = start_servers(database_url)
    results = []
    try:
        # First, while the warm server's workers have served nothing else.
        log("measuring: worker memory while streaming every spending line as CSV")
        rss = export_peak_rss(processes[0].pid, f"{WARM}/spending/?format=csv")
        for pair in pairs(rows):
            log(f"measuring: {pair['pair']}")
            results.append(measure_pair(pair))
    finally:
        stop(processes)
    after = machine()
    print(
        f"Casebook ({backend}) against Datasette (SQLite), scale {SCALE}, "
        f"{WORKERS} worker processes each, wrk -c{CONNECTIONS} {DURATION}; "
        f"load average {before['load_average'][0]} before, {after['load_average'][0]} after"
    )
    print(
        "cold: every request served as the first after an edit; p95 in ms at the server "
        "(Server-Timing, sequential; exports: whole download); x: req/s over Datasette's"
    )
    print(table(results))
    misses = [f"{r['pair']}: {m}" for r in results for m in r["missed"]]
    print(f"CSV export of every spending line: worker peak RSS {rss:.0f} MB")
    print(f"targets missed: {len(misses)}" + "".join(f"\n  {MISSED} {m}" for m in misses))
    report = {
        "backend": backend,
        "scale": SCALE,
        "workers": int(WORKERS),
        "connections": int(CONNECTIONS),
        "duration": DURATION,
        "machine": {"before": before, "after": after},
        "rows": rows,
        "results": results,
        "targets_missed": misses,
        "export_peak_rss_mb": round(rss, 1),
    }
    saved = save_results(report)
    log(f"saved {saved.relative_to(ROOT)}; make bench-chart draws the growth chart")
    print(json.dumps(report))


def result_name(backend: str, scale: str) -> str:
    """The results file of a database and a scale: sqlite-scale1.json, postgres-scale0_1.json."""
    return f"{backend}-scale{scale_tag(scale)}.json"


def save_results(report: dict, directory: Path = RESULTS) -> Path:
    """The JSON last line, kept per database and scale for the growth chart."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / result_name(report["backend"], report["scale"])
    path.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    return path


if __name__ == "__main__":
    if sys.argv[1:] == ["--chart"]:
        sys.path.insert(0, str(ROOT / "benchmarks"))
        import chart

        chart.main()
    else:
        main()
