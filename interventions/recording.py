"""Numbering a record's versions: one version per change set, parts included.

django-simple-history keeps one history per model: a case study's money lines, phases and
participants each have their own. A reader cites the case study, so a version here is the
whole record: every history row written for the record or any of its parts (as the section
registry names them, `interventions.sections.FactKind.version_parts`) while one change set
is open makes one `RecordVersion`, numbered 1, 2, 3… per record.

A change set is `batch()`: each request is one (`VersionsMiddleware`: an admin save of a case
study with its inlines is one version), the seed is one per run ("Imported from <report>").
A history row written outside any batch (a shell, a script) is a change set of its own.

Changes made while a record is a draft are not numbered: the public never saw them. The
version made when it is published shows the record as it then stood.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.apps import apps
from django.db import IntegrityError, transaction
from django.db.models import Max
from simple_history.signals import post_create_historical_record

_local = threading.local()

HIDDEN = {"id", "public", "search_text"}
KINDS = {"+": "Created", "~": "Changed", "-": "Deleted"}


@dataclass
class Pending:
    """What one change set did to one record, gathered from its history rows."""

    moment: object = None
    kind: str = ""
    changed: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    user_id: int | None = None
    # False when a row had no earlier history to compare with: what changed is not known,
    # so the change set is a version even with nothing listed.
    compared: bool = True

    def add(self, moment, words: Iterable[str], reason: str | None, user_id) -> None:
        if self.moment is None or moment > self.moment:
            self.moment = moment
        for word in words:
            if word not in self.changed:
                self.changed.append(word)
        if reason and reason not in self.reasons:
            self.reasons.append(reason)
        if user_id is not None:
            self.user_id = user_id

    def fields(self, kind: str, reason: str, recorded=None) -> dict:
        """The version's fields, beside its record and number."""
        return {
            "recorded": recorded or self.moment,
            "kind": kind,
            "changed": self.changed,
            "reason": reason,
            "user_id": self.user_id,
        }


class Batch:
    def __init__(self):
        self.pending: dict[tuple[str, int], Pending] = {}


def _stack() -> list[Batch]:
    if not hasattr(_local, "stack"):
        _local.stack = []
    return _local.stack


@contextlib.contextmanager
def batch():
    """Every history row written inside makes, for each record it touches, one version.

    Nested batches join the outermost one. On an error nothing is numbered (the rows it
    wrote roll back with their transaction)."""
    stack = _stack()
    if stack:
        yield stack[0]
        return
    current = Batch()
    stack.append(current)
    try:
        yield current
    except BaseException:
        stack.pop()
        raise
    stack.pop()
    flush(current)


