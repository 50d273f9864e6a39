"""Load the seed data in fixtures/ in one transaction: the first import, never the master.

`seed` creates every fixture row that is missing and updates a row only when nobody has
changed it since the seed last wrote it. Whether a row is still the seed's own is read from
its history (django-simple-history): the seed's own versions are the ones saved with no user
and one of the seed's change reasons. A row is the seed's own when its current values, its
service areas included, are those of its latest seed version. Reading the values rather
than the last author means an edit that left no history (a queryset update, a bulk load)
still counts as curation, and it works on databases seeded by earlier versions of this
command, which saved the same reason. A row with no seed version in its history is not
known to be the seed's, so it is kept too.

Everything else that differs from the fixtures is kept and reported by file, row and
field: a curator's edit, a curator's change of publication, a record a curator deleted
(not recreated) or re-keyed (its parts still attach to it). `--overwrite-curated` writes
the fixtures over curated rows, names each one, and saves each as a new version with its
reason; even then a record's publication stays as its curator set it.

Every row is validated as a curator's edit would be before it is saved; the first bad
row aborts the whole load with its file and row named, leaving the database as it was.
"""

from collections import Counter, defaultdict
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import yaml
from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist, ValidationError
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError, transaction

from interventions import memberships, publishing, recording

DEFAULT_DIR = Path(settings.BASE_DIR) / "fixtures"
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: much faster

LOADED = "Loaded from the seed fixtures"
OVERWRITTEN = "Overwritten from the seed fixtures by manage.py seed --overwrite-curated"
SEED_REASONS = (LOADED, OVERWRITTEN)  # with no user: a version the seed itself saved
ROW_ERRORS = (
    DeserializationError,
    ValidationError,
    DatabaseError,
    ObjectDoesNotExist,
    LookupError,
    TypeError,
    ValueError,
    AttributeError,
)


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
    """Look each natural key up once per load: fixtures name the same council many times.

    Yields each model's memory, so that a record a curator re-keyed can be remembered under
    the key the fixtures still use."""
    patched, memory = [], {}
    for model in apps.get_models():
        manager = model._default_manager
        if not hasattr(manager, "get_by_natural_key"):
            continue
        original = manager.get_by_natural_key
        found = memory[model] = {}

        def cached(*key, _original=original, _found=found):
            if key not in _found:
                _found[key] = _original(*key)  # a miss raises and is not remembered
            return _found[key]

        manager.get_by_natural_key = cached
        patched.append(manager)
    try:
        yield memory
    finally:
        for manager in patched:
            del manager.get_by_natural_key


@cache
def compared_fields(model) -> tuple:
    """The fields a fixture sets: derived ones (a grade's score, the public flag) are not."""
    return tuple(f for f in model._meta.concrete_fields if not f.primary_key and f.editable)


@cache
def natural_key_fields(model) -> tuple[str, ...]:
    """The columns that hold a model's natural key (its slug, or its first unique set)."""
    fields = [f for f in model._meta.concrete_fields if f.unique and not f.primary_key]
    for field in fields:
        if field.name == "slug":
            return (field.attname,)
    for constraint in model._meta.total_unique_constraints:
        return tuple(model._meta.get_field(name).attname for name in constraint.fields)
    return tuple(f.attname for f in fields[:1])


def as_key(value) -> tuple:
    """A natural key as a fixture writes it (`[slug]`, `[slug, 3]` or `slug`), as a tuple."""
    return tuple(value) if isinstance(value, list | tuple) else (value,)


