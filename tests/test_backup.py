"""Backup and restore: a backup restored into an empty database gives back every table,
row for row: content, history, users, sessions, lockouts and the migrations record."""

import hashlib
import sqlite3
import uuid
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.db import connection

from interventions import backup
from interventions.models import Intervention

pytestmark = pytest.mark.django_db(transaction=True)

# Tables the test needs to see with rows in them, or it proves nothing about them.
MUST_HAVE_ROWS = (
    "auth_user",
    "django_session",
    "django_migrations",
    "axes_accessattempt",
    "interventions_intervention",
    "interventions_historicalintervention",
    "ratings_spendingline",
)


def normalise(value):
    if isinstance(value, memoryview):
        return bytes(value)
    if isinstance(value, float | Decimal):
        return str(Decimal(str(value)).normalize())
    return value


def table_digests(settings_dict) -> dict[str, tuple[int, str]]:
    """Each table's row count and a checksum of all its rows (in any order)."""
    found = {}
    if settings_dict["ENGINE"] == backup.POSTGRESQL:
        conn = backup._pg_connect(settings_dict)
        query = conn.execute
    else:
        conn = sqlite3.connect(f"file:{settings_dict['NAME']}?mode=ro", uri=True)
        query = conn.execute
    try:
        for name in backup.tables(settings_dict):
            rows = query(f'SELECT * FROM "{name}"').fetchall()
            lines = sorted(repr(tuple(normalise(v) for v in row)) for row in rows)
            found[name] = (len(rows), hashlib.sha256("\n".join(lines).encode()).hexdigest())
        if settings_dict["ENGINE"] == backup.POSTGRESQL:
            # Where the id sequences stand: a restored site must not hand out a used id.
            for (sequence,) in query(
                "SELECT sequence_name FROM information_schema.sequences "
                "WHERE sequence_schema = 'public'"
            ).fetchall():
                (last,) = query(f'SELECT last_value FROM "{sequence}"').fetchone()
                found[f"sequence {sequence}"] = (last, "")
    finally:
        conn.close()
    return found


@pytest.fixture
def empty_database(tmp_path):
    """A scratch database with nothing in it, dropped afterwards."""
    settings_dict = dict(connection.settings_dict)
    if settings_dict["ENGINE"] == backup.SQLITE:
        settings_dict["NAME"] = str(tmp_path / "restored.sqlite3")
        yield settings_dict
        return
    settings_dict["NAME"] = f"{connection.settings_dict['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{settings_dict["NAME"]}"')
    try:
        yield settings_dict
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{settings_dict["NAME"]}" WITH (FORCE)')


def use_the_site(client):
    """A seeded database with a curator's edit (history), a signed-in user (a session) and a
    failed login (django-axes' tables)."""
    call_command("seed", verbosity=0)
    user = User.objects.create_superuser("curator", "curator@example.org", "a long passphrase")
    client.force_login(user)
    assert client.get("/admin/").status_code == 200
    case = Intervention.objects.order_by("pk").first()
    case.summary = "Corrected after reading the report again."
    case._change_reason = "Corrected the summary"
    case.save()
    client.post("/admin/login/", {"username": "curator", "password": "wrong"})


def test_restored_backup_has_every_table_identical(client, tmp_path, empty_database):
    use_the_site(client)
    path = tmp_path / "casebook.backup"
    call_command("backup", output=str(path), verbosity=0)
    assert path.is_file()
    assert backup.tables(empty_database) == []

    before = table_digests(snapshot_of_live(tmp_path))
    backup.restore(path, empty_database)
    after = table_digests(empty_database)

    assert sorted(after) == sorted(before)  # every table, and nothing more
    for name in before:
        assert after[name] == before[name], name
    for name in MUST_HAVE_ROWS:
        assert before[name][0] > 0, f"{name} has no rows: the test proves nothing about it"
    assert len([name for name in before if not name.startswith("sequence ")]) >= 40


def snapshot_of_live(tmp_path):
    """The live test database, readable from outside: PostgreSQL as it is; SQLite (in memory
    under the tests) copied out through the site's own connection by the backup API."""
    if connection.vendor == "postgresql":
        return connection.settings_dict
    copy = tmp_path / "live.sqlite3"
    backup.backup(copy, connection.settings_dict, connection=connection)
    return {**connection.settings_dict, "NAME": str(copy)}


def test_restore_refuses_a_database_that_is_not_empty(client, tmp_path):
    call_command("seed", verbosity=0)
    path = tmp_path / "casebook.backup"
    call_command("backup", output=str(path), verbosity=0)
    target = snapshot_of_live(tmp_path)
    before = table_digests(target)
    with pytest.raises(backup.BackupError, match="already has tables"):
        backup.restore(path, target)
    assert table_digests(target) == before


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path, empty_database):
    junk = tmp_path / "notes.txt"
    junk.write_text("not a backup")
    with pytest.raises(backup.BackupError, match=r"not a (PostgreSQL|SQLite) backup"):
        backup.restore(junk, empty_database)
    assert backup.tables(empty_database) == []


def test_backup_will_not_overwrite_a_file(tmp_path):
    path = tmp_path / "casebook.backup"
    path.write_text("an older backup")
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", output=str(path), verbosity=0)
    assert path.read_text() == "an older backup"
