"""Footnotes for detail pages, and the versions of a fact on which sources differ.

Every fact on a detail page carries a numbered footnote to its report and locator. A page
numbers its footnotes in the order the facts are shown; facts that share a report and a
locator share a number.

A disagreement (a Discrepancy: between reports, or inside one) is reached from any fact
model with a `discrepancies` field (interventions.memberships: a fact may be part of
several). Each app registers its own fact kinds' columns
(interventions.sections), so that this app never names a `ratings` model: one UNION query
fetches every version of every disagreement a page shows.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass, field
from itertools import groupby

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    DateField,
    F,
    IntegerField,
    Model,
    Q,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from .citations import clean, footnote_citation
from .memberships import has_memberships
from .models import (
    Council,
    DateKind,
    DisagreementScope,
    Discrepancy,
    PartialDate,
    ParticipantRole,
    Source,
    partial_date_range,
)
from .sections import site
from .visibility import NOT_PUBLISHED, may_name, public_q


@dataclass
class Note:
    """A numbered note. `source` is None for a report the reader may not see: the note then
    says only that it is not yet published (no title, no link, no locator)."""

    number: int
    source: Source | None
    locator: str
    uses: int = 0
    # A later note to a report an earlier note cited in full: authors, year and title only
    # (the short form of a repeated citation; the full one is in the note before it and in
    # the page's list of sources).
    short: bool = False

    @property
    def anchor(self) -> str:
        return f"fn-{self.number}"

    @property
    def first_ref(self) -> str:
        return f"fnref-{self.number}-1"

    @property
    def citation(self) -> str:
        """The report and the place in it, as one citation to copy (Harvard style)."""
        full = footnote_citation(self.source, self.locator)
        if not self.short:
            return full
        title = clean(self.source.title)
        end = full.find(title)
        if end < 0:
            return full
        text = full[: end + len(title)].rstrip(".")
        locator = clean(self.locator)
        text = f"{text}, {locator}" if locator else text
        return text if text.endswith((".", "?", "!")) else f"{text}."

    @property
    def citation_html(self) -> SafeString:
        """The citation, its report's title linked to the report's page in Casebook."""
        text = escape(self.citation)
        title = escape(clean(self.source.title))
        link = format_html('<a href="{}">{}</a>', self.source.get_absolute_url(), title)
        if title in text:
            return mark_safe(text.replace(title, link, 1))  # both escaped above
        return format_html("{} {}", mark_safe(text), link)

    @property
    def locator_sentence(self) -> str:
        """The locator ending with one full stop."""
        return self.locator if self.locator.endswith((".", "?", "!")) else f"{self.locator}."


class Footnotes:
    """The numbered notes of one page, in the order the page first cites them."""

    def __init__(self, public: bool = True):
        self.public = public
        self._by_key: dict[tuple[int | None, str], Note] = {}
        self.notes: list[Note] = []
        self._cited: set[int] = set()

    def cite(self, fact) -> tuple[Note, str]:
        """The note for a fact (anything with .source and .locator) and an id for this use."""
        if may_name(fact.source, self.public):
            source, locator = fact.source, fact.locator
        else:
            source, locator = None, ""  # a draft report: one shared "not yet published" note
        key = (source.pk if source else None, locator)
        note = self._by_key.get(key)
        if note is None:
            short = source is not None and source.pk in self._cited
            note = Note(number=len(self.notes) + 1, source=source, locator=locator, short=short)
            self._by_key[key] = note
            self.notes.append(note)
            if source is not None:
                self._cited.add(source.pk)
        note.uses += 1
        return note, f"fnref-{note.number}-{note.uses}"

    def __iter__(self):
        return iter(self.notes)

    def __len__(self):
        return len(self.notes)

    @property
    def sources(self) -> list[Source]:
        """Each report cited, once, in order of first citation."""
        seen: dict[int, Source] = {}
        for note in self.notes:
            if note.source is not None:
                seen.setdefault(note.source.pk, note.source)
        return list(seen.values())


# Disagreements between sources ---------------------------------------------------------


@dataclass
class Version:
    """One version of a disputed fact, as one report states it."""

    model: str
    pk: int
    what: str
    text: str
    source: Source
    locator: str
    url: str = ""


@dataclass
class Disagreement:
    discrepancy: Discrepancy
    versions: list[Version] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"differ-{self.discrepancy.slug}"

    @property
    def source_count(self) -> int:
        return len({version.source.pk for version in self.versions})

    @property
    def within(self) -> bool:
        return self.discrepancy.scope == DisagreementScope.WITHIN

    @property
    def label(self) -> str:
        """ "Sources differ", or "The report prints two versions" inside one report."""
        return self.discrepancy.flag


def _text(value) -> Cast:
    return Cast(Value(value), CharField())


# For each fact model: how to describe one version in a few common columns, so that every
# branch of the UNION has the same shape: head (what the fact is), a and b (what it says),
# who (a body's name), two partial dates, and the slug and anchor of the page that shows it.
_NO_DATES = {"d1": None, "p1": None, "d2": None, "p2": None}
_PART = {"page": "intervention__slug", "anchor": "position", "who": None}
OWN_COLUMNS: dict[str, dict] = {
    "interventions.intervention": {
        "what": "Intervention",
        "head": "title",
        "a": None,
        "b": None,
        "who": None,
        "d1": "start_date",
        "p1": "start_date_precision",
        "d2": "end_date",
        "p2": "end_date_precision",
        "page": "slug",
        "anchor": None,
    },
    "interventions.participant": {
        "what": "Participant",
        "head": "person_name",
        "a": "post",
        "b": "role",
        **_NO_DATES,
        **_PART,
        "who": "council__name",
        "who2": "organisation__name",
        "who_relation": "council",
    },
    "interventions.phase": {
        "what": "Phase",
        "head": "name",
        "a": "led_by",
        "b": None,
        "d1": "start_date",
        "p1": "start_date_precision",
        "d2": "end_date",
        "p2": "end_date_precision",
        **_PART,
    },
    "interventions.workstream": {
        "what": "Workstream",
        "head": "name",
        "a": "lead",
        "b": None,
        **_NO_DATES,
        **_PART,
    },
    "interventions.lesson": {
        "what": "Lesson",
        "head": "text",
        "a": None,
        "b": None,
        **_NO_DATES,
        **_PART,
    },
    "interventions.milestone": {
        "what": "Milestone",
        "head": "description",
        "a": None,
        "b": None,
        "d1": "date",
        "p1": "date_precision",
        "d2": "end_date",
        "p2": "end_date_precision",
        **_PART,
    },
    # Bodies and people can be versions too: a name or a title printed two ways.
    "interventions.council": {
        "what": "Council",
        "head": "name",
        "a": "also_known_as",
        "b": None,
        "who": None,
        **_NO_DATES,
        "page": "slug",
        "anchor": None,
    },
    "interventions.organisation": {
        "what": "Organisation",
        "head": "name",
        "a": "abbreviation",
        "b": None,
        "who": None,
        **_NO_DATES,
        "page": "slug",
        "anchor": None,
    },
    "interventions.person": {
        "what": "Person",
        "head": "name",
        "a": "variants",
        "b": None,
        "who": None,
        **_NO_DATES,
        "page": "slug",
        "anchor": None,
    },
    "interventions.post": {
        "what": "Post",
        "head": "title",
        "a": "person__name",
        "b": None,
        "d1": "start_date",
        "p1": "start_date_precision",
        "d2": "end_date",
        "p2": "end_date_precision",
        "who": "council__name",
        "who2": "organisation__name",
        "who_relation": "council",
        "page": "person__slug",
        "anchor": "position",
    },
}

OWN_PAGE_URLS = {
    "interventions.intervention": ("interventions:intervention-detail", ""),
    "interventions.participant": ("interventions:intervention-detail", "participant-"),
    "interventions.phase": ("interventions:intervention-detail", "phase-"),
    "interventions.workstream": ("interventions:intervention-detail", "workstream-"),
    "interventions.lesson": ("interventions:intervention-detail", "lesson-"),
    "interventions.milestone": ("interventions:intervention-detail", "milestone-"),
    "interventions.council": ("interventions:council-detail", ""),
    "interventions.organisation": ("interventions:organisation-detail", ""),
    "interventions.person": ("interventions:person-detail", ""),
    "interventions.post": ("interventions:person-detail", "post-"),
}


def fact_models() -> list[type[Model]]:
    """Every installed model whose rows can belong to a disagreement, found by its field."""
    columns = site.footnote_columns()
    return [
        model
        for model in apps.get_models()
        if has_memberships(model) and model._meta.label_lower in columns
    ]


def _branch(model, ids, public: bool = True):
    spec = site.footnote_columns()[model._meta.label_lower]

    def text(name):
        path = spec.get(name)
        return _text("") if path is None else Cast(F(path), CharField())

    def date(name):
        path = spec.get(name)
        return Cast(Value(None), DateField()) if path is None else F(path)

    def date_parts(name) -> dict:
        """A date's parts as stored (interventions.models.common.PartialDate), so that a
        version shows "21 February" or "16 April [2014]" as printed, not its sortable day."""
        path = spec.get(name)
        kinds = {"year": IntegerField, "month": IntegerField, "day": IntegerField}
        kinds |= {"year_inferred": BooleanField, "kind": CharField}
        try:
            has_parts = path is not None and bool(model._meta.get_field(f"{path}_year"))
        except FieldDoesNotExist:
            has_parts = False
        return {
            f"v_{name}_{part}": F(f"{path}_{part}") if has_parts else Cast(Value(None), kind())
            for part, kind in kinds.items()
        }

    who = text("who")
    if spec.get("who2"):
        who = Coalesce(Cast(F(spec["who"]), CharField()), Cast(F(spec["who2"]), CharField()))
    if public and spec.get("who_relation"):
        # A participant's council may be a draft (interventions.visibility): not named.
        relation = spec["who_relation"]
        who = Case(
            When(
                Q(**{f"{relation}__isnull": False}) & ~public_q(Council, relation),
                then=Value(NOT_PUBLISHED),
            ),
            default=who,
            output_field=CharField(),
        )
    # One row per membership: the alias is filtered on, so its join is the one read.
    return (
        model.objects.annotate(
            v_discrepancy=F("discrepancies"),
            d_slug=F("discrepancies__slug"),
            d_title=F("discrepancies__title"),
            d_scope=F("discrepancies__scope"),
            d_note=F("discrepancies__note"),
        )
        .filter(v_discrepancy__in=ids)
        .order_by()
        .values(
            "v_discrepancy",
            "d_slug",
            "d_title",
            "d_scope",
            "d_note",
            v_model=_text(model._meta.label_lower),
            v_pk=F("pk"),
            v_locator=F("locator"),
            v_head=text("head"),
            v_a=text("a"),
            v_b=text("b"),
            v_who=who,
            v_d1=date("d1"),
            v_p1=text("p1"),
            v_d2=date("d2"),
            v_p2=text("p2"),
            **date_parts("d1"),
            **date_parts("d2"),
            v_page=text("page"),
            v_anchor=text("anchor"),
            s_pk=F("source_id"),
            s_slug=F("source__slug"),
            s_title=F("source__title"),
            s_publisher=F("source__publisher"),
            s_date=F("source__date"),
            s_precision=F("source__date_precision"),
            s_printed=F("source__date_as_printed"),
            s_kind=F("source__kind"),
            s_authors=F("source__authors"),
            s_prepared_for=F("source__prepared_for"),
            s_pages=F("source__pages"),
        )
    )


def _as_date(value):
    if value is None or isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value)[:10])


def _describe(row: dict) -> str:
    model = row["v_model"]
    kind = site.fact(model)
    if not model.startswith("interventions.") and kind is not None and kind.describe:
        return kind.describe(row)  # registered by the app that owns the model
    head, a, b, who = (row[k] or "" for k in ("v_head", "v_a", "v_b", "v_who"))
    start, end = _parts(row, "d1"), _parts(row, "d2")
    if start.known and end.known:
        dates = partial_date_range(start, end)
    else:  # one date (a milestone's day, a post taken up): as printed, kind in front
        dates = start.display() or (f"until {end.display()}" if end.known else "")
    if model == "interventions.intervention":
        return f"{head}: {dates}" if dates else head
    if model in ("interventions.phase", "interventions.milestone"):
        text = f"{dates}: {head}" if dates else head
        return f"{text} (led by {a})" if a else text
    if model == "interventions.participant":
        name = ", ".join(part for part in (head, a, who) if part)
        return f"{name}: {ParticipantRole(b).label if b in ParticipantRole.values else b}"
    if model == "interventions.post":
        text = ", ".join(part for part in (head, who) if part)
        text = f"{text} ({a})" if a else text
        if start.known and not end.known:
            dates = f"from {dates}"  # taken up then
        return f"{text}: {dates}" if dates else text
    if model in ("interventions.person", "interventions.council", "interventions.organisation"):
        others = "; ".join(line.strip() for line in a.splitlines() if line.strip())
        return f"{head} (also printed: {others})" if others else head
    return f"{head} ({a})" if a else head


def _parts(row: dict, name: str) -> PartialDate:
    """One of a version's dates from its parts; from its sortable day and precision for a
    kind whose dates have no parts."""
    year, month, day = (row.get(f"v_{name}_{part}") for part in ("year", "month", "day"))
    if year is None and month is None and day is None:
        return PartialDate.from_date(_as_date(row[f"v_{name}"]), row[f"v_p{name[1]}"] or "")
    return PartialDate(
        year,
        month,
        day,
        bool(row.get(f"v_{name}_year_inferred")),
        row.get(f"v_{name}_kind") or DateKind.ACTUAL,
    )


def _source(row: dict) -> Source:
    return Source(
        pk=row["s_pk"],
        slug=row["s_slug"],
        title=row["s_title"],
        publisher=row["s_publisher"],
        date=_as_date(row["s_date"]),
        date_precision=row["s_precision"],
        date_as_printed=row["s_printed"],
        kind=row["s_kind"],
        authors=row["s_authors"],
        prepared_for=row["s_prepared_for"],
        pages=row["s_pages"],
    )


# Building ten querysets of expressions costs far more than running the query, so the SQL
# is compiled once per process for each size of id list (rounded up to a power of two)
# and run with the page's ids put in place of stand-ins.
_STAND_IN = -(10**12)


@functools.lru_cache(maxsize=64)
def _versions_sql(size: int, public: bool, vendor: str) -> tuple[str, tuple, dict[int, int]]:
    stand_ins = [_STAND_IN - i for i in range(size)]
    branches = []
    for model in fact_models():
        branch = _branch(model, stand_ins, public)
        if public:
            branch = branch.published()
        branches.append(branch)
    query = branches[0].union(*branches[1:], all=True)
    sql, params = query.query.sql_with_params()
    slots = {index: _STAND_IN - value for index, value in enumerate(params) if value in stand_ins}
    return sql, tuple(params), slots


def _version_rows(ids: list[int], public: bool) -> list[dict]:
    size = 1 << (len(ids) - 1).bit_length()
    padded = ids + [ids[-1]] * (size - len(ids))  # repeats change nothing in an IN list
    sql, params, slots = _versions_sql(size, public, connection.vendor)
    params = list(params)
    for index, position in slots.items():
        params[index] = padded[position]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def disagreements(discrepancies, *, public: bool = True) -> list[Disagreement]:
    """Every version of each disagreement the page's facts belong to, with its own source.

    `discrepancies`: Discrepancy rows, or the `memberships.Flag`s of the page's facts.
    Versions may live on other pages; with `public`, only versions the public may see.
    One UNION query over the fact models; none when the page has no disagreement.
    """
    unique = {d.pk for d in discrepancies if d is not None}
    if not unique:
        return []
    rows = _version_rows(sorted(unique), public)
    columns = site.footnote_columns()
    order = {label: i for i, label in enumerate(columns)}
    rows.sort(key=lambda r: (r["v_discrepancy"], order[r["v_model"]], r["v_pk"]))
    sources: dict[int, Source] = {}
    result = []
    rows_by_id = {}
    for row in rows:
        rows_by_id.setdefault(row["v_discrepancy"], row)
    for discrepancy_id, group in groupby(rows, key=lambda r: r["v_discrepancy"]):
        versions = []
        for row in group:
            name, prefix = site.fact(row["v_model"]).page_url
            url = ""  # a fact whose page is not the kind's own (a figure about a person): unlinked
            if row["v_page"]:
                url = reverse(name, kwargs={"slug": row["v_page"]})
                if prefix:
                    url += f"#{prefix}{row['v_anchor']}"
            source = sources.setdefault(row["s_pk"], _source(row))
            versions.append(
                Version(
                    model=row["v_model"],
                    pk=row["v_pk"],
                    what=columns[row["v_model"]]["what"],
                    text=_describe(row),
                    source=source,
                    locator=row["v_locator"],
                    url=url,
                )
            )
        first = rows_by_id[discrepancy_id]
        discrepancy = Discrepancy(
            pk=discrepancy_id,
            slug=first["d_slug"],
            title=first["d_title"],
            scope=first["d_scope"],
            note=first["d_note"],
        )
        result.append(Disagreement(discrepancy=discrepancy, versions=versions))
    result.sort(key=lambda d: d.discrepancy.title)
    return result
