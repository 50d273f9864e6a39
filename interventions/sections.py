"""Pages built from sections, each section and each kind of fact owned by the app that has it.

Modelled on Django's admin site: this module keeps a registry (`site`) that each app fills
from its own `AppConfig.ready()`. `interventions` registers its case-study sections and its
own fact kinds (interventions.apps); `ratings` registers its inspections, money and statistics
sections and its fact kinds (ratings.apps). This app never names a `ratings` model: whatever
it shows of one comes from what `ratings` registered here.

A section renders from a `State`: the live record, or the record as it stood at a moment
(django-simple-history's `as_of`), so the detail page and a version page share one loader and
one template per section.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.core import checks
from django.db.models import Exists, F, Func, IntegerField, Model, OuterRef, Subquery

from .memberships import with_disagreements

# State ---------------------------------------------------------------------------------


@dataclass
class State:
    """What a section reads: the live record (`moment` None) or the record at `moment`.

    `public`: only what the public may see (published rows, reports it may name)."""

    moment: datetime.datetime | None = None
    public: bool = True
    limit: int = 100  # rows a table lists at most, with a link to the full list
    options: dict = field(default_factory=dict)  # what the reader chose (`?facts=`, `?page=`)

    @property
    def live(self) -> bool:
        return self.moment is None

    def rows(self, obj, relation: str, related=(), order=("position",)) -> list:
        """The rows of a reverse relation of `obj`, as they stand now or stood at `moment`.

        Live: the relation's prefetched rows (the page's `for_detail()` fetched them), no
        query. As of a moment: one query on the part's history, rows as model instances."""
        if self.live:
            return list(getattr(obj, relation).all())
        remote = obj._meta.get_field(relation)
        model = remote.related_model
        records = self.as_of(model).filter(**{remote.field.attname: obj.pk}).order_by(*order)
        return self.instances(self.shown(model, records), related)

    def as_of(self, model):
        """The historical record of each row of `model` as it stood at `moment` (one query
        when run); rows deleted by then are left out. As simple-history's `as_of`, but
        records rather than instances, so that `select_related` reaches the instances."""
        return (
            model.history.filter(history_date__lte=self.moment)
            .latest_of_each()
            .exclude(history_type="-")
        )

    def listed(self, obj, relation: str, live, related=(), order=(), limit: int | None = None):
        """At most `limit` rows of a reverse relation of `obj`, and whether there are more.

        Live: the first rows of `live` (a queryset the page has already narrowed to what
        the reader may see), in its order. As of a moment: the same relation's rows as they
        stood, in `order` (which should match `live`'s), from the part's history: one query
        either way, no count."""
        limit = limit or self.limit
        if self.live:
            rows = list(live[: limit + 1])
        else:
            remote = obj._meta.get_field(relation)
            model = remote.related_model
            records = self.as_of(model).filter(**{remote.field.attname: obj.pk})
            records = self.shown(model, records).order_by(*order)
            rows = self.instances(records, related, limit=limit + 1)
        return rows[:limit], len(rows) > limit

    def listed_of(
        self, obj, relation: str, live, every, related=(), order=(), limit: int | None = None
    ):
        """As `listed`, with how many rows there are in all (`every`: the relation as the
        reader may see it, unordered): counted in the same query, live; None as of a
        moment (a version page says only that there are more)."""
        limit = limit or self.limit
        if not self.live:
            rows, more = self.listed(obj, relation, live, related, order, limit)
            return rows, more, None
        rows = list(live.annotate(listed_total=total_of(every))[: limit + 1])
        total = rows[0].listed_total if rows else 0
        return rows[:limit], len(rows) > limit, total

    @staticmethod
    def instances(records, related=(), limit: int | None = None) -> list:
        """Model instances from historical records, each with its related rows (fetched
        with the records, no query per row); at most `limit` of them."""
        firsts = list(dict.fromkeys(path.split("__")[0] for path in related))
        result = []
        if hasattr(records, "query") and not records.query.is_sliced:
            # Each version's disagreements as it recorded them, in the same query.
            records = with_disagreements(records.select_related(*related))
        if limit is not None:
            records = records[:limit]
        for record in records:
            # Not simple-history's `record.instance`, which fetches each field left out of
            # the history (the derived `public` flag) from the live row: one query a row.
            model = record.instance_type
            values = {
                f.attname: getattr(record, f.attname)
                for f in model._meta.concrete_fields
                if f.attname in record.__dict__
            }
            if hasattr(record, "public_now") and "public" not in values:
                stored = any(f.attname == "public" for f in model._meta.concrete_fields)
                if stored:
                    values["public"] = record.public_now  # see shown()
            instance = model(**values)
            instance._state.adding = False
            instance._state.db = record._state.db
            for name in firsts:
                setattr(instance, name, getattr(record, name))
            if "disagreement_keys" in record.__dict__:
                instance.disagreement_keys = record.disagreement_keys
            result.append(instance)
        return result

    def shown(self, model, records):
        """For the public, rows the public may see now and that were published then.

        Whether the public may see a row follows its parents and its report (a row's own
        derived `public` flag is not kept in its history): it is read from the row as it is
        now, in the same query, so that no page built as of a moment names a record the
        reader may not see today, nor a fact citing a draft report."""
        manager = model._default_manager
        if hasattr(manager, "published"):
            visible = manager.published().filter(pk=OuterRef("id"))
            records = records.annotate(public_now=Exists(visible))
        if not self.public:
            return records
        if hasattr(manager, "published"):
            records = records.filter(public_now=True)
        if "published" in {f.name for f in model.history.model._meta.fields}:
            records = records.filter(published=True)
        return records


