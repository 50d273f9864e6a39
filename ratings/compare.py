"""Councils, or interventions, side by side: the data of /compare/ and /outcomes/.

Everything here is fetched in a fixed number of queries, whatever the number of councils or
interventions, and every figure keeps its record so that the page can footnote it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import quote_plus

from django.db.models import Count, F, Prefetch, Q, Window
from django.db.models.functions import RowNumber
from django.urls import get_script_prefix, reverse

from interventions.addresses import is_slug
from interventions.charts import headline_judgements as drawn_judgements
from interventions.charts import inspection_chart
from interventions.models import Intervention, InterventionKind, TargetMet
from interventions.placement import Known, inspection_placement
from interventions.views.details.base import shown
from interventions.views.details.serialise import headline_judgements

from .models import Framework, Inspection, Judgement, SpendingKind, SpendingLine, Statistic

COUNCILS_MIN, COUNCILS_MAX = 2, 6
INTERVENTIONS_MAX = 12
POPULATION = "Total population"
CHILD_POPULATION = "Population aged 0-17"
COST_KINDS = (SpendingKind.CONTRACT, SpendingKind.SPEND)  # SpendingLine.is_cost


def printable(text: str, most: int = 40) -> str:
    """Text from a query string, fit to repeat in a message: no control characters, short."""
    shown = "".join(c if c.isprintable() else "\N{REPLACEMENT CHARACTER}" for c in text)
    return shown if len(shown) <= most else shown[: most - 1] + "…"


def choose(slugs: list[str], queryset, noun: str, most: int, least: int = 2):
    """The records named by `slugs`, in the order given, and what was wrong with the list.

    A slug named twice is counted once (and said so); an unknown slug, or a draft for the
    public (the queryset is already only what the reader may see), is reported by name.
    """
    problems, wanted = [], []
    for slug in (s.strip() for s in slugs):
        if not slug:
            continue
        if slug in wanted:
            problems.append(f'"{slug}" is chosen more than once; it is compared once.')
            continue
        wanted.append(slug)
    if len(wanted) > most:
        problems.append(
            f"Choose at most {most} {noun}s to compare; {len(wanted)} were chosen, so only the "
            f"first {most} are shown."
        )
        wanted = wanted[:most]
    named = [slug for slug in wanted if is_slug(slug)]  # only those a record can have
    found = {record.slug: record for record in queryset.filter(slug__in=named)} if named else {}
    for slug in wanted:
        if slug not in named:
            problems.append(
                f"A {noun} is named by the last part of its address: letters, digits, hyphens "
                f'and underscores only, not "{printable(slug)}".'
            )
        elif slug not in found:
            problems.append(f'Casebook has no published {noun} with the address "{slug}".')
    records = [found[slug] for slug in wanted if slug in found]
    if len(records) < least:
        problems.append(
            f"Choose at least {least} {noun}s to compare "
            f"({len(records)} {'was' if len(records) == 1 else 'were'} found)."
        )
    return records, problems


def grade_text(inspection) -> str:
    """The overall grade, or each section's overall result where there is no single grade."""
    if inspection.overall_grade:
        return inspection.overall_grade
    parts = [f"{j.section or j.area}: {j.grade}" for j in drawn_judgements(inspection) if j.grade]
    return "; ".join(parts) or "No single overall grade"


def service_name(inspection) -> str:
    return inspection.get_service_scope_display() if inspection.service_scope else "Not stated"


def frameworks_warning(inspections, councils) -> str:
    """A sentence where the councils' grades come from more than one framework."""
    by_council = {c.pk: [] for c in councils}
    for inspection in inspections:
        label = Framework(inspection.framework).label
        if label not in by_council[inspection.council_id]:
            by_council[inspection.council_id].append(label)
    used = {label for labels in by_council.values() for label in labels}
    if len(used) < 2:
        return ""
    listed = "; ".join(
        f"{c.name}: {', '.join(by_council[c.pk]) or 'no inspections'}" for c in councils
    )
    return (
        "This comparison crosses inspection frameworks. Each framework grades on its own scale "
        "(star ratings, numbered grades, or Ofsted's words), so a grade under one cannot be "
        f"read as equal to a grade under another. {listed}."
    )


def per_head(line, population) -> Decimal | None:
    if population is None or not population.value or line.kind == SpendingKind.PER_HEAD:
        return None
    return (line.amount_gbp / population.value).quantize(Decimal("0.01"))


