"""The open-data download at /data/: the published data as it is now, the same bytes everywhere.

Nothing is kept on a host's disk. A download is built from the database when it is asked for,
inside one read-only snapshot, and streamed to the client as it is built, so no request waits
for the whole file and no process holds it in memory. The bytes depend only on the published
rows: zip entries carry a fixed timestamp, rows come in primary-key order, and the version in
`datapackage.json` is a hash of the content, not a date or a host's clock. Two hosts (or two
builds) of the same data give the same file.

A finished build no bigger than `CASEBOOK_DATA_CACHE_BYTES` is kept in the "casebook" cache
under the data version it was built from (`interventions.datacache`), so repeat downloads of
small data cost one cache read; any content write moves the version and retires it, so an
unpublished record is gone from the next download. Bigger builds are streamed every time.

`manage.py export_dataset` writes the same bytes to a file, for an operator.

Cost (benchmarks/opendata.py, a loaded 2-core machine): seed data, 609 rows, a 133 KB zip in
under a second; `generate_synthetic --scale 0.01`, 12,608 rows, 516 KB (8.6 MB unzipped) in
9 s on SQLite and 15 s on PostgreSQL: about 1 ms a row, so England scale (a million spending
lines) would take some 20 minutes and 50 MB a download, streamed in constant memory. That
wants threaded or async workers (a sync gunicorn worker is killed at its timeout mid-stream)
and, before the data reaches that size, a build per data version kept in shared storage.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from collections.abc import Iterator

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction

from interventions import datacache
from interventions.listing import csv_safe
from interventions.models import DataVersion

from . import dataset

TITLE = "Casebook open data"
LICENCE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0 International",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}
ATTRIBUTION = (
    "Contains data compiled by Casebook, licensed under CC BY 4.0; "
    "facts are drawn from the reports cited in each row."
)
LICENCE_SCOPE = (
    "CC BY 4.0 covers Casebook's own text (summaries, descriptions, notes) and the compilation "
    "of the data set. The reports cited in each row are not part of this licence: each keeps "
    "its own copyright and terms, set by its publisher."
)
JSON_NAME = "casebook.json"
README_NAME = "README.txt"
PACKAGE_NAME = "datapackage.json"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # every entry: the same bytes whenever and wherever it is built
COMPRESS_LEVEL = 6
FLUSH_BYTES = 256 * 1024  # hand the client a piece once this much is ready
DEFAULT_CACHE_BYTES = 16 * 1024 * 1024


def cache_limit() -> int:
    return getattr(settings, "CASEBOOK_DATA_CACHE_BYTES", DEFAULT_CACHE_BYTES)


def models() -> list:
    return [apps.get_model(label) for label in dataset.MODELS]


def csv_name(model) -> str:
    return f"{model._meta.app_label}_{model._meta.model_name}.csv"


# The data dictionary -----------------------------------------------------------------------

# What a column holds, where the model's help text (written for curators) does not say it for
# a reader: "model.field" first, then READER_NOTES by field name (these replace the help
# text), then the help text, then COLUMN_NOTES by field name.
READER_NOTES = {
    "discrepancies": "The disagreements this fact is part of (between reports, or within one "
    "report), by slug, separated by spaces; blank for none.",
    "published": "Always true here: only published records are in this download.",
    "date": "The date's first possible day, for sorting and filtering (blank when the report "
    "gives no year); the parts beside it say what is printed.",
    "start_date": "When it began: its first possible day (blank with no year; see the parts).",
    "end_date": "When it ended: its first possible day (blank with no year; see the parts).",
    "published_date": "When the report was published: its first possible day (see the parts).",
    "status_as_of": "The date the status was reported at: its first possible day (see the parts).",
}
DATE_PRECISION = (
    "How much of the sortable date is known: day, month or year; blank when the year is not."
)
# The parts of a partial date (interventions.models.common.partial_date_parts), by suffix.
DATE_PART_NOTES = {
    "_year": "The year, as printed or (see year inferred) read from context; blank if unknown.",
    "_month": "The month, 1 to 12, if the report gives one.",
    "_day": "The day of the month, if the report gives one.",
    "_year_inferred": "True when the report does not print the year beside this date and it "
    "was read from context (shown as [2014]); the note says how.",
    "_kind": "actual, planned (the report says it will happen then) or expected (the report "
    "says it was expected then).",
    "_note": "Why the year is inferred, or another caveat on this date.",
}

COLUMN_NOTES = {
    "slug": "Permanent key of the record: its address on Casebook ends in it, and other tables "
    "refer to the record by it.",
    "title": "Title, as the record is known on Casebook.",
    "name": "Name, as printed.",
    "description": "What it is or did, in our words.",
    "note": "A note for readers, in our words.",
    "summary": "A summary, in our words.",
    "source.kind": "What kind of document the source is.",
    "source.publisher": "Who published the report.",
    "source.url": "Where the report can be read, if it is online.",
    "council.council_type": "The kind of local authority.",
    "council.region": "The English region the council is in.",
    "organisation.abbreviation": "The short form the reports use, e.g. DfE.",
    "organisation.kind": "What kind of body it is.",
    "council.gss_code": "The ONS (GSS) code, e.g. E06000039; blank if not known.",
    "council.start_date": "When the council was created.",
    "council.end_date": "When the council was abolished or merged.",
    "milestone.end_date": "When an event that spans days ended.",
    "intervention.summary": "What the intervention was and did, in our words.",
    "intervention.kind": "What kind of intervention it was.",
    "intervention.status": "Where the intervention stood, as the report states it; "
    "unknown (Not stated) when the report does not say.",
    "intervention.status_note": "Only when the status is not stated: our reading of it, in "
    "our words.",
    "intervention.status_as_of": "The date the report states the status at (usually its own "
    "date); blank when the status is not stated or the report gives no full date.",
    "intervention.target": "The headline target the intervention was set, in our words.",
    "intervention.outcome": "What happened, in our words.",
    "intervention.target_met": "Whether the headline target was met, as the reports judge it: "
    "not-stated when there is a target but the report gives no verdict; blank when there is "
    "nothing to judge yet or no verdict applies.",
    "intervention.target_met_note": "Only when the verdict is not stated: our reading of it, in "
    "our words.",
    "participant.intervention": "The intervention this participant took part in.",
    "participant.council": "The council that took part, if it was a council.",
    "participant.organisation": "The organisation that took part, if it was one.",
    "participant.described_as": "A role the report describes without naming anyone in it, "
    "as printed (e.g. \"the Commissioner for children's services in Doncaster appointed by "
    'the Secretary of State"); blank when a person or body is named.',
    "ownership.organisation": "The organisation that belongs to (or is owned by) the council.",
    "ownership.council": "One council it belongs to or is owned by; a body owned jointly by "
    "several councils has a row for each.",
    "statistic.council": "The council the figure is about, if it is about a council.",
    "statistic.organisation": "The organisation the figure is about (e.g. a police force), if "
    "it is about one.",
    "statistic.person": "The person the figure is about, if it is about one. Exactly one of "
    "council, organisation and person is set.",
    "inspection.equivalent_grade": "Only where the report states the grade as an equivalent "
    'on another scale ("equivalent to one star"): that grade.',
    "inspection.equivalent_framework": "The framework whose scale the equivalent grade is on.",
    "participant.role": "The part it played.",
    "participant.description": "What the participant did, in our words.",
    "phase.intervention": "The intervention this is a phase of.",
    "phase.name": "The phase's name, as printed or in our words.",
    "phase.led_by": "Who led this phase, as printed.",
    "workstream.intervention": "The intervention this is a workstream of.",
    "workstream.name": "The workstream's name, as printed.",
    "workstream.objective": "What the workstream set out to do.",
    "workstream.lead": "Who led the workstream, as printed.",
    "lesson.intervention": "The intervention this lesson comes from.",
    "lesson.kind": "Whether it is an achievement, a challenge or a lesson learned.",
    "lesson.text": "The achievement, challenge or lesson, in our words.",
    "milestone.intervention": "The intervention this event belongs to.",
    "interventionlink.from_intervention": "The intervention that refers to the other.",
    "interventionlink.to_intervention": "The intervention referred to.",
    "interventionlink.kind": "How the two are related.",
    "interventionlink.note": "How the report relates them, in our words.",
    "inspection.council": "The council whose service was inspected.",
    "inspection.framework": "The inspection framework, which fixes the grade scale.",
    "inspection.inspectorate": "The organisation that inspected.",
    "inspection.overall_grade": "The overall grade, on the framework's own scale.",
    "inspection.overall_score": "The overall grade's place on its scale: higher is better "
    "(e.g. 0 to 3 stars; 1 Inadequate to 4 Outstanding).",
    "inspection.overall_as_printed": "The overall grade exactly as the report prints it.",
    "judgement.inspection": "The inspection this judgement is part of.",
    "judgement.section": "The section of the inspection's table, as printed.",
    "judgement.area": "The area judged, as printed.",
    "judgement.grade": "The grade, on the framework's own scale.",
    "judgement.score": "The grade's place on its scale: higher is better.",
    "judgement.grade_as_printed": "The grade exactly as the report prints it.",
    "spendingline.council": "The council the figure is about.",
    "spendingline.intervention": "The intervention the figure belongs to, if any.",
    "spendingline.kind": "Budget, spend, contract value, grant or contribution, or per-head "
    "figure.",
    "spendingline.amount_gbp": "The amount in pounds sterling (£), not thousands, to the penny.",
    "spendingline.qualifier": "Whether the report gives the figure as exact, approximate, an "
    "upper or a lower bound.",
    "spendingline.payer_council": "The council that paid, where the figure is a payment.",
    "spendingline.payer_organisation": "The organisation that paid, where the figure is a payment.",
    "spendingline.payee_council": "The council paid, where the figure is a payment.",
    "spendingline.payee_organisation": "The organisation paid, where the figure is a payment.",
    "statistic.intervention": "The intervention the figure belongs to, if any.",
    "statistic.year": "Calendar year of the period.",
    "statistic.year_inferred": "True where the report does not print the year beside the figure "
    "and it is read from context (year_note says how); shown in brackets on the site.",
    "statistic.year_note": "Why the year is what it is, where it is not printed.",
    "statistic.value": "The figure, in the unit named in the unit column.",
    "statistic.unit": "The unit of the value and comparator value.",
    "statistic.qualifier": "Whether the report gives the figure as exact, approximate, an upper "
    "or a lower bound.",
    "statistic.comparator_value": "The comparator's figure, in the same unit.",
    "statistic.comparator_as_printed": "The comparator's figure exactly as printed.",
}

UNITS = {
    "spendingline.amount_gbp": "pounds sterling (GBP), in pounds, not thousands",
    "spendingline.year": "calendar year",
    "inspection.year": "calendar year",
    "statistic.year": "calendar year",
    "statistic.value": "as named in the unit column",
    "statistic.comparator_value": "as named in the unit column",
}

TYPES = {
    "BooleanField": "boolean",
    "DateField": "date",
    "DecimalField": "number",
    "IntegerField": "integer",
    "PositiveSmallIntegerField": "integer",
    "SmallIntegerField": "integer",
    "PositiveIntegerField": "integer",
    "BigIntegerField": "integer",
}


def column_description(model, field) -> str:
    key = f"{model._meta.model_name}.{field.name}"
    part = next((suffix for suffix in DATE_PART_NOTES if field.name.endswith(suffix)), None)
    if field.name.endswith("_precision"):
        note = DATE_PRECISION
    elif (
        part is not None
        and hasattr(model, "partial_dates")
        and any(field.name == f"{date}{part}" for date in model.partial_dates)
    ):
        note = DATE_PART_NOTES[part]
    else:
        note = (
            COLUMN_NOTES.get(key)
            or READER_NOTES.get(field.name)
            or str(field.help_text)
            or COLUMN_NOTES.get(field.name, "")
        )
    parts = [note] if note else []
    if field.is_relation:
        related = field.related_model
        if field.many_to_many:
            name = related._meta.verbose_name
            parts.append(f"Each refers to a {name}, as in {csv_name(related)}.")
            return " ".join(parts)
        parts.append(
            f"Refers to the {related._meta.verbose_name} by its key "
            f"({key_description(related)}), as in {csv_name(related)}."
        )
    if field.get_internal_type() == "DateField":
        parts.append("An ISO date (YYYY-MM-DD).")
    if field.choices:
        values = "; ".join(f"{value} ({label})" for value, label in field.choices if value)
        parts.append(f"One of: {values}." + (" Blank when not known." if field.blank else ""))
    unit = UNITS.get(key)
    if unit and "unit" not in note and "pounds" not in note.lower():
        parts.append(f"Unit: {unit}.")
    return " ".join(parts)


def key_description(model) -> str:
    """How rows of a table are referred to: its natural key, parts joined by "/"."""
    names = {
        "participant": "intervention slug/position",
        "phase": "intervention slug/position",
        "workstream": "intervention slug/position",
        "lesson": "intervention slug/position",
        "milestone": "intervention slug/position",
        "judgement": "inspection slug/position",
        "spendingline": "source slug/reference",
        "statistic": "source slug/reference",
        "ownership": "organisation slug/council slug",
        "interventionlink": "from slug/to slug/kind",
    }
    return names.get(model._meta.model_name, "slug")


def table_schema(model) -> dict:
    fields = []
    for field in dataset.exported_fields(model):
        entry = {
            "name": field.name,
            "title": str(field.verbose_name).capitalize(),
            "type": TYPES.get(field.get_internal_type(), "string"),
            "description": column_description(model, field),
        }
        if entry["type"] == "date":
            entry["format"] = "%Y-%m-%d"
        if field.choices:
            entry["constraints"] = {
                "enum": [value for value, _ in field.choices] + ([""] if field.blank else [])
            }
        unit = UNITS.get(f"{model._meta.model_name}.{field.name}")
        if unit:
            entry["unit"] = unit
        fields.append(entry)
    schema = {"fields": fields, "missingValues": [""]}
    references = [
        {
            "fields": field.name,
            "reference": {"resource": csv_name(field.related_model)[:-4], "fields": "slug"},
        }
        for field in dataset.exported_fields(model)
        if field.is_relation
        and not field.many_to_many
        and key_description(field.related_model) == "slug"
    ]
    if references:
        schema["foreignKeys"] = references
    return schema


def dictionary() -> list[dict]:
    """Each table of the download, with each column explained (Frictionless Table Schema)."""
    return [
        {
            "name": csv_name(model)[:-4],
            "path": csv_name(model),
            "title": str(model._meta.verbose_name_plural).capitalize(),
            "description": table_description(model),
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8-sig",
            "schema": table_schema(model),
        }
        for model in models()
    ]


TABLE_NOTES = {
    "phase": "A stage of an intervention, in order, with its dates and who led it.",
    "workstream": "A strand of work within an intervention: its objective and its lead.",
    "lesson": "An achievement, a challenge or a lesson learned that a report draws from an "
    "intervention.",
}


def table_description(model) -> str:
    doc = TABLE_NOTES.get(model._meta.model_name) or (model.__doc__ or "").strip()
    doc = doc.split("\n\n")[0]
    if doc.startswith(f"{model.__name__}("):  # Django's default: the field list, not prose
        doc = ""
    doc = " ".join(doc.split())
    return f"{doc} One row per {model._meta.verbose_name}.".strip()


def readme(dictionary_: list[dict]) -> str:
    lines = [
        TITLE,
        "=" * len(TITLE),
        "",
        "Every record published on Casebook, as it stood when this file was built.",
        "",
        "Licence",
        "-------",
        ATTRIBUTION,
        LICENCE["title"] + ": " + LICENCE["path"],
        LICENCE_SCOPE,
        "",
        "Files",
        "-----",
        f"{JSON_NAME}: every row as Django fixtures with natural keys (loads into Casebook).",
        f"{PACKAGE_NAME}: this dictionary as a Frictionless Data Package, with row counts, "
        "hashes and the data's version.",
        "One CSV per table (UTF-8 with a byte-order mark). Text cells that a spreadsheet would "
        "read as a formula start with an apostrophe.",
        "",
        "Data dictionary",
        "---------------",
    ]
    for table in dictionary_:
        lines += ["", f"{table['path']}: {table['title']}", f"  {table['description']}"]
        for column in table["schema"]["fields"]:
            lines.append(f"  - {column['name']} ({column['type']}): {column['description']}")
    return "\n".join(lines) + "\n"


# Building the zip --------------------------------------------------------------------------


class _Sink:
    """A write-only target for zipfile that hands its bytes on in pieces.

    It cannot seek, so zipfile writes each entry's sizes after its data (data descriptors):
    the same layout whether the zip goes to a client, a cache or a file.
    """

    def __init__(self):
        self.parts: list[bytes] = []
        self.pending = 0

    def write(self, data) -> int:
        self.parts.append(bytes(data))
        self.pending += len(data)
        return len(data)

    def flush(self):
        pass

    def take(self) -> bytes:
        data = b"".join(self.parts)
        self.parts, self.pending = [], 0
        return data


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    info.create_system = 3  # Unix, whoever builds it
    return info


def _csv_line(writer, out: io.StringIO, values) -> str:
    writer.writerow([csv_safe("" if v is None else v) for v in values])
    text = out.getvalue()
    out.seek(0)
    out.truncate()
    return text


def _snapshot():
    """One read-only snapshot for the whole build, so the tables agree with each other."""
    atomic = transaction.atomic()
    outermost = not connection.in_atomic_block
    atomic.__enter__()
    if outermost and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
    return atomic


def stream() -> Iterator[bytes]:
    """The zip, in pieces, built from one snapshot; kept in the cache if it is small enough."""
    atomic = _snapshot()
    try:
        version = datacache.current()
        kept: list[bytes] | None = [] if datacache.enabled() else None
        kept_size = 0
        sink = _Sink()
        tables = dictionary()
        counts: dict[str, int] = {}
        hashes: dict[str, str] = {}
        sizes: dict[str, int] = {}

        def pieces(force=False):
            nonlocal kept, kept_size
            if sink.pending and (force or sink.pending >= FLUSH_BYTES):
                data = sink.take()
                if kept is not None:
                    kept_size += len(data)
                    if kept_size <= cache_limit():
                        kept.append(data)
                    else:
                        kept = None  # too big to keep: every download streams
                yield data

        with zipfile.ZipFile(sink, "w", compresslevel=COMPRESS_LEVEL) as archive:

            def write_entry(name, texts):
                digest = hashlib.sha256()
                size = 0
                with archive.open(_entry(name), "w") as handle:
                    for text in texts:
                        data = text.encode("utf-8")
                        digest.update(data)
                        size += len(data)
                        handle.write(data)
                        yield from pieces()
                hashes[name] = digest.hexdigest()
                sizes[name] = size

            yield from write_entry(README_NAME, [readme(tables)])
            yield from write_entry(JSON_NAME, json_texts(counts))
            for model in models():
                yield from write_entry(csv_name(model), csv_texts(model))
            content = hashlib.sha256(
                "".join(f"{n}:{h}\n" for n, h in sorted(hashes.items())).encode()
            ).hexdigest()
            package = datapackage(tables, counts, hashes, sizes, content)
            yield from write_entry(PACKAGE_NAME, [package])
        yield from pieces(force=True)
        if kept is not None:
            datacache.store(
                cache_key(version),
                {"zip": b"".join(kept), "version": content[:12], "counts": counts},
            )
    except BaseException as error:
        atomic.__exit__(type(error), error, error.__traceback__)
        raise
    else:
        atomic.__exit__(None, None, None)


def json_texts(counts: dict) -> Iterator[str]:
    first = True
    yield "["
    for model in models():
        counts[csv_name(model)[:-4]] = 0
        for chunk in dataset.json_chunks(model):
            counts[csv_name(model)[:-4]] += len(chunk)
            text = ",\n".join(dataset.dumps_object(obj) for obj in chunk)
            yield ("\n" if first else ",\n") + text
            first = False
    yield "]" if first else "\n]"


def csv_texts(model) -> Iterator[str]:
    out = io.StringIO()
    writer = csv.writer(out)
    batch = ["\ufeff"]
    for values in dataset.table_rows(model):
        batch.append(_csv_line(writer, out, values))
        if len(batch) >= 500:
            yield "".join(batch)
            batch = []
    yield "".join(batch)


def datapackage(tables, counts, hashes, sizes, content) -> str:
    resources = [
        {
            **table,
            "bytes": sizes[table["path"]],
            "hash": f"sha256:{hashes[table['path']]}",
            "rows": counts[table["name"]],
        }
        for table in tables
    ]
    package = {
        "profile": "tabular-data-package",
        "name": "casebook",
        "title": TITLE,
        "version": content[:12],
        "description": "Every record published on Casebook: case studies of interventions in "
        "failing English council services, with inspections, spending and statistics, each "
        "row citing the report and the place in it that it comes from.",
        "licenses": [LICENCE],
        "attribution": ATTRIBUTION,
        "licenceScope": LICENCE_SCOPE,
        "resources": resources,
        "files": {
            JSON_NAME: {"bytes": sizes[JSON_NAME], "hash": f"sha256:{hashes[JSON_NAME]}"},
            README_NAME: {"bytes": sizes[README_NAME], "hash": f"sha256:{hashes[README_NAME]}"},
        },
    }
    return json.dumps(package, ensure_ascii=False, indent=1) + "\n"


def cache_key(version: str) -> str:
    return f"v{version}:opendata-zip"


def cached(request=None) -> dict | None:
    """The finished build for the current data, if one is in the cache."""
    if not datacache.enabled():
        return None
    return datacache.cache().get(cache_key(datacache.current(request)))


def build() -> bytes:
    """The whole zip in memory (for the command and tests; the site streams it)."""
    return b"".join(stream())


# What the page says ------------------------------------------------------------------------


def summary(request=None) -> dict:
    """Row counts per table and when the data last changed: for the /data/ page."""

    def compute():
        row = DataVersion.objects.filter(pk=1).values_list("changed", flat=True).first()
        return {
            "changed": row,
            "counts": [
                (
                    csv_name(model),
                    model._meta.verbose_name_plural,
                    model._default_manager.published().count(),
                )
                for model in models()
            ],
        }

    return datacache.remember(request, "opendata-summary", compute)
