from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from interventions import backup


class Command(BaseCommand):
    help = (
        "Restore a backup made by `backup` into the database DATABASE_URL names, which must be "
        "empty. Afterwards run `migrate` and `check_public` (see the README)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The backup file.")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, file, database, **options):
        connection = connections[database]
        connection.close()  # SQLite: the file is replaced; nothing of ours may hold it open
        try:
            backup.restore(file, connection.settings_dict)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {file} into {connection.settings_dict['NAME']}. "
                "Now run: manage.py migrate, then manage.py check_public."
            )
        )
