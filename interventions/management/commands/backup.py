from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from interventions import backup


class Command(BaseCommand):
    help = (
        "Back up the whole database (every table: content, history, users, sessions) to one "
        "file: pg_dump -Fc on PostgreSQL, the online backup API on SQLite."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            help="The file to write (default: backups/casebook-<UTC time>.dump or .sqlite3).",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, output, database, **options):
        connection = connections[database]
        settings_dict = connection.settings_dict
        try:
            path = backup.backup(
                output or backup.default_path(settings_dict),
                settings_dict,
                connection=connection if connection.vendor == "sqlite" else None,
            )
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Backed up {settings_dict['NAME']} to {path}"))
