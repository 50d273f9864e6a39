"""Backing up the whole database to one file and restoring it into an empty database.

Every table goes: content, history, users, sessions, lockouts, migrations. `DATABASE_URL`
decides the engine:

- PostgreSQL: `pg_dump -Fc` (the custom format, compressed) and `pg_restore` in one
  transaction, from Debian's postgresql-client (its major version must be at least the
  server's). Connection settings reach them through PG* environment variables, never the
  command line, so a password does not show in the process list.
- SQLite: Python's sqlite3 online backup API, which copies a consistent snapshot while the
  site keeps running; the restore copies the file into an empty database the same way.

Django's dumpdata/loaddata cannot do this job (natural keys and history tables on this
schema defeat them); these tools copy the tables as they are.

`make backup` / `make restore BACKUP_FILE=…` call the `backup` and `restore` commands.
"""

from __future__ import annotations

import datetime
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

POSTGRESQL = "django.db.backends.postgresql"
SQLITE = "django.db.backends.sqlite3"
PG_MAGIC = b"PGDMP"
SQLITE_MAGIC = b"SQLite format 3\x00"


class BackupError(Exception):
    """Something an operator must fix: the message says what."""


def engine(settings_dict: dict) -> str:
    name = settings_dict["ENGINE"]
    if name not in (POSTGRESQL, SQLITE):
        raise BackupError(f"Backups work on PostgreSQL and SQLite, not {name}.")
    return name


def default_path(settings_dict: dict) -> Path:
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    suffix = "dump" if engine(settings_dict) == POSTGRESQL else "sqlite3"
    return Path("backups") / f"casebook-{stamp}.{suffix}"


def backup(path: Path, settings_dict: dict, connection=None) -> Path:
    """Write the whole database to `path` (which must not exist yet)."""
    path = Path(path)
    if path.exists():
        raise BackupError(f"{path} already exists: choose another file, nothing was written.")
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    try:
        if engine(settings_dict) == POSTGRESQL:
            _run(["pg_dump", "--format=custom", f"--file={partial}"], settings_dict)
        else:
            _sqlite_copy(_sqlite_source(settings_dict, connection), partial)
        partial.rename(path)  # a file at `path` is always a whole backup
    finally:
        partial.unlink(missing_ok=True)
    return path


def restore(path: Path, settings_dict: dict) -> None:
    """Load a backup into the database `settings_dict` names, which must be empty."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"There is no backup at {path}.")
    with path.open("rb") as handle:
        head = handle.read(16)
    if engine(settings_dict) == POSTGRESQL:
        if not head.startswith(PG_MAGIC):
            raise BackupError(
                f"{path} is not a PostgreSQL backup (pg_dump -Fc): nothing was restored."
            )
        if tables(settings_dict):
            raise BackupError(_not_empty(settings_dict))
        _run(
            [
                "pg_restore",
                "--single-transaction",  # all or nothing
                "--exit-on-error",
                "--no-owner",  # the tables belong to whoever restores them
                "--no-privileges",
                f"--dbname={settings_dict['NAME']}",
                str(path),
            ],
            settings_dict,
        )
    else:
        if head != SQLITE_MAGIC:
            raise BackupError(f"{path} is not a SQLite backup: nothing was restored.")
        if tables(settings_dict):
            raise BackupError(_not_empty(settings_dict))
        target = Path(settings_dict["NAME"])
        partial = target.with_name(target.name + ".restoring")
        try:
            _sqlite_copy(sqlite3.connect(f"file:{path}?mode=ro", uri=True), partial)
            partial.replace(target)
        finally:
            partial.unlink(missing_ok=True)


def tables(settings_dict: dict) -> list[str]:
    """The tables in a database (none for an empty or missing one)."""
    if engine(settings_dict) == POSTGRESQL:
        with _pg_connect(settings_dict) as conn:
            rows = conn.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = 'public' ORDER BY table_name"
            ).fetchall()
        return [name for (name,) in rows]
    name = settings_dict["NAME"]
    if not Path(name).exists():
        return []
    with sqlite3.connect(f"file:{name}?mode=ro", uri=True) as conn:
        rows = conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
        ).fetchall()
    return [name for (name,) in rows]


def _not_empty(settings_dict: dict) -> str:
    return (
        f"The database {settings_dict['NAME']} already has tables: restore into an empty "
        "database (see the README), so that nothing in it is lost. Nothing was restored."
    )


def _sqlite_source(settings_dict: dict, connection):
    if connection is not None:  # the running site's own connection (an in-memory test database)
        connection.ensure_connection()
        return connection.connection
    name = settings_dict["NAME"]
    if not Path(name).is_file():
        raise BackupError(f"There is no SQLite database at {name}.")
    return sqlite3.connect(f"file:{name}?mode=ro", uri=True)


def _sqlite_copy(source: sqlite3.Connection, path: Path) -> None:
    target = sqlite3.connect(path)
    try:
        source.backup(target)
    finally:
        target.close()


def _pg_environ(settings_dict: dict) -> dict:
    environ = dict(os.environ)
    options = settings_dict.get("OPTIONS") or {}
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ):
        if settings_dict.get(key):
            environ[variable] = str(settings_dict[key])
    if options.get("sslmode"):
        environ["PGSSLMODE"] = options["sslmode"]
    return environ


def _run(command: list[str], settings_dict: dict) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(
            f"{command[0]} is not installed: install PostgreSQL's client tools "
            "(Debian: apt-get install postgresql-client)."
        )
    result = subprocess.run(
        command, env=_pg_environ(settings_dict), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")


def _pg_connect(settings_dict: dict):
    import psycopg

    return psycopg.connect(
        dbname=settings_dict["NAME"],
        host=settings_dict.get("HOST") or None,
        port=settings_dict.get("PORT") or None,
        user=settings_dict.get("USER") or None,
        password=settings_dict.get("PASSWORD") or None,
        connect_timeout=10,
    )