# The window of a comparison: what each section shows of each council, the rest counted and
# linked to the lists that hold every row (so the page stays small however much is recorded).
GRADE_YEARS = 8  # the latest years in which any of the councils was inspected
GRADES_PER_YEAR = 4  # inspections shown per council and year, the latest first
SPENDING_YEARS = 3  # the latest years for which any of the councils has a money figure
LINES_PER_YEAR = 8  # money figures shown per council and year, the largest first
INTERVENTIONS_PER_KIND = 5  # interventions shown per council and kind, the latest first


@functools.cache
def list_path(name: str, prefix: str) -> str:
    return reverse(name)  # a list's address changes only with the script prefix


def list_url(name: str, **params) -> str:
    """A list page filtered to some of a council's rows (the "N more" links)."""
    query = "&".join(f"{k}={quote_plus(str(v))}" for k, v in params.items() if v is not None)
    return f"{list_path(name, get_script_prefix())}?{query}"


def plural(count: int, noun: str, nouns: str = "") -> str:
    return f"{count:,} {noun if count == 1 else nouns or noun + 's'}"


def ranked(queryset, partition, order, most: int):
    """At most `most` rows of each partition: ROW_NUMBER over each, in a subquery that reads
    only the columns it ranks by (an index can answer it), then only those rows whole."""
    ids = (
        queryset.annotate(
            rank=Window(RowNumber(), partition_by=[F(p) for p in partition], order_by=order)
        )
        .filter(rank__lte=most)
        .values("pk")
    )
    return queryset.model._default_manager.filter(pk__in=ids)


def latest_years(years, most: int) -> list[int]:
    """The latest `most` of these years (None, for not stated, left out), oldest first."""
    return sorted({y for y in years if y is not None})[-most:]


@dataclass
class CouncilComparison:
    councils: list
    key_facts: list = field(default_factory=list)  # (label, [cell per council])
    grade_rows: list = field(default_factory=list)  # {"service", "council", "cells": [...]}
    grade_years: list = field(default_factory=list)
    charts: list = field(default_factory=list)
    warning: str = ""
    has_undated: bool = False
    # Per council: how many inspections it has, how many are shown, and links to the rest.
    grades_window: list = field(default_factory=list)
    # Per framework: each council's inspections and judgements under it, counted and linked.
    framework_rows: list = field(default_factory=list)
    spending_rows: list = field(default_factory=list)  # {"year", "cells": [{"items", "more"}]}
    spending_years: list = field(default_factory=list)
    spending_counts: list = field(default_factory=list)  # {"year", "cells": [{...}]}: every year
    spending_window: list = field(default_factory=list)
    intervention_rows: list = field(default_factory=list)  # {"kind", "label", "cells"}
    inspections: list = field(default_factory=list)
    lines: list = field(default_factory=list)
    statistics: list = field(default_factory=list)
    interventions: list = field(default_factory=list)

    def facts(self):
        """Every record the page cites, in the order it shows them."""
        yield from self.councils
        yield from self.statistics
        yield from self.inspections
        yield from self.lines
        yield from self.interventions

    lines_per_year = LINES_PER_YEAR
    interventions_per_kind = INTERVENTIONS_PER_KIND

    @property
    def grades_rule(self) -> str:
        return (
            f"The table and charts show the inspections of the latest {GRADE_YEARS} years in "
            f"which any of these councils was inspected, at most {GRADES_PER_YEAR} a year for "
            "each council (the latest), and those with no year stated. Every one is in the "
            "lists:"
        )

    @property
    def spending_rule(self) -> str:
        return (
            f"The table shows the money figures of the latest {SPENDING_YEARS} years for which "
            f"any of these councils has one, at most {LINES_PER_YEAR} a year for each council "
            "(the largest), and those with no year stated. Every one is in the lists:"
        )

    def left_out(self) -> list[dict]:
        """Every group of rows the page counts but does not show, with the list that has them."""
        return [
            more
            for windows in (self.grades_window, self.spending_window)
            for window in windows
            for more in window["more"]
        ] + [
            cell["more"] for row in self.intervention_rows for cell in row["cells"] if cell["more"]
        ]


