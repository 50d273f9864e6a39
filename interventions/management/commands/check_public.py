"""Compare every stored public flag with the publishing rule; --fix sets them right."""

from django.core.management.base import BaseCommand
from django.db import transaction

from interventions import publishing


class Command(BaseCommand):
    help = (
        "Check that the stored public flag of every fact agrees with the publishing rule "
        "(exit status 1 when any does not); --fix recomputes them."
    )

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="Recompute the flags that differ.")

    def handle(self, *args, fix: bool, verbosity: int = 1, **options):
        if fix:
            with transaction.atomic():
                moved = publishing.refresh_all()
            if verbosity:
                self.stdout.write(self.style.SUCCESS(f"{moved} public flags recomputed."))
            return
        wrong = {m._meta.label: publishing.mismatches(m) for m in publishing.public_models()}
        wrong = {label: n for label, n in wrong.items() if n}
        if wrong:
            for label, n in wrong.items():
                self.stderr.write(f"{label}: {n} rows whose public flag disagrees with the rule")
            self.stderr.write("Run `python manage.py check_public --fix` to recompute them.")
            raise SystemExit(1)
        if verbosity:
            self.stdout.write(self.style.SUCCESS("Every public flag agrees with the rule."))