class VersionsMiddleware:
    """Each request is one change set: an admin save with its inlines is one version."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return self.get_response(request)
        with batch():
            return self.get_response(request)


# What a history row is of ---------------------------------------------------------------

_parts: dict | None = None


def parts_of() -> dict[str, list[tuple[str, str, str]]]:
    """For each part model: (record label, the part's key to its record, heading)."""
    from .sections import site

    global _parts
    if _parts is not None:
        return _parts
    result: dict[str, list[tuple[str, str, str]]] = {}
    for label in site.records():
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        for relation, heading in site.version_parts(label):
            remote = model._meta.get_field(relation)
            part = remote.related_model._meta.label_lower
            result.setdefault(part, []).append((label, remote.field.attname, heading))
    _parts = result
    return result


def changed_fields(model, record, older) -> list[str]:
    fields = [f for f in model._meta.concrete_fields if f.name not in HIDDEN and not f.primary_key]
    return [
        str(f.verbose_name)
        for f in fields
        if f.attname in record.__dict__
        and f.attname in older.__dict__
        and getattr(record, f.attname) != getattr(older, f.attname)
    ]


def describe(model, record, older, heading: str | None = None) -> list[str]:
    """What a history row changed, in words: fields of the record, or "Money: amount"."""
    kind = record.history_type
    if heading is None:
        if kind == "~" and older is not None:
            return changed_fields(model, record, older)
        return []
    if kind == "+":
        return [f"{heading}: added"]
    if kind == "-":
        return [f"{heading}: removed"]
    if older is None:
        return [f"{heading}: changed"]  # a row with no earlier history to compare with
    fields = changed_fields(model, record, older)
    return [f"{heading}: {', '.join(fields).lower()}"] if fields else []


def note(history_instance, model) -> None:
    """Add one history row to the open change set, or make it a change set of its own."""
    label = model._meta.label_lower
    owners = []
    if label in records():
        owners.append((label, history_instance.id, None))
    for record, key, heading in parts_of().get(label, []):
        owner_id = getattr(history_instance, key, None)
        if owner_id is not None:
            owners.append((record, owner_id, heading))
    if not owners:
        return
    older = history_instance.prev_record if history_instance.history_type != "+" else None
    stack = _stack()
    current = stack[0] if stack else Batch()
    for record, owner_id, heading in owners:
        if heading is not None and not counts_as_public(history_instance, older):
            continue  # a draft part's change: the public never saw it
        pending = current.pending.setdefault((record, owner_id), Pending())
        if heading is None and history_instance.history_type != "~":
            pending.kind = KINDS[history_instance.history_type]
        if heading is None and history_instance.history_type == "~" and older is None:
            pending.compared = False
        pending.add(
            history_instance.history_date,
            describe(model, history_instance, older, heading),
            history_instance.history_change_reason,
            history_instance.history_user_id,
        )
    if not stack:
        flush(current)


def counts_as_public(record, older) -> bool:
    """A part's change is part of the record's public version unless the part was a draft
    before and after it."""
    if "published" not in record.__dict__:
        return True
    return bool(record.published) or bool(older is not None and older.published)


def on_history_row(sender, instance, history_instance, **kwargs):
    note(history_instance, type(instance))


def connect() -> None:
    post_create_historical_record.connect(on_history_row, dispatch_uid="casebook-versions")


# Numbering ------------------------------------------------------------------------------


def is_public(model, pk) -> bool | None:
    """Whether the record is published now (None: it no longer exists)."""
    names = {f.name for f in model._meta.concrete_fields}
    row = model._default_manager.filter(pk=pk)
    if "published" not in names:
        return True if row.exists() else None
    value = row.values_list("published", flat=True).first()
    return None if value is None else bool(value)


def flush(current: Batch) -> None:
    from .models import RecordVersion

    # A change set is one event: each version it makes stands at its last write, so that a
    # version page shows the whole of it (a seed's import, an admin save with its inlines),
    # not the record as it stood half-way through.
    moments = [p.moment for p in current.pending.values() if p.moment is not None]
    recorded = max(moments) if moments else None
    for (label, pk), pending in current.pending.items():
        model = apps.get_model(label)
        if not is_public(model, pk):
            continue  # a draft, or deleted: no public version
        kind = pending.kind or "Changed"
        versions = RecordVersion.objects.filter(record=label, record_id=pk)
        if kind == "Changed" and not versions.exists():
            kind = "Published"  # its first public version: a draft made public
        if kind == "Changed" and not pending.changed and pending.compared:
            continue  # nothing a reader could see changed (a save with no change)
        reason = version_reason(pending, model._default_manager.filter(pk=pk).first)
        for _attempt in range(5):
            number = (versions.aggregate(n=Max("number"))["n"] or 0) + 1
            try:
                with transaction.atomic():
                    RecordVersion.objects.create(
                        record=label,
                        record_id=pk,
                        number=number,
                        **pending.fields(kind, reason, recorded),
                    )
                break
            except IntegrityError:
                continue  # another host took the number: take the next one


# Existing history -----------------------------------------------------------------------

GAP_SECONDS = 2


def records() -> list[str]:
    from .sections import site

    return site.records()


def rebuild(get_model=apps.get_model, record_version=None, labels=None, parts=None) -> int:
    """Number the versions of every record from the history already kept.

    Rows of a record and its parts written within a few seconds of each other by the same
    user with the same reason count as one change set (an admin save; the seed). Used by the
    migration that introduced versions (with its historical models) and by
    `manage.py rebuild_versions`. Returns the number of versions made."""
    if record_version is None:
        from .models import RecordVersion as record_version
    if parts is None:
        parts = parts_of()
    if labels is None:
        labels = records()
    by_record: dict[str, list[tuple[str, str, str | None]]] = {label: [] for label in labels}
    for part, owners in parts.items():
        for label, key, heading in owners:
            if label in by_record:
                by_record[label].append((part, key, heading))
    made = 0
    for label in labels:
        try:
            model = get_model(*label.split("."))
            history = get_model(label.split(".")[0], f"Historical{model.__name__}")
        except LookupError:
            continue
        rows: dict[int, list] = {}
        for row in history.objects.order_by("history_date", "history_id"):
            rows.setdefault(row.id, []).append((row, None, None))
        for part, key, heading in by_record[label]:
            part_model = get_model(*part.split("."))
            part_history = get_model(part.split(".")[0], f"Historical{part_model.__name__}")
            for row in part_history.objects.order_by("history_date", "history_id"):
                owner = getattr(row, key, None)
                if owner is not None and owner in rows:
                    rows[owner].append((row, part_model, heading))
        record_version.objects.filter(record=label).delete()
        for pk, entries in rows.items():
            made += number_history(label, model, pk, entries, record_version)
    return made


def same_change_set(change_set: list, entry) -> bool:
    """Whether a history row belongs with the change set before it: written by the same
    user for the same reason within a few seconds (any time apart for the seed's own rows,
    which one run writes), and not a second row for a row already in the set."""
    row, part_model, _ = entry
    last = change_set[-1][0]
    reason = row.history_change_reason or ""
    if row.history_user_id != last.history_user_id or reason != (last.history_change_reason or ""):
        return False
    if any(other.id == row.id and model is part_model for other, model, _ in change_set):
        return False
    gap = (row.history_date - last.history_date).total_seconds()
    return reason in SEED_REASONS or gap <= GAP_SECONDS


def number_history(label, model, pk, entries, record_version) -> int:
    entries.sort(key=lambda e: (e[0].history_date, e[0].history_id))
    sets: list[list] = []
    for entry in entries:
        if sets and same_change_set(sets[-1], entry):
            sets[-1].append(entry)
        else:
            sets.append([entry])
    number = 0
    own_last = None
    previous: dict[tuple, object] = {}
    for change_set in sets:
        pending = Pending()
        for row, part_model, heading in change_set:
            older = previous.get((part_model, row.id))
            previous[(part_model, row.id)] = row
            if heading is None:
                own_last = row
                if row.history_type != "~":
                    pending.kind = KINDS[row.history_type]
                words = describe(model, row, older)
            else:
                if not counts_as_public(row, older):
                    continue
                words = describe(part_model, row, older, heading)
            pending.add(row.history_date, words, row.history_change_reason, row.history_user_id)
        if own_last is None or own_last.history_type == "-" or pending.moment is None:
            continue
        if "published" in own_last.__dict__ and not own_last.published:
            continue
        kind = pending.kind or ("Changed" if number else "Published")
        if kind == "Changed" and not pending.changed:
            continue
        reason = version_reason(pending, lambda record=own_last: record)
        number += 1
        record_version.objects.create(
            record=label, record_id=pk, number=number, **pending.fields(kind, reason)
        )
    return number


SEED_REASONS = (
    "Loaded from the seed fixtures",
    "Overwritten from the seed fixtures by manage.py seed --overwrite-curated",
)


def version_reason(pending: Pending, record: Callable) -> str:
    """The reasons given for a change set; the seed's own: "Imported from <report>"."""
    reasons = [r for r in pending.reasons if r not in SEED_REASONS]
    if pending.reasons and not reasons:
        if pending.kind != "Created":
            return "Updated from the seed data"
        obj = record()
        source = getattr(obj, "source", None) if getattr(obj, "source_id", None) else None
        return (
            f"Imported from {source.title}" if source is not None else "Imported from the seed data"
        )
    return "; ".join(reasons)
