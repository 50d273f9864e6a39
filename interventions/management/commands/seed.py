"""Load the seed data in fixtures/ in one transaction, idempotently.

Every row is validated as a curator's edit would be before it is saved; the first bad
row aborts the whole load with its file and row named, leaving the database as it was.
"""

from contextlib import contextmanager
from pathlib import Path

import yaml
from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError, transaction

from interventions import publishing

DEFAULT_DIR = Path(settings.BASE_DIR) / "fixtures"
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: much faster


def describe(row: dict) -> str:
    """A short label for a fixture row, to find it in its file."""
    fields = row.get("fields") or {}
    keys = [
        f"{name}={fields[name]!r}"
        for name in ("slug", "ref", "intervention", "inspection", "position", "name", "title")
        if name in fields
    ]
    return f"{row.get('model', '?')} {' '.join(keys[:3])}".strip()


@contextmanager
def remembered_natural_keys():
    """Look each natural key up once per load: fixtures name the same council many times."""
    patched = []
    for model in apps.get_models():
        manager = model._default_manager
        if not hasattr(manager, "get_by_natural_key"):
            continue
        original = manager.get_by_natural_key
        found = {}

        def cached(*key, _original=original, _found=found):
            if key not in _found:
                _found[key] = _original(*key)  # a miss raises and is not remembered
            return _found[key]

        manager.get_by_natural_key = cached
        patched.append(manager)
    try:
        yield
    finally:
        for manager in patched:
            del manager.get_by_natural_key


class Command(BaseCommand):
    help = "Load the seed data from fixtures/*.yaml (idempotent; all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--fixtures-dir", type=Path, default=DEFAULT_DIR, help="Folder of YAML fixtures."
        )

    def handle(self, *args, fixtures_dir: Path, verbosity: int = 1, **options):
        files = sorted(fixtures_dir.glob("*.yaml"))
        if not files:
            raise CommandError(f"No fixtures found in {fixtures_dir}.")
        total = changed = 0
        with transaction.atomic(), remembered_natural_keys():
            for path in files:
                count, written = self.load_file(path)
                total += count
                changed += written
                if verbosity >= 2:
                    self.stdout.write(f"{path.name}: {count} rows, {written} new or changed")
            # Saves keep the public flags true row by row; this is the safety net.
            publishing.refresh_all()
        if verbosity >= 1:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Seeded {total} rows from {len(files)} files ({changed} new or changed)."
                )
            )

    def load_file(self, path: Path) -> tuple[int, int]:
        try:
            rows = yaml.load(path.read_text(encoding="utf-8"), Loader=SafeLoader) or []
        except yaml.YAMLError as exc:
            raise CommandError(f"{path.name}: not valid YAML: {exc}") from exc
        if not isinstance(rows, list):
            raise CommandError(f"{path.name}: expected a list of rows.")
        written = 0
        for number, row in enumerate(rows, start=1):
            where = (
                f"{path.name}, row {number} ({describe(row) if isinstance(row, dict) else row!r})"
            )
            try:
                written += self.load_row(row)
            except (
                DeserializationError,
                ValidationError,
                DatabaseError,
                ObjectDoesNotExist,
                LookupError,
                TypeError,
                ValueError,
                AttributeError,
            ) as exc:
                raise CommandError(f"{where}: {self.explain(exc)}") from exc
        return len(rows), written

    def load_row(self, row: dict) -> bool:
        """Validate and save one row; return whether anything changed."""
        if not isinstance(row, dict) or "model" not in row:
            raise ValueError("each row needs a 'model' and its 'fields'")
        (deserialized,) = serializers.deserialize("python", [row])
        instance = deserialized.object
        # A row whose natural key matched an existing record updates it in place.
        instance._state.adding = instance.pk is None
        # Field and model validation here, for clear messages; the database itself enforces
        # the check constraints, and names the broken one, when the row is saved.
        instance.full_clean(validate_constraints=False)
        m2m = deserialized.m2m_data or {}
        if not instance._state.adding and self.unchanged(instance, m2m):
            return False  # so that seeding again writes nothing, not even a history row
        instance._change_reason = "Loaded from the seed fixtures"
        with transaction.atomic():
            instance.save()
            for name, values in m2m.items():
                getattr(instance, name).set(values)
        return True

    @staticmethod
    def unchanged(instance, m2m: dict) -> bool:
        model = type(instance)
        # Fields the model derives on save (a grade's score) are not in the fixtures.
        fields = [f for f in model._meta.concrete_fields if not f.primary_key and f.editable]
        stored = model._default_manager.filter(pk=instance.pk).values(*(f.attname for f in fields))
        stored = stored.first()
        if stored is None:
            return False
        for field in fields:
            if field.to_python(getattr(instance, field.attname)) != stored[field.attname]:
                return False
        for name, values in m2m.items():
            current = set(getattr(instance, name).values_list("pk", flat=True))
            if current != {int(v) for v in values}:
                return False
        return True

    @staticmethod
    def explain(exc: Exception) -> str:
        if isinstance(exc, ValidationError) and hasattr(exc, "message_dict"):
            return "; ".join(
                f"{field}: {' '.join(messages)}" for field, messages in exc.message_dict.items()
            )
        return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
