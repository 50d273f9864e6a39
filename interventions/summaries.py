"""Exact counts of a list's public rows from a summary table, kept on every write.

Counting a million spending lines for the list's count and grouping them for each facet was
most of a first visit's time. Each large list instead keeps `FactCount` rows: for every
combination of the values its filters and facets use (its council, year, kind, framework,
grade, …) how many public rows have them. Region and council type are the council's, read
through it, so a council that moves region moves its counts with it and nothing is rewritten.

- An app registers a list's `Summary` (ratings.counts): the fact model and, for each
  dimension of `FactCount`, the path to it on the fact (`"council": "inspection__council"`).
- Rows are kept per *grain*: each set of dimensions (always with the council). A count asks
  the grain holding exactly the dimensions its filters and facet use, so an unfiltered council
  facet sums one row per council, not one per council, year and kind.
- The publishing service (interventions.publishing) keeps them exact in the transaction of
  every write: a fact saved or deleted recounts its council's rows (before and after, if it
  moved council), a change of what is public recounts the councils of the rows that moved,
  a record whose fields a dimension reads (an inspection's council or year, for its
  judgements) recounts its facts' councils, and `refresh_all()` rebuilds every list.
- A list (interventions.counting) uses them when every active filter is on a dimension; free
  text, amounts and anything else fall back to counting the rows, under the facet time limit.

`python manage.py fact_counts --verify` compares every stored count with the rows.
"""

from __future__ import annotations

import copy
import itertools
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from django.db import transaction
from django.db.models import Count, Q, QuerySet, Sum

from .filter_fields import TextFilter
from .models import Council, FactCount

# The dimensions a FactCount row can hold, in its own fields; the first is the partition.
DIMENSIONS = ("council", "intervention", "organisation", "person", "year", "kind", "grade", "scope")
RELATIONS = {"council", "intervention", "organisation", "person"}


@dataclass(frozen=True)
class Summary:
    """A list counted in FactCount: its name there, its model and where each dimension is."""

    name: str
    model: type
    dims: dict[str, str] = field(hash=False)  # FactCount field -> path on the fact
    # At most this many dimensions besides the council in one grain (None: any number): a
    # list with many dimensions whose finest grain is nearly one row per fact keeps only the
    # smaller grains, and counts a rarer combination of filters from the rows.
    max_dims: int | None = None

    def __post_init__(self):
        unknown = set(self.dims) - set(DIMENSIONS)
        if unknown or "council" not in self.dims:
            raise ValueError(f"{self.name}: dimensions must include council, not {unknown}")

    @property
    def council_path(self) -> str:
        return self.dims["council"]

    @cached_property
    def others(self) -> tuple[str, ...]:
        return tuple(d for d in DIMENSIONS if d in self.dims and d != "council")

    @cached_property
    def grains(self) -> list[frozenset]:
        """Every set of the other dimensions, up to max_dims of them (the council is in every
        grain)."""
        largest = len(self.others) if self.max_dims is None else self.max_dims
        return [
            frozenset(combo)
            for size in range(min(largest, len(self.others)) + 1)
            for combo in itertools.combinations(self.others, size)
        ]

    @staticmethod
    def grain_name(dims) -> str:
        return ",".join(sorted(dims)) or "-"

    def translate(self, path: str) -> str | None:
        """A path on the fact as a path on FactCount ("inspection__council__slug" →
        "council__slug"), or None if no dimension holds it."""
        for dim, fact_path in sorted(self.dims.items(), key=lambda item: -len(item[1])):
            if path == fact_path:
                return dim
            if dim in RELATIONS and path.startswith(f"{fact_path}__"):
                return dim + path[len(fact_path) :]
        return None

    def counts(self, dims=()) -> QuerySet:
        return FactCount.objects.filter(list=self.name, grain=self.grain_name(dims))


_registry: dict[type, Summary] = {}


def register(summary: Summary) -> None:
    """Count a list in FactCount, kept by the publishing service from now on (an app calls
    it from its ready())."""
    _registry[summary.model] = summary
    connect()


def summaries() -> list[Summary]:
    return list(_registry.values())


def for_model(model) -> Summary | None:
    return _registry.get(model)


# Writing ---------------------------------------------------------------------------------


def partition(summary: Summary, councils) -> tuple[Q, Q]:
    """The facts of these councils, and their FactCount rows (None: a fact with no council)."""
    ids = {c for c in councils if c is not None}
    facts = Q(**{f"{summary.council_path}__in": ids})
    counts = Q(council__in=ids)
    if None in councils:
        facts |= Q(**{f"{summary.council_path}__isnull": True})
        counts |= Q(council__isnull=True)
    return facts, counts


