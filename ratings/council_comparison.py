"""Councils side by side, /compare/?council=…: a window of each council's records, the rest
counted in the database and linked to the lists that hold every row.

A fixed number of queries, whatever the number of councils or of their rows, and every figure
keeps its record so that the page can footnote it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from urllib.parse import quote_plus

from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber
from django.urls import get_script_prefix, reverse

from interventions.charts import inspection_chart
from interventions.models import Intervention, InterventionKind
from interventions.views.details.base import shown
from interventions.views.details.serialise import headline_judgements

from .compare import (
    CHILD_POPULATION,
    POPULATION,
    frameworks_warning,
    grade_text,
    per_head,
    service_name,
)
from .models import Framework, Inspection, Judgement, SpendingLine, Statistic

# The window of a comparison: what each section shows of each council, the rest counted and
# linked to the lists that hold every row (so the page stays small however much is recorded:
# the two largest councils at scale 1, 570 inspections and 45,000 money figures each, make
# 95 KB of HTML; six of them, 220 KB).
GRADE_YEARS = 6  # the latest years in which any of the councils was inspected
GRADES_PER_YEAR = 3  # inspections shown per council and year, the latest first
SPENDING_YEARS = 3  # the latest years for which any of the councils has a money figure
LINES_PER_YEAR = 4  # money figures shown per council and year, the largest first
INTERVENTIONS_PER_KIND = 3  # interventions shown per council and kind, the latest first


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

    Eight queries, however many rows the councils have: counts of inspections by year and
    framework, of judgements by framework, and of money figures by year (grouped in the
    database); the inspections in the window, their headline judgements; the money figures
    in the window; the latest population figures; the interventions in the window (each with
    its kind's count).
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
