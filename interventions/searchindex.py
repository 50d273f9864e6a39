"""The search index: a registry of document providers and the code that keeps their rows.

Each app registers the kinds of record it owns (`register(...)` from its AppConfig.ready),
so this module names no model of its own: interventions registers councils, case studies,
parts and organisations; ratings registers inspections, judgements, spending and statistics.

`index(obj)` rewrites one record's row, and also the rows of records that belong to it when
its published flag or its name changed (a council unpublished hides its spending lines);
the publishing service's signals call it on every save and delete; `rebuild()` (run by
`manage.py rebuild_search`, and by `manage.py seed`) writes them all again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save, pre_save

from . import datacache
from .searchtext import canonical, fold

WATCHED = ("published", "name", "title")
BATCH = 2000


def never_hidden(obj) -> bool:
    return False


@dataclass(frozen=True)
class Provider:
    kind: str  # the ?kind= value, e.g. "interventions"
    label: str  # shown in the counts, e.g. "Case studies"
    model: type
    title: Callable
    body: Callable[[object], Iterable[str]]
    context: Callable = lambda obj: ""
    figures: Callable[[object], Iterable[Decimal | None]] = lambda obj: ()
    url: Callable | None = None
    related: tuple[str, ...] = ()  # select_related when rebuilding
    names: bool = False  # its titles feed "Did you mean …?"
    order: int = 0
    follows: tuple[str, ...] = field(default=())  # paths to records whose text it shows
    # A row the public may not see although its own rule allows it (it names a draft).
    hidden: Callable[[object], bool] = never_hidden


REGISTRY: dict[str, Provider] = {}  # model label → provider


def register(provider: Provider) -> None:
    provider = Provider(**{**provider.__dict__, "order": len(REGISTRY)})
    REGISTRY[provider.model._meta.label] = provider
    # One receiver of each kind per model, however many providers depend on it.
    for model in {provider.model, *owners_of(provider)}:
        uid = f"search-{model._meta.label}"
        pre_save.connect(remember, sender=model, dispatch_uid=uid)
        post_save.connect(saved, sender=model, dispatch_uid=uid)
    post_delete.connect(
        deleted, sender=provider.model, dispatch_uid=f"search-{provider.model._meta.label}"
    )


def providers() -> list[Provider]:
    return sorted(REGISTRY.values(), key=lambda p: p.order)


def kinds() -> dict[str, Provider]:
    return {p.kind: p for p in providers()}


def public_condition(model) -> Q:
    qs_class = getattr(model._default_manager, "_queryset_class", None)
    return qs_class.public_condition() if hasattr(qs_class, "public_condition") else Q()


def paths_to_owners(provider: Provider) -> list[tuple[str, type]]:
    """(path, model) for every record this provider's rows depend on."""
    qs_class = getattr(provider.model._default_manager, "_queryset_class", None)
    flag_paths = qs_class.flag_paths() if hasattr(qs_class, "flag_paths") else []
    found = []
    for path in [*flag_paths, *(f"{p}__pk" for p in provider.follows)]:
        parts = path.split("__")[:-1]
        current = provider.model
        for depth, part in enumerate(parts):
            current = current._meta.get_field(part).related_model
            found.append(("__".join(parts[: depth + 1]), current))
    return sorted(set(found), key=lambda pair: pair[0])


def owners_of(provider: Provider) -> set[type]:
    return {model for _, model in paths_to_owners(provider)}


def document(provider: Provider, obj, published: bool) -> dict:
    body = [text for text in provider.body(obj) if text]
    title = str(provider.title(obj))[:500]
    figures = [canonical(Decimal(v)) for v in provider.figures(obj) if v is not None]
    url = provider.url(obj) if provider.url else obj.get_absolute_url()
    return {
        "kind": provider.kind,
        "model_label": provider.model._meta.label,
        "object_id": obj.pk,
        "title": title,
        "context": str(provider.context(obj) or "")[:500],
        "body": "\n".join(body),
        "title_terms": fold(title),
        "terms": " ".join([fold(" ".join(body)), *figures]).strip(),
        "url": url[:500],
        "published": published,
        "kind_order": provider.order,
    }


def write(provider: Provider, rows) -> None:
    from .models import SearchDocument

    rows = list(rows.select_related(*provider.related))
    if not rows:
        return
    public = set(
        provider.model._default_manager.filter(pk__in=[r.pk for r in rows])
        .filter(public_condition(provider.model))
        .values_list("pk", flat=True)
    )
    label = provider.model._meta.label
    with transaction.atomic():
        SearchDocument.objects.filter(
            model_label=label, object_id__in=[r.pk for r in rows]
        ).delete()
        SearchDocument.objects.bulk_create(
            SearchDocument(**document(provider, row, row.pk in public and not provider.hidden(row)))
            for row in rows
        )


def reindex(model, rows) -> None:
    provider = REGISTRY.get(model._meta.label)
    if provider is not None:
        write(provider, rows)


def reindex_dependants(owner) -> None:
    for provider in providers():
        for path, model in paths_to_owners(provider):
            if model is type(owner):
                write(provider, provider.model._default_manager.filter(**{path: owner.pk}))


def remember(sender, instance, raw=False, **kwargs):
    fields = [f for f in WATCHED if hasattr(instance, f)]
    instance._search_before = (
        None
        if instance.pk is None
        else sender._default_manager.filter(pk=instance.pk).values(*fields).first()
    )


def saved(sender, instance, created=False, raw=False, **kwargs):
    if raw:
        return
    reindex(sender, sender._default_manager.filter(pk=instance.pk))
    before = getattr(instance, "_search_before", None)
    if before and any(before[f] != getattr(instance, f) for f in before):
        reindex_dependants(instance)


def deleted(sender, instance, **kwargs):
    from .models import SearchDocument

    SearchDocument.objects.filter(model_label=sender._meta.label, object_id=instance.pk).delete()


def refresh_published() -> int:
    """Recompute every row's published flag (after a bulk load that sent no signals)."""
    from .models import SearchDocument

    moved = 0
    for provider in providers():
        label = provider.model._meta.label
        public = provider.model._default_manager.filter(public_condition(provider.model))
        rows = SearchDocument.objects.filter(model_label=label)
        if provider.hidden is not never_hidden:
            # Rows that may name a draft: write them again (a small table, not a fact table).
            for_rows = provider.model._default_manager.all()
            write(provider, for_rows)
            continue
        moved += rows.filter(published=False, object_id__in=public.values("pk")).update(
            published=True
        )
        moved += (
            rows.filter(published=True)
            .exclude(object_id__in=public.values("pk"))
            .update(published=False)
        )
    return moved


def rebuild() -> int:
    """Write every row again; return how many."""
    from .models import SearchDocument

    SearchDocument.objects.all().delete()
    for provider in providers():
        pks = list(provider.model._default_manager.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(pks), BATCH):
            chunk = pks[start : start + BATCH]
            write(provider, provider.model._default_manager.filter(pk__in=chunk))
    datacache.bump()
    return SearchDocument.objects.count()