def compare_councils(councils: list, public: bool) -> CouncilComparison:
    """Key facts, grades by service and year, spending by year, interventions by kind: a
    window of each (the latest years, at most so many a year), with the rest counted.

    Ten queries, however many rows the councils have: counts of inspections by year and
    framework, of judgements by framework, and of money figures by year and kind (grouped in
    the database); the inspections in the window, their headline judgements; the money
    figures in the window; the latest population figures; the interventions in the window
    (each with its kind's count).
    """
    ids = [c.pk for c in councils]
    column = {c.pk: i for i, c in enumerate(councils)}
    by_pk = {c.pk: c for c in councils}

    inspection_counts = list(
        shown(Inspection.objects.filter(council__in=ids), public)
        .values("council_id", "year", "framework")
        .annotate(n=Count("pk"))
        .order_by()
    )
    judgement_counts = list(
        shown(Judgement.objects.filter(inspection__council__in=ids), public)
        .values("inspection__council_id", "inspection__framework")
        .annotate(n=Count("pk"))
        .order_by()
    )
    # By council and year only: the index on (council, public, year) answers it without
    # reading a row (with the kind too it read every line, 36 ms for two councils at scale 1).
    spending_counts = list(
        shown(SpendingLine.objects.filter(council__in=ids), public)
        .values("council_id", "year")
        .annotate(n=Count("pk"))
        .order_by()
    )

    grade_years = latest_years((row["year"] for row in inspection_counts), GRADE_YEARS)
    window = Q(year__in=grade_years) | Q(year=None)
    inspections = list(
        ranked(
            shown(Inspection.objects.filter(window, council__in=ids), public),
            ("council_id", "year"),
            [F("start_date").desc(nulls_last=True), F("slug").desc()],
            GRADES_PER_YEAR,
        )
        .select_related("source")
        .prefetch_related(headline_judgements(Inspection, public))
        .order_by(F("year").asc(nulls_last=True), F("start_date").asc(nulls_last=True), "slug")
    )
    spending_years = latest_years((row["year"] for row in spending_counts), SPENDING_YEARS)
    lines = list(
        ranked(
            shown(
                SpendingLine.objects.filter(
                    Q(year__in=spending_years) | Q(year=None), council__in=ids
                ),
                public,
            ),
            ("council_id", "year"),
            [F("amount_gbp").desc(), F("pk").asc()],
            LINES_PER_YEAR,
        )
        .select_related("source")
        .order_by(F("year").asc(nulls_last=True), F("amount_gbp").desc(), "pk")
    )
    statistics = list(
        ranked(
            shown(
                Statistic.objects.filter(
                    council__in=ids, measure__in=(POPULATION, CHILD_POPULATION), intervention=None
                ),
                public,
            ),
            ("council_id", "measure"),
            [F("year").desc(nulls_last=True), F("ref").asc()],
            1,
        )
        .select_related("source")
        .order_by("measure", "council_id")
    )
    per_kind = [F("subject_council_id"), F("kind")]
    interventions = list(
        shown(Intervention.objects.filter(subject_council__in=ids), public)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=per_kind,
                order_by=[F("start_date").desc(nulls_last=True), F("title").desc()],
            ),
            of_kind=Window(Count("pk"), partition_by=per_kind),
        )
        .filter(rank__lte=INTERVENTIONS_PER_KIND)
        .select_related("source")
        .order_by(F("start_date").asc(nulls_last=True), "title")
    )
    result = CouncilComparison(
        councils=councils,
        inspections=inspections,
        lines=lines,
        statistics=statistics,
        interventions=interventions,
        grade_years=grade_years,
        spending_years=spending_years,
    )

    # Key facts: the latest figure of each measure per council.
    latest = {(s.measure, s.council_id): s for s in statistics}
    result.key_facts = [
        ("Type", [{"text": c.get_council_type_display() or "Not recorded"} for c in councils]),
        ("Region", [{"text": c.get_region_display() or "Not recorded"} for c in councils]),
        *(
            (
                measure,
                [
                    {"text": s.as_printed, "detail": s.period, "fact": s}
                    if (s := latest.get((measure, c.pk)))
                    else {"text": "Not given"}
                    for c in councils
                ],
            )
            for measure in (POPULATION, CHILD_POPULATION)
        ),
    ]

    grades(result, inspections, inspection_counts, judgement_counts, column, by_pk)
    spending(result, lines, spending_counts, latest, column, by_pk)

    # Interventions: one row per kind, each council's in its column, with the outcome.
    kinds = dict(InterventionKind.choices)
    by_kind: dict[str, list] = {}
    for intervention in interventions:
        cells = by_kind.setdefault(intervention.kind, [{"items": [], "more": None} for _ in ids])
        cell = cells[column[intervention.subject_council_id]]
        cell["items"].append(intervention)
        rest = intervention.of_kind - INTERVENTIONS_PER_KIND
        if rest > 0:
            council = by_pk[intervention.subject_council_id]
            cell["more"] = {
                "council": council,
                "count": rest,
                "text": f"{plural(rest, 'earlier intervention')} of this kind",
                "url": list_url(
                    "interventions:intervention-list", council=council.slug, kind=intervention.kind
                ),
            }
    result.intervention_rows = [
        {"kind": kind, "label": kinds.get(kind, kind), "cells": by_kind[kind]}
        for kind in kinds
        if kind in by_kind
    ]
    return result


