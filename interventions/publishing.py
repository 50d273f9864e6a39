"""The publishing service: keeps each large fact table's `public` column true.

A fact is public when it is published and so is every record it belongs to (its council,
its source, its case study and that case study's council and source; for a judgement, its
inspection). Reading that through joins on every list made each count and sort over a
million spending lines pay for three or four joins, so the tables that grow
(`stored_flag = True` on their queryset) keep the answer on the row, and this module is
the one place that writes it:

- when a fact is saved, its own flag is recomputed;
- when a record that facts belong to is saved and a field the rule reads has changed
  (its `published` flag, or its own council or source), the flags of every fact that
  reaches it are recomputed, in two UPDATE statements per fact table;
- bulk loaders (`seed`, `generate_synthetic`) call `refresh_all()` when they finish.

The exact counts of the large lists (`interventions.summaries`) follow in the same
transaction: a fact saved or deleted recounts its council's rows, a refresh that moves
flags recounts the councils of the rows it moved, and `refresh_all()` rebuilds them all.

The search index (`interventions.searchindex`) follows the same rule: every save and delete
of a searchable record rewrites its row, and `refresh_all()` recomputes its published flags.

The column defaults to hidden, so a row written behind the service's back fails closed.
`python manage.py check_public` compares every stored flag with the rule.
"""

from __future__ import annotations

from collections import defaultdict
from functools import cache

from django.apps import apps
from django.db.models.signals import post_save, pre_save

from . import datacache, summaries
from .models.common import PublishedQuerySet


def queryset_class(model) -> type[PublishedQuerySet] | None:
    qs_class = getattr(model._default_manager, "_queryset_class", None)
    if qs_class is not None and issubclass(qs_class, PublishedQuerySet):
        return qs_class
    return None


@cache
def public_models() -> tuple:
    """The models that store their public flag."""
    return tuple(
        model
        for model in apps.get_models()
        if (qs_class := queryset_class(model)) is not None and qs_class.stored_flag
    )


@cache
def dependants() -> dict:
    """For each model the rule reads: the fields it reads there, and which facts reach it.

    {Council: [("published", SpendingLine, "council"),
               ("published", SpendingLine, "intervention__subject_council"), ...], ...}
    """
    found = defaultdict(set)
    for model in public_models():
        for path in queryset_class(model).flag_paths():
            parts = path.split("__")
            current = model
            for depth, part in enumerate(parts):
                if depth > 0:
                    found[current].add((part, model, "__".join(parts[:depth])))
                field = current._meta.get_field(part)
                if field.is_relation:
                    current = field.related_model
    return {
        owner: sorted(rules, key=lambda r: (r[1]._meta.label, r[2], r[0]))
        for owner, rules in found.items()
    }


def disagreeing(model, rows=None):
    """The rows the rule shows but the flag hides, and the rows it hides but the flag shows."""
    rows = model._default_manager.all() if rows is None else rows
    condition = queryset_class(model).public_condition()
    return rows.filter(public=False).filter(condition), rows.filter(public=True).exclude(condition)


def refresh(model, rows=None, *, recount: bool = True) -> int:
    """Recompute the public flag of `rows` (default: all) of `model`; return how many moved.

    If any moved, the list's counts (interventions.summaries) are recounted for the councils
    of `rows` (all of them when `rows` is None), unless the caller recounts itself."""
    to_show, to_hide = disagreeing(model, rows)
    moved = to_show.update(public=True) + to_hide.update(public=False)
    if moved:
        datacache.bump()
        summary = summaries.for_model(model)
        if summary is not None and recount:
            if rows is None:
                summaries.rebuild(summary)
            else:
                summaries.rebuild(summary, summaries.councils_of(summary, rows))
    return moved


def refresh_all() -> int:
    """After a bulk load: every stored flag, the search index's flags, and every list's
    counts rebuilt wholesale (a bulk load writes rows behind the signals' back)."""
    from . import searchindex

    moved = sum(refresh(model, recount=False) for model in public_models())
    searchindex.refresh_published()
    summaries.rebuild_all()
    datacache.bump()
    return moved


def mismatches(model) -> int:
    """Rows whose stored flag disagrees with the rule (0 when all is well)."""
    to_show, to_hide = disagreeing(model)
    return to_show.count() + to_hide.count()


def watched_fields(owner) -> list[str]:
    fields = {part for part, _, _ in dependants().get(owner, [])}
    return sorted(owner._meta.get_field(name).attname for name in fields)


def remember_before(sender, instance, raw=False, **kwargs):
    """Before a record that facts belong to is saved, note what the rule reads on it."""
    if instance.pk is None:
        instance._public_before = None
        return
    instance._public_before = (
        sender._default_manager.filter(pk=instance.pk).values(*watched_fields(sender)).first()
    )


def follow_owner(sender, instance, created=False, raw=False, **kwargs):
    """After it is saved, recompute the facts that reach it, if what the rule reads changed."""
    before = getattr(instance, "_public_before", None)
    if created or before is None:
        return  # nothing can belong to a record that did not exist a moment ago
    changed = {name for name in before if before[name] != getattr(instance, name)}
    for part, model, prefix in dependants().get(sender, []):
        if sender._meta.get_field(part).attname in changed:
            refresh(model, model._default_manager.filter(**{prefix: instance.pk}))


def follow_fact(sender, instance, raw=False, **kwargs):
    """After a fact is saved, recompute its own flag, then its list's counts."""
    refresh(sender, sender._default_manager.filter(pk=instance.pk), recount=False)
    instance.public = (
        sender._default_manager.filter(pk=instance.pk).values_list("public", flat=True).first()
    )
    summary = summaries.for_model(sender)
    if summary is not None:
        summaries.fact_saved(summary, instance)


def connect() -> None:
    for owner in dependants():
        pre_save.connect(
            remember_before, sender=owner, dispatch_uid=f"public-before-{owner._meta.label}"
        )
        post_save.connect(
            follow_owner, sender=owner, dispatch_uid=f"public-owner-{owner._meta.label}"
        )
    for model in public_models():
        post_save.connect(
            follow_fact, sender=model, dispatch_uid=f"public-fact-{model._meta.label}"
        )
