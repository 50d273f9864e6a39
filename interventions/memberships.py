"""Which disagreements each fact is part of, read without a query per fact.

A fact may be part of several disagreements (`Fact.discrepancies`: one membership table per
fact model). Two ways to read them, both found from the fact models' own fields so that this
app never names a `ratings` model:

- `with_disagreements(queryset)`: lists and exports. Each row carries its disagreements in
  one annotated column (`disagreement_keys`), read by a correlated subquery on the row's
  membership table (indexed by fact): no extra query, and the same for a million rows.
- `attach(facts)`: detail and version pages. One UNION query over the membership tables of
  the kinds of fact the page shows, for the facts it shows; none when it shows none.

`flags(fact)` then gives the disagreements of a fact read either way, in title order.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Aggregate, CharField, F, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Concat

from .models import DisagreementScope, Discrepancy
from .models.cases import FLAGS

ITEM = "\x1e"  # between disagreements in `disagreement_keys`
PART = "\x1f"  # between the parts of one: id, scope, slug, title (last: it may hold anything)
ATTRIBUTE = "disagreement_list"


class GroupConcat(Aggregate):
    """The values of a group joined by `separator` (SQLite GROUP_CONCAT, PostgreSQL
    STRING_AGG)."""

    function = "GROUP_CONCAT"
    output_field = CharField()

    def __init__(self, expression, separator: str, **extra):
        super().__init__(expression, Value(separator), **extra)

    def as_postgresql(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, function="STRING_AGG", **extra)


@dataclass(frozen=True)
class Flag:
    """One disagreement a fact is part of, as a page or an export names it."""

    pk: int
    slug: str
    title: str
    scope: str
    note: str = ""

    @property
    def within(self) -> bool:
        return self.scope == DisagreementScope.WITHIN

    @property
    def flag(self) -> str:
        """ "Sources differ", or "The report prints two versions" inside one report."""
        return FLAGS.get(self.scope, FLAGS[DisagreementScope.BETWEEN])

    @property
    def anchor(self) -> str:
        return f"differ-{self.slug}"

    def get_absolute_url(self) -> str:
        return Discrepancy(slug=self.slug).get_absolute_url()

    def as_discrepancy(self) -> Discrepancy:
        return Discrepancy(
            pk=self.pk, slug=self.slug, title=self.title, scope=self.scope, note=self.note
        )


def fact_models(models) -> list:
    """Those of `models` whose rows can be part of a disagreement."""
    return [model for model in models if has_memberships(model) and not model._meta.proxy]


def has_memberships(model) -> bool:
    try:
        field = model._meta.get_field("discrepancies")
    except FieldDoesNotExist:  # not a fact model
        return False
    return field.many_to_many and field.related_model is Discrepancy


def _side(through, model) -> str:
    """The membership table's column naming the fact."""
    for field in through._meta.fields:
        if field.is_relation and field.related_model is model:
            return field.name
    raise LookupError(f"{through._meta.label} has no field for {model._meta.label}")


def _keys():
    return Concat(
        Cast(F("discrepancy_id"), CharField()),
        Value(PART),
        F("discrepancy__scope"),
        Value(PART),
        F("discrepancy__slug"),
        Value(PART),
        F("discrepancy__title"),
        output_field=CharField(),
    )


def keys_subquery(model, outer: str = "pk") -> Subquery:
    """The disagreements of the row `outer` names, as one text value (None: none)."""
    through = model._meta.get_field("discrepancies").remote_field.through
    side = _side(through, model)
    rows = (
        through.objects.filter(**{side: OuterRef(outer)})
        .order_by()
        .values(side)
        .annotate(keys=GroupConcat(_keys(), ITEM))
        .values("keys")
    )
    return Subquery(rows, output_field=CharField())


def history_keys_subquery(model) -> Subquery | None:
    """For a historical record of `model`: its disagreements as that version recorded them
    (django-simple-history keeps each version's memberships beside it)."""
    from simple_history.models import HistoricalRecords

    through = HistoricalRecords.m2m_models.get(model._meta.get_field("discrepancies"))
    if through is None:
        return None
    rows = (
        through.objects.filter(history=OuterRef("history_id"))
        .order_by()
        .values("history")
        .annotate(keys=GroupConcat(_keys(), ITEM))
        .values("keys")
    )
    return Subquery(rows, output_field=CharField())