def grades(result, inspections, counts, judgement_counts, column, by_pk) -> None:
    """The grade table (one row per service and council, one column per year of the window,
    undated last), one chart per council on the window's axis, and what is left out."""
    councils = result.councils
    years = result.grade_years
    slots = [*years, None]
    order = {value: i for i, value in enumerate(Framework.values)}
    rows: dict[tuple[str, int, str], dict] = {}
    for inspection in inspections:
        service = service_name(inspection)
        row = rows.setdefault(
            (service, inspection.council_id, inspection.framework),
            {
                "service": service,
                "council": by_pk[inspection.council_id],
                "framework": inspection.framework,
                "framework_label": inspection.get_framework_display(),
                "cells": {slot: [] for slot in slots},
            },
        )
        row["cells"][inspection.year].append(
            {"text": grade_text(inspection), "fact": inspection, "framework": inspection.framework}
        )
    result.grade_rows = [
        {**row, "cells": [row["cells"][slot] for slot in slots]}
        for key, row in sorted(
            rows.items(), key=lambda kv: (kv[0][0], column[kv[0][1]], order.get(kv[0][2], 0))
        )
    ]
    result.has_undated = any(row["cells"][-1] for row in result.grade_rows)
    result.warning = frameworks_warning(inspections, councils)
    for council in councils:
        chart = inspection_chart(
            [i for i in inspections if i.council_id == council.pk], council.name, axis_years=years
        )
        if chart is not None:
            result.charts.append((council, chart))

    # What each council has, and what of it the window leaves out.
    shown_per_year: dict[tuple[int, int | None], int] = {}
    for inspection in inspections:
        key = (inspection.council_id, inspection.year)
        shown_per_year[key] = shown_per_year.get(key, 0) + 1
    per_year: dict[tuple[int, int | None], int] = {}
    for row in counts:
        key = (row["council_id"], row["year"])
        per_year[key] = per_year.get(key, 0) + row["n"]
    first = years[0] if years else None
    for council in councils:
        mine = {year: n for (pk, year), n in per_year.items() if pk == council.pk}
        more = []
        earlier = sum(n for year, n in mine.items() if year is not None and year < (first or 0))
        if earlier:
            more.append(
                {
                    "council": council,
                    "count": earlier,
                    "text": f"{plural(earlier, 'inspection')} before {first}",
                    "url": list_url(
                        "ratings:inspection-list", council=council.slug, year_to=first - 1
                    ),
                }
            )
        for year in [*years, None]:
            rest = mine.get(year, 0) - shown_per_year.get((council.pk, year), 0)
            if rest > 0:
                more.append(
                    {
                        "council": council,
                        "count": rest,
                        "text": f"{plural(rest, 'more inspection')} in {year}"
                        if year is not None
                        else f"{plural(rest, 'more inspection')} with no year stated",
                        "url": list_url(
                            "ratings:inspection-list",
                            council=council.slug,
                            year_from=year,
                            year_to=year,
                        ),
                    }
                )
        result.grades_window.append(
            {
                "council": council,
                "total": sum(mine.values()),
                "label": plural(sum(mine.values()), "inspection"),
                "shown": sum(n for (pk, _), n in shown_per_year.items() if pk == council.pk),
                "url": list_url("ratings:inspection-list", council=council.slug),
                "more": more,
            }
        )

    # Every inspection and judgement, by framework: counted, first and last year, linked.
    judged = {
        (row["inspection__council_id"], row["inspection__framework"]): row["n"]
        for row in judgement_counts
    }
    frameworks: dict[str, list] = {}
    for row in counts:
        cells = frameworks.setdefault(row["framework"], [None for _ in councils])
        index = column[row["council_id"]]
        cell = cells[index]
        if cell is None:
            council = councils[index]
            cell = cells[index] = {
                "inspections": 0,
                "years": [],
                "judgements": judged.get((council.pk, row["framework"]), 0),
                "url": list_url(
                    "ratings:inspection-list", council=council.slug, framework=row["framework"]
                ),
                "judgements_url": list_url(
                    "ratings:judgement-list", council=council.slug, framework=row["framework"]
                ),
            }
        cell["inspections"] += row["n"]
        if row["year"] is not None:
            cell["years"].append(row["year"])
    result.framework_rows = [
        {
            "framework": framework,
            "label": Framework(framework).label,
            "cells": [
                cell
                and {
                    **cell,
                    "first": min(cell["years"], default=None),
                    "last": max(cell["years"], default=None),
                }
                for cell in cells
            ],
        }
        for framework, cells in sorted(frameworks.items(), key=lambda kv: order.get(kv[0], 0))
    ]


