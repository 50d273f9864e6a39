"""The one rule for naming a record in public: a draft is invisible everywhere.

A record the public may not see (an unpublished council, source, case study or inspection,
or anything that belongs to one) is never named on a public page, format or file: not its
name, slug, title or address, whether it is the page itself or reached through a relation.

Most relations are kept safe by the rows' own public rule (`PublishedQuerySet`): a
spending line is public only when its council, source and case study are, so a public
line never leads to a draft through those. The relations below are not part of any row's
rule, because the fact stands without them; through them a public row can point at a
draft, and every page, format and file that renders one asks `may_name()` first:

- a council's successor and predecessors, and the source that first names it;
- an organisation's owning councils (the councils a board belongs to) and its source;
- a participant's council and person;
- the source that first names a person, and the council of a post they held;
- a spending line's payer and payee councils.

The fact stays; the unpublished party is left out, or shown as NOT_PUBLISHED, with no name
and no link. `tests/test_drafts_everywhere.py` checks that every relation from a public
model to a model with a draft state is either in that model's rule or in HIDDEN_RELATIONS.

Signed-in staff (`public=False`) still see drafts, as in their previews.
"""

from __future__ import annotations

from django.db.models import Q

from .models.common import PublishedQuerySet

NOT_PUBLISHED = "Not yet published"
UNNAMED_PARTY = "a party not yet published"  # in a sentence: "Paid by a party not yet published"

# (model label, field): relations a public row may have to a record the public may not see.
HIDDEN_RELATIONS = {
    ("interventions.council", "source"),
    ("interventions.council", "successor"),
    ("interventions.organisation", "source"),
    ("interventions.ownership", "council"),
    ("interventions.participant", "council"),
    ("interventions.participant", "person"),
    ("interventions.person", "source"),
    ("interventions.post", "council"),
}  # other apps add theirs from their AppConfig.ready() (ratings.sections)


def rule(model) -> type[PublishedQuerySet] | None:
    """The public rule of a model, or None for models with no draft state (organisations)."""
    qs_class = getattr(model._default_manager, "_queryset_class", None)
    if qs_class is not None and issubclass(qs_class, PublishedQuerySet) and qs_class.flag_paths():
        return qs_class
    return None


def has_drafts(model) -> bool:
    return rule(model) is not None


def _follow(record, path: str):
    for part in path.split("__"):
        record = getattr(record, part, None)
        if record is None:
            return None
    return record


def is_public(record) -> bool:
    """Whether the public may see this record, read from what was fetched with it.

    Reads the stored flag where the model keeps one, else the flags the rule names
    (a council's or source's own `published`; a case study's, its council's and its
    source's): fetch those with the record (select_related) so that asking costs no query.
    """
    qs_class = rule(type(record))
    if qs_class is None:
        return True
    if qs_class.stored_flag:
        return bool(record.public)
    for path in qs_class.public_flags:
        if _follow(record, path) is not True:
            return False
    for parent, flags in qs_class.optional_parents:
        if getattr(record, f"{parent}_id", None) is not None and not all(
            _follow(record, flag) is True for flag in flags
        ):
            return False
    return True


def may_name(record, public: bool = True) -> bool:
    """Whether a page may name this related record: it exists and the reader may see it."""
    return record is not None and (not public or is_public(record))


def named(record, public: bool = True):
    """The record if it may be named, else None (for lists and optional mentions)."""
    return record if may_name(record, public) else None


def withheld(record, public: bool = True) -> bool:
    """A related record exists but may not be named: show NOT_PUBLISHED in its place."""
    return record is not None and not may_name(record, public)


def hidden_relation(model, field_name: str) -> bool:
    """Whether a public row of `model` may point through this field at a draft."""
    return (model._meta.label_lower, field_name) in HIDDEN_RELATIONS


def named_through(model, field_name: str, record, public: bool = True):
    """The record a public row of `model` points at through a field, or None if it may not
    be named. Relations in the row's own rule need no look (the row is public, so is it)."""
    if not public or not hidden_relation(model, field_name):
        return record
    return named(record, public)


def public_q(model, prefix: str = "") -> Q:
    """The rule as a condition, for a record reached through `prefix` ("council")."""
    qs_class = rule(model)
    if qs_class is None:
        return Q()
    if qs_class.stored_flag:
        return Q(**{f"{prefix}__public" if prefix else "public": True})
    condition = qs_class.public_condition()
    if not prefix:
        return condition
    return _prefixed(condition, prefix)


def _prefixed(condition: Q, prefix: str) -> Q:
    children = [
        _prefixed(child, prefix) if isinstance(child, Q) else (f"{prefix}__{child[0]}", child[1])
        for child in condition.children
    ]
    result = Q(*children, _connector=condition.connector, _negated=condition.negated)
    return result


def name_or_placeholder(record, public: bool = True) -> str:
    """str() of a related record, NOT_PUBLISHED if it may not be named, "" if there is none."""
    if record is None:
        return ""
    return str(record) if may_name(record, public) else NOT_PUBLISHED
