from pathlib import Path

from django.core.management.base import BaseCommand

from ratings import opendata


class Command(BaseCommand):
    help = (
        "Write the open-data zip that /data/ serves (the same bytes) to a file. "
        "The site does not need it: /data/ builds the download from the database."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", default="casebook-data.zip", help="Where to write it (casebook-data.zip)."
        )

    def handle(self, *args, output, **options):
        path = Path(output)
        size = 0
        with path.open("wb") as handle:
            for piece in opendata.stream():
                handle.write(piece)
                size += len(piece)
        self.stdout.write(self.style.SUCCESS(f"Wrote {path} ({size:,} bytes)"))