def total_of(queryset) -> Subquery:
    """How many rows `queryset` has, as a subquery that does not depend on the outer row (so
    the database counts once, in the query that lists the first few)."""
    counted = queryset.order_by().annotate(_rows=Func(F("pk"), function="COUNT"))
    return Subquery(counted.values("_rows")[:1], output_field=IntegerField())


# Sections ------------------------------------------------------------------------------


@dataclass
class Section:
    """One section of a detail page.

    `load(obj, state)` returns the section's context: the same names the page's template
    (and its JSON) read. `template` is included with the page's context, footnotes and all.
    """

    key: str
    heading: str
    template: str
    pages: tuple[str, ...]  # model labels of the pages it is on, e.g. "interventions.intervention"
    load: Callable[[Model, State], dict]
    order: int = 100
    shown: Callable[[dict], bool] = field(default=lambda context: True)
    # The cited facts the section shows, for the page's list of sources and disagreements,
    # in the order `facts_order` (default: `order`) among the page's sections.
    facts: Callable[[dict], list] = field(default=lambda context: [])
    facts_order: int | None = None


@dataclass
class Rendered:
    """A section loaded for one page: what the template includes, with its context."""

    section: Section
    context: dict

    @property
    def key(self) -> str:
        return self.section.key

    @property
    def heading(self) -> str:
        return self.section.heading

    @property
    def template(self) -> str:
        return self.section.template

    @property
    def shown(self) -> bool:
        return self.section.shown(self.context)


# Fact kinds ----------------------------------------------------------------------------


@dataclass
class FactKind:
    """A kind of cited fact, registered by the app whose model it is.

    - `footnote`: how one version of a disputed fact is described in a few common columns
      (interventions.footnotes), with `page_url` (URL name, anchor prefix) of the page that
      shows it and `describe(row)` the one-line text of a version;
    - `version_parts`: (page model label, reverse relation, heading) for each page whose
      version includes these rows as parts;
    - `source_row`: (reverse relation from Source, heading, related to fetch, order) for the
      source page's list of facts citing a report, and `describe_for_source(fact, public)`.
    """

    label: str
    footnote: dict | None = None
    page_url: tuple[str, str] | None = None
    describe: Callable[[dict], str] | None = None
    version_parts: list[tuple[str, str, str]] = field(default_factory=list)
    source_row: tuple[str, str, tuple[str, ...], int] | None = None
    describe_for_source: Callable | None = None

    @property
    def model(self) -> type[Model]:
        return apps.get_model(self.label)


class AlreadyRegistered(Exception):
    pass