class Command(BaseCommand):
    help = (
        "Load the seed data from fixtures/*.yaml: create what is missing, update rows nobody "
        "has changed since seeding, keep and report every curated difference (all or nothing)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--fixtures-dir", type=Path, default=DEFAULT_DIR, help="Folder of YAML fixtures."
        )
        parser.add_argument(
            "--overwrite-curated",
            action="store_true",
            help=(
                "Write the fixtures over rows curators have changed and recreate rows they "
                "deleted, naming each and saving each as a new version with the reason. "
                "Publication stays as curators set it."
            ),
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Seed only a database that holds none of the fixtures' records (make run).",
        )

    def handle(self, *args, fixtures_dir: Path, verbosity: int = 1, **options):
        files = sorted(fixtures_dir.glob("*.yaml"))
        if not files:
            raise CommandError(f"No fixtures found in {fixtures_dir}.")
        self.verbosity = verbosity
        self.overwrite = options.get("overwrite_curated", False)
        self.tally = Counter()
        self.deleted = defaultdict(set)  # model → natural keys of rows a curator deleted
        self.has_history = {}
        loaded = [(path, self.read(path)) for path in files]
        # One change set: each record it imports or updates gets one version, parts and all.
        with recording.batch(), transaction.atomic(), remembered_natural_keys() as self.remembered:
            if options.get("if_empty") and self.holds_records(loaded):
                if verbosity >= 1:
                    self.stdout.write(
                        "The database already holds records: not seeding it. "
                        "`manage.py seed` adds new fixture rows and keeps curators' changes."
                    )
                return
            for path, rows in loaded:
                self.load_file(path, rows)
            # A disagreement "within one source" must have all its facts in one report.
            if problems := memberships.scope_problems():
                raise CommandError("; ".join(problems))
            # Saves keep the public flags true row by row; this is the safety net.
            publishing.refresh_all()
            call_command("rebuild_search", verbosity=0)
        self.report_total(len(files))

    def report_total(self, files: int) -> None:
        tally = self.tally
        total = sum(tally[k] for k in ("created", "updated", "unchanged", "kept", "overwritten"))
        summary = (
            f"Seeded {total} rows from {files} files: {tally['created']} created, "
            f"{tally['updated']} updated, {tally['kept']} kept as curated"
        )
        if self.overwrite:
            summary += f", {tally['overwritten']} overwritten"
        summary += f", {tally['unchanged']} unchanged."
        if self.verbosity >= 1:
            style = self.style.WARNING if tally["kept"] else self.style.SUCCESS
            self.stdout.write(style(summary))

    @staticmethod
    def read(path: Path) -> list:
        try:
            rows = yaml.load(path.read_text(encoding="utf-8"), Loader=SafeLoader) or []
        except yaml.YAMLError as exc:
            raise CommandError(f"{path.name}: not valid YAML: {exc}") from exc
        if not isinstance(rows, list):
            raise CommandError(f"{path.name}: expected a list of rows.")
        return rows

    @staticmethod
    def holds_records(loaded) -> bool:
        labels = {
            row["model"]
            for _, rows in loaded
            for row in rows
            if isinstance(row, dict) and isinstance(row.get("model"), str)
        }
        models = []
        for label in sorted(labels):
            try:
                models.append(apps.get_model(label))
            except (LookupError, ValueError):
                continue  # the load itself names the bad row
        return any(model._default_manager.exists() for model in models)

    def load_file(self, path: Path, rows: list) -> None:
        before = self.tally.copy()
        for number, row in enumerate(rows, start=1):
            what = describe(row) if isinstance(row, dict) else repr(row)
            where = f"{path.name}, row {number} ({what})"
            try:
                self.load_row(row, where)
            except ROW_ERRORS as exc:
                raise CommandError(f"{where}: {self.explain(exc)}") from exc
        if self.verbosity >= 2:
            counts = ", ".join(f"{n} {k}" for k, n in sorted((self.tally - before).items()))
            self.stdout.write(f"{path.name}: {len(rows)} rows ({counts or 'none'})")

    def say(self, where: str, message: str, *, always: bool = False) -> None:
        if always or self.verbosity >= 1:
            self.stdout.write(self.style.WARNING(f"{where}: {message}"))

    def load_row(self, row: dict, where: str) -> None:
        if not isinstance(row, dict) or "model" not in row:
            raise ValueError("each row needs a 'model' and its 'fields'")
        model = apps.get_model(row["model"])
        if self.belongs_to_deleted(model, row, where):
            return
        (deserialized,) = serializers.deserialize("python", [row])
        instance = deserialized.object
        m2m = deserialized.m2m_data or {}
        earlier = self.find_earlier(model, instance, where) if instance.pk is None else "found"
        if earlier == "deleted":
            return  # a curator deleted it: reported, not recreated
        # A row whose natural key matched an existing record updates it in place.
        instance._state.adding = instance.pk is None
        # Field and model validation here, for clear messages; the database itself enforces
        # the check constraints, and names the broken one, when the row is saved.
        instance.full_clean(validate_constraints=False)
        if instance._state.adding:
            recreated = earlier == "recreated"
            self.save(instance, m2m, OVERWRITTEN if recreated else LOADED)
            self.tally["overwritten" if recreated else "created"] += 1
            return
        self.update(model, instance, m2m, where)

    def belongs_to_deleted(self, model, row: dict, where: str) -> bool:
        """A row that belongs to a record a curator deleted is not created either."""
        fields = row.get("fields")
        if not isinstance(fields, dict) or not any(self.deleted.values()):
            return False
        for name, value in list(fields.items()):
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:
                continue  # the deserializer names it
            if not field.is_relation or value is None or not self.deleted[field.related_model]:
                continue
            gone = self.deleted[field.related_model]
            if field.many_to_many and isinstance(value, list):
                kept = [v for v in value if as_key(v) not in gone]
                for v in value:
                    if as_key(v) in gone:
                        self.say(
                            where, f"{name}: {list(as_key(v))} was deleted by a curator: left out"
                        )
                fields[name] = kept
            elif as_key(value) in gone:
                self.say(
                    where,
                    f"not created: its {name} {list(as_key(value))} was deleted by a curator",
                )
                if "slug" in fields:  # so that what belongs to this row is left out too
                    self.deleted[model].add((fields["slug"],))
                self.tally["kept"] += 1
                return True
        return False

    def find_earlier(self, model, instance, where: str) -> str:
        """For a row not found by its natural key, whether it is "new" in the fixtures,
        "found" under the new key a curator gave it, "deleted" by a curator, or to be
        "recreated" (deleted, and --overwrite-curated)."""
        if model not in self.has_history:
            self.has_history[model] = model.history.exists()  # none in a fresh database
        if not self.has_history[model]:
            return "new"
        key = {name: getattr(instance, name) for name in natural_key_fields(model)}
        earlier = model.history.filter(**key).order_by("-history_date", "-history_id")
        record_id = earlier.values_list("id", flat=True).first()
        if record_id is None:
            return "new"
        live = model._default_manager.filter(pk=record_id).first()
        if live is not None:
            # Re-keyed (a slug renamed) by a curator: compare with the record as it is now,
            # and let the rows that name it by its old key find it.
            self.remembered[model][instance.natural_key()] = live
            instance.pk = live.pk
            return "found"
        if self.overwrite:
            self.say(where, "deleted by a curator since seeding: recreated", always=True)
            return "recreated"
        self.say(where, "deleted by a curator since seeding: not recreated")
        self.deleted[model].add(instance.natural_key())
        self.tally["kept"] += 1
        return "deleted"

    def update(self, model, instance, m2m: dict, where: str) -> None:
        current = self.values(model, model._default_manager.filter(pk=instance.pk), m2m)
        if current is None:
            raise ObjectDoesNotExist(f"{model._meta.label} {instance.pk} vanished during the load")
        wanted = self.wanted(instance, m2m)
        differ = [name for name in wanted if wanted[name] != current[name]]
        if not differ:
            self.tally["unchanged"] += 1  # seeding again writes nothing, not even a history row
            return
        seeded = self.seed_version(model, instance.pk, m2m)
        own = seeded is not None and all(seeded[name] == current[name] for name in seeded)
        if not own and not self.overwrite:
            self.tally["kept"] += 1
            for name in differ:
                self.say(where, f"{name}: {self.why_kept(name, seeded, current)}: kept")
            return
        # The seed sets publication only on the records it creates: after that it is the
        # curators' (whoever last saved the row, an overwrite included).
        if "published" in current:
            instance.published = current["published"]
        writes = [name for name in differ if name != "published"]
        if writes:
            self.save(instance, m2m, LOADED if own else OVERWRITTEN)
            self.tally["updated" if own else "overwritten"] += 1
            fields = ", ".join(writes)
            if own:
                self.say(where, f"{fields}: not curated since seeding: updated")
            else:
                self.say(where, f"{fields}: curated since seeding: overwritten", always=True)
        else:
            self.tally["kept"] += 1
        if "published" in differ:
            why = (
                "differs from the fixtures" if own else self.why_kept("published", seeded, current)
            )
            self.say(where, f"published: {why}: kept (publication is always the curators')")

    @staticmethod
    def why_kept(name: str, seeded: dict | None, current: dict) -> str:
        if seeded is None:
            return "changed outside the seed (no seed version)"
        if seeded.get(name, current[name]) == current[name]:
            return "changed in the fixtures, row curated since seeding"
        return "curated since seeding"

    @staticmethod
    def save(instance, m2m: dict, reason: str) -> None:
        instance._change_reason = reason
        with transaction.atomic():
            instance.save()
            for name, values in m2m.items():
                getattr(instance, name).set(values)

    @staticmethod
    def wanted(instance, m2m: dict) -> dict:
        """The row as the fixture has it, by field name."""
        values = {
            field.name: field.to_python(getattr(instance, field.attname))
            for field in compared_fields(type(instance))
        }
        values.update({name: {int(v) for v in pks} for name, pks in m2m.items()})
        return values

    @staticmethod
    def values(model, rows, m2m: dict, *, versions: dict | None = None) -> dict | None:
        """The first of `rows` (live records, or versions from their history) by field name,
        with each m2m field as a set of ids (for a version: as that version recorded it)."""
        present = {f.attname for f in rows.model._meta.concrete_fields}
        fields = [f for f in compared_fields(model) if f.attname in present]
        row = rows.values("pk", *(f.attname for f in fields)).first()
        if row is None:
            return None
        values = {field.name: row[field.attname] for field in fields}
        for name in m2m:
            field = model._meta.get_field(name)
            if versions is None:
                links = field.remote_field.through.objects.filter(
                    **{field.m2m_column_name(): row["pk"]}
                )
            elif name in versions:
                links = versions[name].objects.filter(history_id=row["pk"])
            else:
                continue  # history does not record it: it cannot show a curator's change
            values[name] = set(links.values_list(field.m2m_reverse_name(), flat=True))
        return values

    def seed_version(self, model, pk, m2m: dict) -> dict | None:
        """The row as the seed last saved it, from its history; None when it never did."""
        history = model.history.model
        versions = model.history.filter(
            id=pk, history_user__isnull=True, history_change_reason__in=SEED_REASONS
        ).order_by("-history_date", "-history_id")
        recorded = {
            field.name: getattr(history, field.name).model
            for field in getattr(history, "_history_m2m_fields", [])
        }
        return self.values(model, versions, m2m, versions=recorded)

    @staticmethod
    def explain(exc: Exception) -> str:
        if isinstance(exc, ValidationError) and hasattr(exc, "message_dict"):
            return "; ".join(
                f"{field}: {' '.join(messages)}" for field, messages in exc.message_dict.items()
            )
        return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