def with_disagreements(queryset):
    """`queryset`, each row with its disagreements in `disagreement_keys`: a fact model's
    rows as they are, or a historical model's records as each version stood."""
    if "disagreement_keys" in queryset.query.annotations:
        return queryset
    model = getattr(queryset.model, "instance_type", None)
    if model is not None:  # simple-history records
        subquery = history_keys_subquery(model) if has_memberships(model) else None
        if subquery is None:
            return queryset
        return queryset.annotate(disagreement_keys=subquery)
    if not has_memberships(queryset.model):
        return queryset
    return queryset.annotate(disagreement_keys=keys_subquery(queryset.model))


def parse(keys: str | None) -> list[Flag]:
    flags = []
    for item in (keys or "").split(ITEM):
        if not item:
            continue
        pk, scope, slug, title = item.split(PART, 3)
        flags.append(Flag(pk=int(pk), slug=slug, title=title, scope=scope))
    return sorted(flags, key=lambda flag: (flag.title, flag.slug))


def flags(fact) -> list[Flag]:
    """The disagreements `fact` is part of, as read by `attach` or `with_disagreements`."""
    attached = getattr(fact, ATTRIBUTE, None)
    if attached is not None:
        return attached
    return parse(getattr(fact, "disagreement_keys", None))


def attach(facts) -> list[Flag]:
    """Read the disagreements of every fact in `facts` (one query for all of them) and give
    each its list (`flags(fact)`); return every disagreement found, once each. Facts read
    with `with_disagreements` already know theirs and cost nothing."""
    facts = list(facts)
    by_model: dict[type, dict[int, list]] = defaultdict(lambda: defaultdict(list))
    for fact in facts:
        model = getattr(fact, "instance_type", None) or type(fact)
        if not hasattr(model, "_meta") or getattr(fact, "pk", None) is None:
            continue
        model = model._meta.concrete_model
        if not has_memberships(model):
            continue
        if getattr(fact, ATTRIBUTE, None) is not None or "disagreement_keys" in fact.__dict__:
            continue  # already read (with_disagreements)
        by_model[model][fact.pk].append(fact)
    known = {
        flag.pk: flag
        for fact in facts
        if hasattr(fact, "__dict__") and "disagreement_keys" in fact.__dict__
        for flag in flags(fact)
    }
    if not by_model:
        return sorted(known.values(), key=lambda flag: (flag.title, flag.slug))
    branches = []
    for model, rows in by_model.items():
        through = model._meta.get_field("discrepancies").remote_field.through
        side = _side(through, model)
        branches.append(
            through.objects.filter(**{f"{side}__in": list(rows)})
            .order_by()
            .values_list(
                Cast(Value(model._meta.label_lower), CharField()),
                side,
                "discrepancy_id",
                "discrepancy__scope",
                "discrepancy__slug",
                "discrepancy__title",
                "discrepancy__note",
            )
        )
    query = branches[0].union(*branches[1:], all=True) if len(branches) > 1 else branches[0]
    found: dict[int, Flag] = dict(known)
    member: dict[tuple[str, int], list[Flag]] = defaultdict(list)
    for label, pk, discrepancy, scope, slug, title, note in query:
        flag = found.setdefault(
            discrepancy, Flag(pk=discrepancy, slug=slug, title=title, scope=scope, note=note)
        )
        member[(label, pk)].append(flag)
    for model, rows in by_model.items():
        for pk, same in rows.items():
            listed = sorted(
                member.get((model._meta.label_lower, pk), []), key=lambda f: (f.title, f.slug)
            )
            for fact in same:
                setattr(fact, ATTRIBUTE, listed)
    return sorted(found.values(), key=lambda flag: (flag.title, flag.slug))


def scope_problems() -> list[str]:
    """Disagreements whose facts do not fit their scope: "within one source" with facts
    citing several reports, or "between sources" with every fact citing one (one query)."""
    from django.apps import apps

    branches = []
    for model in fact_models(apps.get_models()):
        through = model._meta.get_field("discrepancies").remote_field.through
        side = _side(through, model)
        branches.append(
            through.objects.order_by().values_list("discrepancy_id", f"{side}__source_id")
        )
    if not branches:
        return []
    sources: dict[int, set] = defaultdict(set)
    for discrepancy, source in branches[0].union(*branches[1:], all=True):
        sources[discrepancy].add(source)
    problems = []
    for discrepancy in Discrepancy.objects.filter(pk__in=sources).order_by("slug"):
        problem = discrepancy.scope_problem(sources[discrepancy.pk])
        if problem:
            problems.append(problem)
    return problems