class Registry:
    def __init__(self):
        self._sections: dict[str, Section] = {}
        self._facts: dict[str, FactKind] = {}
        self.counts: list[tuple[int, str, str, str]] = []  # (order, label, model, list URL)
        self._records: list[str] = []

    # Registration -----------------------------------------------------------------------

    def register_section(self, section: Section) -> Section:
        if section.key in self._sections:
            raise AlreadyRegistered(f"A section {section.key!r} is already registered.")
        self._sections[section.key] = section
        return section

    def register_fact(self, kind: FactKind) -> FactKind:
        kind.label = kind.label.lower()
        if kind.label in self._facts:
            raise AlreadyRegistered(f"The fact kind {kind.label!r} is already registered.")
        self._facts[kind.label] = kind
        return kind

    def unregister_fact(self, label: str) -> FactKind:
        return self._facts.pop(label.lower())

    def register_record(self, label: str) -> None:
        """A kind of record with a page of its own, cited by its numbered versions
        (interventions.recording): its parts are the fact kinds naming it in version_parts."""
        if label.lower() not in self._records:
            self._records.append(label.lower())

    def register_count(self, order: int, label: str, model: str, list_url: str = ""):
        """A count on the home page: "<n> <label>", linked to its list."""
        self.counts.append((order, label, model, list_url))

    # Reading ----------------------------------------------------------------------------

    def records(self) -> list[str]:
        return list(self._records)

    def sections(self, page: str) -> list[Section]:
        found = [s for s in self._sections.values() if page in s.pages]
        return sorted(found, key=lambda s: s.order)

    def facts(self) -> list[FactKind]:
        return list(self._facts.values())

    def fact(self, label: str) -> FactKind | None:
        return self._facts.get(label.lower())

    def footnote_columns(self) -> dict[str, dict]:
        return {k.label: k.footnote for k in self._facts.values() if k.footnote}

    def version_parts(self, page: str) -> list[tuple[str, str]]:
        return [
            (relation, heading)
            for kind in self._facts.values()
            for label, relation, heading in kind.version_parts
            if label == page
        ]

    def source_rows(self) -> list[FactKind]:
        rows = [k for k in self._facts.values() if k.source_row]
        return sorted(rows, key=lambda k: k.source_row[3])


site = Registry()


def page_sections(
    obj,
    as_of: datetime.datetime | None = None,
    public: bool = True,
    limit: int = 100,
    options: dict | None = None,
):
    """Every section of `obj`'s page, in order, loaded live or as the record stood at `as_of`.

    The version page and the live page include the same section templates from this."""
    state = State(moment=as_of, public=public, limit=limit, options=options or {})
    sections = site.sections(obj._meta.label_lower)
    return [Rendered(section, section.load(obj, state)) for section in sections]


def section_facts(sections: list[Rendered]):
    """Every fact the sections show, section by section."""
    ordered = sorted(
        sections,
        key=lambda r: r.section.order if r.section.facts_order is None else r.section.facts_order,
    )
    for rendered in ordered:
        yield from rendered.section.facts(rendered.context)


# A fact model nobody registered --------------------------------------------------------


def is_fact_model(model) -> bool:
    """A model that states what a report says: it has a `source` foreign key to Source."""
    if model._meta.abstract or model._meta.proxy or hasattr(model, "instance_type"):
        # history rows are not facts of their own, nor is a proxy of a registered model
        return False
    try:
        source = model._meta.get_field("source")
    except Exception:
        return False
    return bool(
        source.is_relation and source.related_model is apps.get_model("interventions.source")
    )


def check_fact_kinds(app_configs=None, **kwargs) -> list[checks.Error]:
    errors = []
    for model in apps.get_models():
        if app_configs is not None and model._meta.app_config not in app_configs:
            continue
        if is_fact_model(model) and site.fact(model._meta.label_lower) is None:
            errors.append(
                checks.Error(
                    f"{model._meta.label} cites a source but is not registered as a fact kind.",
                    hint=(
                        "Register it from its app's AppConfig.ready() with "
                        "interventions.sections.site.register_fact(FactKind(...))."
                    ),
                    obj=model,
                    id="casebook.E001",
                )
            )
    return errors