def spending(result, lines, counts, latest, column, by_pk) -> None:
    """Money figures of the window's years (the largest of each council's year), each as
    printed; and for every year, how many figures each council has, linked."""
    councils = result.councils
    population = {c.pk: latest.get((POPULATION, c.pk)) for c in councils}
    per_year: dict[tuple[int, int | None], int] = {}
    for row in counts:
        key = (row["council_id"], row["year"])
        per_year[key] = per_year.get(key, 0) + row["n"]

    def total(pk, year) -> int:
        return per_year.get((pk, year), 0)

    by_year: dict = {}
    for line in lines:
        cells = by_year.setdefault(line.year, [{"items": [], "more": None} for _ in councils])
        cells[column[line.council_id]]["items"].append(
            {
                "fact": line,
                "per_head": per_head(line, population[line.council_id]),
                "population": population[line.council_id],
            }
        )
    windows = {c.pk: {"council": c, "more": []} for c in councils}
    for year, cells in by_year.items():
        for council, cell in zip(councils, cells, strict=True):
            rest = total(council.pk, year) - len(cell["items"])
            if rest > 0:
                cell["more"] = more = {
                    "council": council,
                    "count": rest,
                    "text": f"{plural(rest, 'more figure')} for "
                    + (str(year) if year is not None else "no stated year"),
                    "url": list_url(
                        "ratings:spending-list", council=council.slug, year_from=year, year_to=year
                    ),
                }
                windows[council.pk]["more"].append(more)
    result.spending_rows = [
        {"year": year, "cells": cells}
        for year, cells in sorted(by_year.items(), key=lambda kv: (kv[0] is None, kv[0] or 0))
    ]
    first = result.spending_years[0] if result.spending_years else None
    for council in councils:
        earlier = sum(
            total(council.pk, year)
            for (pk, year) in per_year
            if pk == council.pk and year is not None and first is not None and year < first
        )
        if earlier:
            windows[council.pk]["more"].insert(
                0,
                {
                    "council": council,
                    "count": earlier,
                    "text": f"{plural(earlier, 'figure')} before {first}",
                    "url": list_url(
                        "ratings:spending-list", council=council.slug, year_to=first - 1
                    ),
                },
            )
        windows[council.pk]["total"] = sum(
            total(pk, year) for (pk, year) in per_year if pk == council.pk
        )
        windows[council.pk]["label"] = plural(windows[council.pk]["total"], "money figure")
        windows[council.pk]["url"] = list_url("ratings:spending-list", council=council.slug)
    result.spending_window = list(windows.values())
    years = sorted({year for _, year in per_year}, key=lambda y: (y is None, -(y or 0)))
    result.spending_counts = [
        {
            "year": year,
            "cells": [
                {
                    "count": total(c.pk, year),
                    "url": list_url(
                        "ratings:spending-list", council=c.slug, year_from=year, year_to=year
                    ),
                }
                for c in councils
            ],
        }
        for year in years
    ]


# Outcomes: one row per intervention ---------------------------------------------------------


def cost_prefetch(public: bool) -> Prefetch:
    return Prefetch(
        "spending_lines",
        shown(
            SpendingLine.objects.filter(kind__in=COST_KINDS).select_related("source"), public
        ).order_by("amount_gbp", "pk"),
        to_attr="cost_lines",
    )


def inspections_prefetch(public: bool) -> Prefetch:
    """The subject council's inspections, with the section results drawn where no grade."""
    return Prefetch(
        "subject_council__inspections",
        shown(Inspection.objects.select_related("source"), public)
        .prefetch_related(headline_judgements(Inspection, public))
        .order_by(F("year").asc(nulls_last=True), F("start_date").asc(nulls_last=True), "slug"),
        to_attr="outcome_inspections",
    )


