"""Rebuild the lists' exact counts (interventions.summaries), or verify them against the rows."""

from django.core.management.base import BaseCommand
from django.db import transaction

from interventions import datacache, summaries


class Command(BaseCommand):
    help = (
        "Rebuild the summary table that list counts and facets are read from (--rebuild), or "
        "check that every stored count equals a fresh count of the public rows (--verify, "
        "the default; exit status 1 when any differs)."
    )

    def add_arguments(self, parser):
        action = parser.add_mutually_exclusive_group()
        action.add_argument("--rebuild", action="store_true", help="Recount every list.")
        action.add_argument("--verify", action="store_true", help="Compare (the default).")

    def handle(self, *args, rebuild: bool, verbosity: int = 1, **options):
        if rebuild:
            with transaction.atomic():
                summaries.rebuild_all()
                datacache.bump()
            if verbosity:
                names = ", ".join(s.name for s in summaries.summaries())
                self.stdout.write(self.style.SUCCESS(f"Counts rebuilt: {names}."))
            return
        problems = [p for s in summaries.summaries() for p in summaries.mismatches(s)]
        if problems:
            for problem in problems[:50]:
                self.stderr.write(problem)
            if len(problems) > 50:
                self.stderr.write(f"… and {len(problems) - 50} more.")
            self.stderr.write("Run `python manage.py fact_counts --rebuild` to recount them.")
            raise SystemExit(1)
        if verbosity:
            self.stdout.write(self.style.SUCCESS("Every stored count equals the rows."))