def rebuild(summary: Summary, councils=None) -> None:
    """Recount the public rows of these councils (None: of every council), in every grain:
    one GROUP BY over the facts at the finest grain, summed up to the others here."""
    with transaction.atomic():
        _rebuild(summary, councils)


def _rebuild(summary: Summary, councils) -> None:
    facts = summary.model._default_manager.filter(public=True)
    stored = FactCount.objects.filter(list=summary.name)
    if councils is not None:
        councils = set(councils)
        if not councils:
            return
        # Two saves in one council at once recount one after the other (the council's row
        # locked, in id order): on PostgreSQL the second then reads the first's rows and
        # counts, rather than both deleting the old counts and inserting their own.
        ids = sorted(c for c in councils if c is not None)
        list(Council.objects.select_for_update().filter(pk__in=ids).order_by("pk").values("pk"))
        fact_q, count_q = partition(summary, councils)
        facts, stored = facts.filter(fact_q), stored.filter(count_q)
    dims = ("council", *summary.others)
    paths = [summary.dims[d] for d in dims]
    totals: dict[tuple, int] = defaultdict(int)
    grains = [(grain, [d == "council" or d in grain for d in dims]) for grain in summary.grains]
    for row in facts.order_by().values_list(*paths).annotate(n=Count("pk")):
        values, n = row[:-1], row[-1]
        for grain, kept in grains:
            totals[(grain, *(v if k else None for v, k in zip(values, kept, strict=True)))] += n
    stored._raw_delete(stored.db)  # derived rows: nothing points at them, no signals
    FactCount.objects.bulk_create(
        [
            FactCount(
                list=summary.name,
                grain=summary.grain_name(key[0]),
                n=n,
                **{
                    (f"{d}_id" if d in RELATIONS else d): (
                        value if value is not None or d in RELATIONS or d == "year" else ""
                    )
                    for d, value in zip(dims, key[1:], strict=True)
                },
            )
            # Grain by grain, council by council: a grain's rows lie together on disk, so a
            # facet reads a few pages rather than one per row.
            for key, n in sorted(totals.items(), key=lambda item: by_grain_and_council(item[0]))
        ],
        batch_size=2000,
    )


def by_grain_and_council(key: tuple) -> tuple:
    """Where a tally's row goes: its grain, then its council (none first)."""
    grain, council = key[0], key[1]
    return (Summary.grain_name(grain), council is not None, council or 0)


def rebuild_all() -> None:
    for summary in summaries():
        rebuild(summary)


def councils_of(summary: Summary, rows: QuerySet) -> set:
    return set(rows.order_by().values_list(summary.council_path, flat=True).distinct())


def council_of(summary: Summary, instance):
    """The council a fact belongs to, read along its path (its own foreign keys)."""
    obj = instance
    parts = summary.council_path.split("__")
    for part in parts[:-1]:
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return getattr(obj, f"{parts[-1]}_id", None)


def fact_before(sender, instance, raw=False, **kwargs):
    """Before a summarised fact is saved, note the council it was counted under."""
    summary = for_model(sender)
    instance._summary_council_before = (
        ()
        if instance.pk is None
        else tuple(
            sender._default_manager.filter(pk=instance.pk).values_list(
                summary.council_path, flat=True
            )
        )
    )


def fact_saved(summary: Summary, instance) -> None:
    """After a fact is saved (its public flag recomputed): recount where it was and is."""
    councils = {council_of(summary, instance), *getattr(instance, "_summary_council_before", ())}
    rebuild(summary, councils)


def fact_deleted(sender, instance, **kwargs):
    rebuild(for_model(sender), {council_of(for_model(sender), instance)})


@dataclass(frozen=True)
class Reach:
    """A record that a summary's dimensions read through (an inspection, for judgements)."""

    summary: Summary
    prefix: str  # the path from the fact to the record ("inspection")
    fields: tuple[str, ...]  # what the dimensions read on it, as attnames ("council_id", …)
    council_field: str | None  # the one of them that is the fact's council, if any


def reaches() -> dict[type, list[Reach]]:
    found = defaultdict(list)
    for summary in summaries():
        by_prefix = defaultdict(set)
        for path in summary.dims.values():
            if "__" in path:
                prefix, last = path.rsplit("__", 1)
                by_prefix[prefix].add(last)
        for prefix, names in by_prefix.items():
            model = summary.model
            for part in prefix.split("__"):
                model = model._meta.get_field(part).related_model
            attnames = tuple(sorted(model._meta.get_field(n).attname for n in names))
            council_last = summary.council_path.rsplit("__", 1)
            council_field = (
                model._meta.get_field(council_last[1]).attname
                if len(council_last) == 2 and council_last[0] == prefix
                else None
            )
            found[model].append(Reach(summary, prefix, attnames, council_field))
    return dict(found)


