"""The open data set: every published row, as natural-key JSON and one CSV per table, zipped."""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import json
import zipfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers

from interventions import datacache
from interventions.visibility import hidden_relation, named_through

# Dependency order: a row's references always come before it.
MODELS = [
    "interventions.Source",
    "interventions.Council",
    "interventions.Organisation",
    "interventions.ServiceArea",
    "interventions.Discrepancy",
    "interventions.Intervention",
    "interventions.Participant",
    "interventions.Phase",
    "interventions.Workstream",
    "interventions.Lesson",
    "interventions.Milestone",
    "interventions.InterventionLink",
    "ratings.Inspection",
    "ratings.Judgement",
    "ratings.SpendingLine",
    "ratings.Statistic",
]


def export_dir() -> Path:
    return Path(getattr(settings, "DATA_EXPORT_DIR", Path(settings.BASE_DIR) / "var" / "exports"))


def natural(value):
    """A reference as its natural key (blank for none, or for a draft: see named_through)."""
    if hasattr(value, "natural_key"):
        key = value.natural_key()
        return "/".join(str(part) for part in key)
    return "" if value is None else value


def exported_fields(model) -> list:
    """Every stored field but the id and the derived public flag (every exported row is public)."""
    return [f for f in model._meta.concrete_fields if not f.primary_key and f.name != "public"]


def table_csv(model) -> str:
    fields = exported_fields(model)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([f.name for f in fields])
    related = [f.name for f in fields if f.is_relation]
    for obj in (
        model._default_manager.published()
        .select_related(*related)
        .order_by("pk")
        .iterator(chunk_size=2000)
    ):
        writer.writerow(
            [
                natural(named_through(model, f.name, getattr(obj, f.name)))
                if f.is_relation
                else getattr(obj, f.attname)
                for f in fields
            ]
        )
    return out.getvalue()


def withheld_keys(model) -> dict[str, set]:
    """For each relation of `model` that may lead to a draft: the natural keys of drafts."""
    found = {}
    for f in exported_fields(model):
        if f.is_relation and hidden_relation(model, f.name):
            related = f.related_model._default_manager
            drafts = related.exclude(pk__in=related.published().values("pk"))
            found[f.name] = {tuple(draft.natural_key()) for draft in drafts}
    return found


def blank_withheld(model, rows: list[dict]) -> list[dict]:
    """Blank every reference to a record the public may not see."""
    for name, keys in withheld_keys(model).items():
        for row in rows:
            value = row["fields"].get(name)
            if value is not None and tuple(value) in keys:
                row["fields"][name] = None
    return rows


def dataset_json() -> str:
    rows = []
    for label in MODELS:
        model = apps.get_model(label)
        rows.extend(
            blank_withheld(
                model,
                json.loads(
                    serializers.serialize(
                        "json",
                        model._default_manager.published().order_by("pk"),
                        fields=[f.name for f in exported_fields(model)],
                        use_natural_foreign_keys=True,
                        use_natural_primary_keys=True,
                    )
                ),
            )
        )
    return json.dumps(rows, ensure_ascii=False, indent=1, sort_keys=True)


def build(today: datetime.date | None = None) -> Path:
    """Write the export and return its path. The version is the date plus a content hash."""
    today = today or datetime.date.today()  # noqa: DTZ011
    data = dataset_json()
    digest = hashlib.sha256(data.encode("utf-8")).hexdigest()[:10]
    version = f"{today.isoformat()}-{digest}"
    folder = export_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"casebook-data-{version}.zip"
    counts = {}
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("casebook.json", data)
        for label in MODELS:
            model = apps.get_model(label)
            name = f"{model._meta.app_label}_{model._meta.model_name}.csv"
            archive.writestr(name, "\ufeff" + table_csv(model))
            counts[label] = model._default_manager.published().count()
        archive.writestr(
            "metadata.json",
            json.dumps(
                {
                    "title": "Casebook open data",
                    "version": version,
                    "date": today.isoformat(),
                    "rows": counts,
                    "licence": "Facts from public reports; see each row's source and locator.",
                },
                indent=1,
            ),
        )
    datacache.bump()  # the data page offers the new file
    return path


def latest() -> Path | None:
    folder = export_dir()
    if not folder.is_dir():
        return None
    files = sorted(folder.glob("casebook-data-*.zip"), key=lambda p: p.stat().st_mtime)
    return files[-1] if files else None
