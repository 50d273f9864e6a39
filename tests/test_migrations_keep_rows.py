"""Migrations keep every row: a database seeded by the last release, migrated by this one.

The last release's code is taken from git (BASELINE), seeded into a fresh database of the same
kind as the suite's (SQLite or PostgreSQL) and then migrated forward by this checkout's
migrations. Every value of every table of that database must still be there afterwards, history
tables and publication flags included, except where a migration moved it on purpose: each such
column is named in MOVED with the check that finds its value in its new place.
"""

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import uuid
from collections import Counter
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

# The last commit before issue 13's model changes (dates, disagreements, owners, subjects).
BASELINE = "2484fb2"

# Tables that hold no researcher's or curator's data, or are rebuilt from the rest.
IGNORED_TABLES = {
    "django_migrations",
    "django_session",
    "django_admin_log",
    "django_content_type",
    "auth_permission",
    "sqlite_sequence",
}

Snapshot = dict[tuple[str, str], list[tuple]]


def disagreement_memberships(table: str, old: list[tuple], after: "Database") -> list[str]:
    """A fact's one disagreement (the old foreign key, 0011_disagreements) is now a membership
    of it: the fact table's, or for a historical row the version's own membership table."""
    app, model = table.split("_", 1)
    record = model.removeprefix("historical")
    pairs = after.query(f'SELECT "{record}_id", discrepancy_id FROM "{app}_{model}_discrepancies"')
    missing = Counter((row, value) for row, value in old if value is not None) - Counter(pairs)
    return [f"{table}.discrepancy_id: {missing.total()} not memberships"] if missing else []


def organisation_owners(table: str, old: list[tuple], after: "Database") -> list[str]:
    """An organisation's one council (0013_bodies_as_they_are) is now one of its owners; in its
    history, each council it had is an owner added at that version."""
    where = {
        "interventions_organisation": "interventions_ownership",
        "interventions_historicalorganisation": (
            "interventions_historicalownership WHERE history_type = '+'"
        ),
    }
    if table not in where:
        return [f"{table}.council_id: gone, and only an organisation's council may move"]
    pairs = set(after.query(f"SELECT organisation_id, council_id FROM {where[table]}"))
    missing = {(row, value) for row, value in old if value is not None} - pairs
    return [f"{table}.council_id: {sorted(missing)[:3]} not owners"] if missing else []


# column -> a check that the column's old values (from the snapshot taken before migrating) are
# found in their new place in the migrated database; it returns what it could not find.
MOVED: dict[str, Callable[[str, list[tuple], "Database"], list[str]]] = {
    "discrepancy_id": disagreement_memberships,
    "council_id": organisation_owners,
}


class Database:
    """A database outside the test database: the seeded copy, read with the plain driver."""

    def __init__(self, url: str):
        self.url = url

    def query(self, sql: str) -> list[tuple]:
        if self.url.startswith("sqlite:"):
            with sqlite3.connect(self.url.removeprefix("sqlite:///")) as db:
                return db.execute(sql).fetchall()
        import psycopg

        with psycopg.connect(self.url) as db:
            return db.execute(sql).fetchall()

    def tables(self) -> dict[str, list[str]]:
        if self.url.startswith("sqlite:"):
            names = [
                row[0] for row in self.query("SELECT name FROM sqlite_master WHERE type='table'")
            ]
            return {
                name: [row[1] for row in self.query(f'PRAGMA table_info("{name}")')]
                for name in names
            }
        columns = self.query(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = 'public' ORDER BY table_name, ordinal_position"
        )
        tables: dict[str, list[str]] = {}
        for table, column in columns:
            tables.setdefault(table, []).append(column)
        return tables

    def columns(self, table: str, names: list[str]) -> dict[str, list[tuple]]:
        """Each column of a table as sorted (row id, value) pairs, read in one query."""
        key = "id" if "id" in names else None
        listed = ", ".join(f'"{name}"' for name in names)
        rows = [
            tuple(json.dumps(v, sort_keys=True) if isinstance(v, list | dict) else v for v in row)
            for row in self.query(f'SELECT {listed} FROM "{table}"')
        ]
        at = {name: i for i, name in enumerate(names)}
        result = {}
        for name in names:
            pairs = [(row[at[key]] if key else row[at[name]], row[at[name]]) for row in rows]
            result[name] = sorted(
                pairs, key=lambda pair: tuple("" if v is None else str(v) for v in pair)
            )
        return result


def git(*args: str) -> bytes:
    if shutil.which("git") is None:
        pytest.fail("git is needed to take the last release's code")
    try:
        return subprocess.run(
            ["git", *args], cwd=settings.BASE_DIR, capture_output=True, check=True
        ).stdout
    except subprocess.CalledProcessError as error:
        pytest.fail(
            f"git {' '.join(args)} failed ({error.stderr.decode().strip()}): the test needs "
            f"the history back to {BASELINE} (a full clone, not a shallow one)"
        )


def manage(tree: Path, url: str, *args: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CASEBOOK_"))}
    env.update(DATABASE_URL=url, DJANGO_SETTINGS_MODULE="config.settings")
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=tree, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, (tree, args, result.stdout[-2000:], result.stderr[-4000:])


@pytest.fixture
def database_url(tmp_path):
    """A fresh, empty database of the kind the suite runs on."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'seeded.sqlite3'}"
        return
    import psycopg

    base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    name = f"casebook_migrations_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def snapshot(db: Database) -> Snapshot:
    result = {}
    for table, names in db.tables().items():
        if table in IGNORED_TABLES or table.startswith(("pg_", "sql_")):
            continue
        for column, pairs in db.columns(table, names).items():
            result[(table, column)] = pairs
    return result


def test_migrating_a_database_seeded_by_the_last_release_keeps_every_value(tmp_path, database_url):
    old = tmp_path / "old"
    old.mkdir()
    with tarfile.open(fileobj=BytesIO(git("archive", "--format=tar", BASELINE))) as archive:
        archive.extractall(old, filter="data")
    manage(old, database_url, "migrate", "--no-input")
    manage(old, database_url, "seed")
    before_db = Database(database_url)
    before = snapshot(before_db)
    seeded = before_db.query(
        "SELECT (SELECT count(*) FROM interventions_intervention),"
        " (SELECT count(*) FROM ratings_judgement), (SELECT count(*) FROM ratings_spendingline)"
    )[0]
    assert min(seeded) > 5, f"the last release's seed did not load: {seeded}"

    manage(Path(settings.BASE_DIR), database_url, "migrate", "--no-input")
    after_db = Database(database_url)
    after = snapshot(after_db)

    lost = []
    for (table, column), values in before.items():
        if (table, column) not in after:
            if column in MOVED:
                lost += MOVED[column](table, values, after_db)
            else:
                lost.append(f"{table}.{column}: gone, and MOVED names no new place for it")
            continue
        # Every old (row, value) pair is still there; a migration may add rows, never drop one.
        missing = Counter(values) - Counter(after[(table, column)])
        if missing:
            example = list(missing)[:3]
            lost.append(f"{table}.{column}: {missing.total()} values lost, e.g. {example}")
    assert not lost, "\n".join(lost)