def owner_before(sender, instance, raw=False, **kwargs):
    if instance.pk is None:
        instance._summary_before = None
        return
    fields = sorted({f for reach in reaches()[sender] for f in reach.fields})
    instance._summary_before = (
        sender._default_manager.filter(pk=instance.pk).values(*fields).first()
    )


def owner_saved(sender, instance, created=False, raw=False, **kwargs):
    """A record the dimensions read was saved: if what they read changed, recount the
    councils its facts were and are counted under."""
    before = getattr(instance, "_summary_before", None)
    if created or before is None:
        return
    for reach in reaches()[sender]:
        if all(before[f] == getattr(instance, f) for f in reach.fields):
            continue
        rows = reach.summary.model._default_manager.filter(**{reach.prefix: instance.pk})
        councils = councils_of(reach.summary, rows)
        if reach.council_field:
            councils.add(before[reach.council_field])
        rebuild(reach.summary, councils)


def build_missing(**kwargs) -> None:
    """After `migrate`: count any list that has public rows but no counts yet (a database
    made before the summary table existed), so no list starts out showing none."""
    for summary in summaries():
        if (
            not FactCount.objects.filter(list=summary.name).exists()
            and summary.model._default_manager.filter(public=True).exists()
        ):
            rebuild(summary)


def connect() -> None:
    """The hooks of every registered list (a fact's council before a save, a delete, the
    records its dimensions read); a fact's save itself is publishing.follow_fact's."""
    from django.db.models.signals import post_delete, post_migrate, post_save, pre_save

    post_migrate.connect(build_missing, dispatch_uid="summary-build-missing")

    for summary in summaries():
        label = summary.model._meta.label
        pre_save.connect(fact_before, sender=summary.model, dispatch_uid=f"summary-{label}")
        post_delete.connect(fact_deleted, sender=summary.model, dispatch_uid=f"summary-{label}")
    for owner in reaches():
        label = owner._meta.label
        pre_save.connect(owner_before, sender=owner, dispatch_uid=f"summary-owner-{label}")
        post_save.connect(owner_saved, sender=owner, dispatch_uid=f"summary-owner-{label}")


def blank_as_none(value):
    return None if value == "" else value


def mismatches(summary: Summary) -> list[str]:
    """Where the stored counts differ from the rows, each grain counted afresh with its own
    GROUP BY (empty when all is well)."""
    stored = {
        (
            row.grain,
            *(blank_as_none(getattr(row, f"{d}_id" if d in RELATIONS else d)) for d in DIMENSIONS),
        ): row.n
        for row in FactCount.objects.filter(list=summary.name)
    }
    live = {}
    facts = summary.model._default_manager.filter(public=True).order_by()
    for grain in summary.grains:
        dims = ("council", *sorted(grain))
        for row in facts.values_list(*(summary.dims[d] for d in dims)).annotate(n=Count("pk")):
            values = dict(zip(dims, row[:-1], strict=True))
            key = (summary.grain_name(grain), *(blank_as_none(values.get(d)) for d in DIMENSIONS))
            live[key] = live.get(key, 0) + row[-1]
    return [
        f"{summary.name} {key}: stored {stored.get(key)}, rows {live.get(key)}"
        for key in sorted(set(stored) | set(live), key=repr)
        if stored.get(key) != live.get(key)
    ]


# Reading ---------------------------------------------------------------------------------


class NotSummarised(Exception):
    """A filter or facet that no dimension holds: count the rows instead."""


def is_active(filter_, model, value) -> bool:
    """Whether a filter with this value narrows anything (an empty one is a no-op)."""
    return bool(filter_.filter(model._default_manager.all(), value).query.where)


def narrowed(summary: Summary, filterset, leave_out: str = "", also=()) -> QuerySet:
    """FactCount rows of the grain the active filters (bar one) and `also` need, filtered
    as the list is; NotSummarised if any active filter cannot be."""
    wanted, filters = set(also), []
    for name, value in filterset.form.cleaned_data.items():
        if name == leave_out:
            continue
        filter_ = filterset.filters[name]
        if not is_active(filter_, summary.model, value):
            continue
        path = summary.translate(filter_.field_name)
        if path is None or filter_.method is not None or isinstance(filter_, TextFilter):
            raise NotSummarised(name)
        moved = copy.copy(filter_)
        moved.field_name = path
        filters.append((moved, value))
        wanted.add(path.split("__", 1)[0])
    wanted.discard("council")
    if frozenset(wanted) not in summary.grains:
        raise NotSummarised(", ".join(sorted(wanted)))
    queryset = summary.counts(wanted)
    for filter_, value in filters:
        queryset = filter_.filter(queryset, value)
    return queryset


def total(queryset: QuerySet) -> int:
    return queryset.aggregate(n=Sum("n"))["n"] or 0
