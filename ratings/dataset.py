"""The open data set: every published row, as natural-key JSON and one CSV per table.

This module says what each row holds; `ratings.opendata` packs the rows into the download
that `/data/` serves (and `manage.py export_dataset` writes to a file).
"""

from __future__ import annotations

import json
from itertools import islice

from django.apps import apps
from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder

from interventions import memberships
from interventions.visibility import hidden_relation, named_through

# Dependency order: a row's references always come before it.
MODELS = [
    "interventions.Source",
    "interventions.Council",
    "interventions.Organisation",
    "interventions.Ownership",
    "interventions.ServiceArea",
    "interventions.Discrepancy",
    "interventions.Person",
    "interventions.Post",
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

CHUNK = 2000


def natural(value):
    """A reference as its natural key (blank for none, or for a draft: see named_through)."""
    if hasattr(value, "natural_key"):
        key = value.natural_key()
        return "/".join(str(part) for part in key)
    return "" if value is None else value


def exported_fields(model) -> list:
    """Every stored field but the id and the derived public flag (every exported row is public),
    then a fact's disagreements (interventions.memberships: read with the row, by slug)."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key and f.name != "public"]
    if memberships.has_memberships(model):
        fields.append(model._meta.get_field("discrepancies"))
    return fields


def published_rows(model):
    """The published rows of a table, in a fixed order, fetched in chunks."""
    related = [f.name for f in exported_fields(model) if f.is_relation and not f.many_to_many]
    rows = model._default_manager.published().select_related(*related).order_by("pk")
    return memberships.with_disagreements(rows).iterator(chunk_size=CHUNK)


def row_values(obj, fields, model=None) -> list:
    """One CSV row: references by natural key (blank for a record the public may not see),
    everything else as stored."""
    model = model or type(obj)
    return [
        " ".join(flag.slug for flag in memberships.flags(obj))
        if f.many_to_many
        else natural(named_through(model, f.name, getattr(obj, f.name)))
        if f.is_relation
        else getattr(obj, f.attname)
        for f in fields
    ]


def table_rows(model):
    """The header, then one list of values per published row."""
    fields = exported_fields(model)
    yield [f.name for f in fields]
    for obj in published_rows(model):
        yield row_values(obj, fields, model)


def json_objects(model, rows) -> list[dict]:
    """Rows as Django's serialiser gives them: natural keys, loadable with `loaddata`. A
    fact's disagreements are read with the row (not one query a row), by natural key."""
    fields = exported_fields(model)
    objects = serializers.serialize(
        "python",
        rows,
        fields=[f.name for f in fields if not f.many_to_many],
        use_natural_foreign_keys=True,
        use_natural_primary_keys=True,
    )
    if any(f.many_to_many for f in fields):
        for obj, row in zip(objects, rows, strict=True):
            obj["fields"]["discrepancies"] = [[flag.slug] for flag in memberships.flags(row)]
    return objects


def json_chunks(model):
    """Every published row of a table as serialiser dicts, a chunk at a time."""
    rows = iter(published_rows(model))  # references joined: no query per row for its keys
    withheld = withheld_keys(model)  # once per table
    while chunk := list(islice(rows, CHUNK)):
        yield blank_withheld(model, json_objects(model, chunk), withheld)


def dumps_object(obj: dict) -> str:
    """One row of casebook.json: a line of its own, keys sorted (readable in a diff, and
    Python's C encoder writes it, several times faster than an indented one)."""
    return json.dumps(obj, cls=DjangoJSONEncoder, ensure_ascii=False, sort_keys=True)


def table_csv(model) -> str:
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerows(table_rows(model))
    return out.getvalue()


def withheld_keys(model) -> dict[str, set]:
    """For each relation of `model` that may lead to a draft: the natural keys of drafts."""
    found = {}
    for f in exported_fields(model):
        if f.is_relation and not f.many_to_many and hidden_relation(model, f.name):
            related = f.related_model._default_manager
            drafts = related.exclude(pk__in=related.published().values("pk"))
            found[f.name] = {tuple(draft.natural_key()) for draft in drafts}
    return found


def blank_withheld(model, rows: list[dict], withheld: dict | None = None) -> list[dict]:
    """Blank every reference to a record the public may not see."""
    withheld = withheld_keys(model) if withheld is None else withheld
    for name, keys in withheld.items():
        for row in rows:
            value = row["fields"].get(name)
            if value is not None and tuple(value) in keys:
                row["fields"][name] = None
    return rows


def dataset_json() -> str:
    """The whole of casebook.json in one string (for tests and small data)."""
    items = [
        dumps_object(obj)
        for label in MODELS
        for chunk in json_chunks(apps.get_model(label))
        for obj in chunk
    ]
    return "[\n" + ",\n".join(items) + "\n]" if items else "[]"