def outcome_queryset(queryset, public: bool):
    return queryset.select_related("subject_council", "source").prefetch_related(
        "service_areas", cost_prefetch(public), inspections_prefetch(public)
    )


def months_between(start: Known, end: Known) -> int | None:
    """Whole months from start to end, where both are known at least to the month."""
    if len(start.parts) < 2 or len(end.parts) < 2:
        return None
    return (end.parts[0] - start.parts[0]) * 12 + end.parts[1] - start.parts[1]


def duration_text(intervention) -> str:
    start = Known.of(intervention.start_date, intervention.start_date_precision)
    end = Known.of(intervention.end_date, intervention.end_date_precision)
    if start is None or end is None:
        return ""
    months = months_between(start, end)
    if months is None:
        years = end.parts[0] - start.parts[0]
        return f"about {years} year{'s' if years != 1 else ''}" if years else "under a year"
    if months < 1:
        return "under a month"
    years, rest = divmod(months, 12)
    parts = [f"{years} year{'s' if years != 1 else ''}"] if years else []
    if rest:
        parts.append(f"{rest} month{'s' if rest != 1 else ''}")
    return " ".join(parts)


def cost_of(intervention) -> dict:
    """The cost as the reports give it (contract values and outturns), a range where they
    differ; as interventions.views.details.intervention.cost_lines does for the case study."""
    lines = list(getattr(intervention, "cost_lines", []))
    if not lines:
        return {"low": None, "high": None, "lines": [], "differ": False}
    return {
        "low": lines[0],
        "high": lines[-1],
        "lines": lines,
        "differ": len({line.amount_gbp for line in lines}) > 1
        and len({line.source_id for line in lines}) > 1,
    }


def money_text(line) -> str:
    amount = line.amount_gbp
    text = f"£{amount:,.0f}" if amount == amount.to_integral_value() else f"£{amount:,.2f}"
    return f"{line.get_qualifier_display().lower()} {text}" if line.qualifier else text


def cost_text(cost: dict) -> str:
    if cost["low"] is None:
        return ""
    low, high = money_text(cost["low"]), money_text(cost["high"])
    if low == high:
        return low
    return f"{low} to {high}" + (" (sources differ)" if cost["differ"] else "")


@dataclass
class Grade:
    service: str
    text: str
    inspection: object
    placement: str


def grades_around(intervention) -> tuple[list[Grade], list[Grade]]:
    """Per service: the latest grade before it began, and the first after it ended (or, where
    there is none, the latest while it ran, labelled so). Dates compare only as far as known."""
    before: dict[str, Grade] = {}
    after: dict[str, Grade] = {}
    since: dict[str, Grade] = {}
    inspections = getattr(intervention.subject_council, "outcome_inspections", [])
    for inspection in inspections:
        placed = inspection_placement(inspection, intervention)
        grade = Grade(service_name(inspection), grade_text(inspection), inspection, placed.label)
        if placed.key == "before":
            before[grade.service] = grade  # oldest first: the last one wins
        elif placed.key == "after":
            after.setdefault(grade.service, grade)
        elif placed.key in ("since-start", "during", "around-end"):
            since[grade.service] = grade  # the latest while it ran
    for service, grade in since.items():
        after.setdefault(service, grade)
    return sorted(before.values(), key=lambda g: g.service), sorted(
        after.values(), key=lambda g: g.service
    )


def grades_text(grades: list[Grade]) -> str:
    return "; ".join(
        f"{g.service}: {g.text} ({g.inspection.period or g.inspection.year})" for g in grades
    )


@dataclass
class Outcome:
    """One intervention in the shape of the outcomes table."""

    intervention: object
    service_areas: list
    duration: str
    cost: dict
    before: list
    after: list

    @property
    def target_met(self) -> str:
        i = self.intervention
        return i.get_target_met_display() if i.target_met else ""


def outcome(intervention) -> Outcome:
    cached = getattr(intervention, "_outcome", None)
    if cached is None:
        before, after = grades_around(intervention)
        cached = Outcome(
            intervention=intervention,
            service_areas=sorted(intervention.service_areas.all(), key=lambda a: a.name),
            duration=duration_text(intervention),
            cost=cost_of(intervention),
            before=before,
            after=after,
        )
        intervention._outcome = cached
    return cached


TARGET_MET_CHOICES = TargetMet.choices
