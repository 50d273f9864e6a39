"""The sections `ratings` owns on the council, organisation and inspection pages.

Registered from RatingsConfig.ready() (ratings.sections.register): a council's inspection
history, spending and figures; the inspections an inspectorate carried out and the money paid
to or by an organisation; an inspection's own facts and judgements. Each loader reads the live
record or the record as it stood at a version's moment (interventions.sections.State), so the
live page and its version pages include the same templates with the same names.
"""

from __future__ import annotations

from itertools import groupby

from django.db.models import Count, F, Max, Min, Prefetch

from interventions.charts import inspection_chart, spending_chart
from interventions.record_sections import list_url, shown
from interventions.sections import Section, State
from interventions.views.details import base
from interventions.views.details.serialise import (
    SPENDING_RELATED,
    inspection_rows,
    spending_rows,
)

from .models import Judgement, SpendingLine, Statistic

COUNCIL = "interventions.council"
ORGANISATION = "interventions.organisation"
PERSON = "interventions.person"
INSPECTION = "ratings.inspection"
CITED = ("source",)
# Newest first, undated before them (so that a long history keeps its latest years and its
# undated rows); shown oldest first, undated last.
INSPECTIONS_NEWEST = (
    F("year").desc(nulls_first=True),
    F("start_date").desc(nulls_first=True),
    "-slug",
)
SPENDING_NEWEST = (F("year").desc(nulls_first=True), "-id")


def chronological(row) -> tuple:
    return (row.year is None, row.year or 0, row.pk)


def with_judgements(inspections: list, state: State) -> list:
    """Each inspection as it stood with its number of judgements and its headline ones (one
    query); live rows have them from the page's query already."""
    if state.live or not inspections:
        return inspections
    records = state.as_of(Judgement).filter(inspection_id__in=[i.pk for i in inspections])
    judgements = state.instances(state.shown(Judgement, records).order_by("position"), CITED)
    by_inspection: dict[int, list] = {}
    for judgement in judgements:
        by_inspection.setdefault(judgement.inspection_id, []).append(judgement)
    for inspection in inspections:
        rows = by_inspection.get(inspection.pk, [])
        inspection.judgement_rows = rows
        inspection.judgement_count = len(rows)
        inspection.headline_judgements = [j for j in rows if j.headline]
    return inspections


# The council page ----------------------------------------------------------------------


def load_council_inspections(council, state: State) -> dict:
    headline = Prefetch(
        "judgements",
        shown(Judgement.objects.filter(headline=True).order_by("position"), state.public),
        to_attr="headline_judgements",
    )
    every = shown(council.inspections.all(), state.public)
    live = shown(inspection_rows(council.inspections.all()), state.public)
    live = live.prefetch_related(headline).order_by(*INSPECTIONS_NEWEST)
    rows, more, total = state.listed_of(
        council,
        "inspections",
        live,
        every,
        ("inspectorate", *CITED),
        INSPECTIONS_NEWEST,
        limit=base.COUNCIL_ROWS,
    )
    inspections = sorted(with_judgements(rows, state), key=chronological)
    return {
        "inspections": inspections,
        "inspection_more": more,
        "inspection_total": total,
        "inspection_chart": inspection_chart(inspections, council.name),
        "judgement_list_url": list_url("ratings:judgement-list", council=council.slug),
        "inspection_list_url": list_url("ratings:inspection-list", council=council.slug),
    }


def spending_by_year(council, state: State) -> list[dict]:
    """Each spending line's figures per year (year None: figures without one), for the
    chart and the table of years: one query over every row.

    Where a line has several figures in one year (from several sources, or several
    versions), the chart shows their range; it never adds or averages them."""
    if state.live:
        rows = shown(council.spending_lines.all(), state.public)
    else:
        rows = state.shown(SpendingLine, state.as_of(SpendingLine).filter(council_id=council.pk))
    return list(
        rows.order_by()
        .values("line", "year")
        .annotate(count=Count("pk"), low=Min("amount_gbp"), high=Max("amount_gbp"))
        .order_by("line", "year")
    )


def spending_years(by_year: list[dict], council) -> list[dict]:
    """How many money figures the council has for each year, newest first (those without a
    year last), each with the spending list of exactly those figures."""
    counts: dict = {}
    lines: dict = {}
    for row in by_year:
        counts[row["year"]] = counts.get(row["year"], 0) + row["count"]
        lines.setdefault(row["year"], set()).add(row["line"])
    years = sorted(counts, key=lambda year: (year is None, -(year or 0)))
    return [
        {
            "year": year,
            "figures": counts[year],
            "lines": len(lines[year]),
            "url": list_url(
                "ratings:spending-list", council=council.slug, year_from=year, year_to=year
            )
            if year is not None
            else "",
        }
        for year in years
    ]


def load_council_spending(council, state: State) -> dict:
    live = shown(spending_rows(council.spending_lines.all()), state.public)
    rows, more = state.listed(
        council,
        "spending_lines",
        live.order_by(*SPENDING_NEWEST),
        SPENDING_RELATED,
        SPENDING_NEWEST,
        limit=base.COUNCIL_ROWS,
    )
    by_year = spending_by_year(council, state)
    dated = [row for row in by_year if row["year"] is not None]
    return {
        "spending_lines": sorted(rows, key=chronological),
        "spending_more": more,
        "spending_total": sum(row["count"] for row in by_year),
        "spending_years": spending_years(by_year, council),
        "spending_chart": spending_chart(dated, council.name),
        "spending_list_url": list_url("ratings:spending-list", council=council.slug),
    }


def comparison_tables(council, rows) -> list[dict]:
    """Each comparator group the council's figures belong to, with every council in it."""
    tables: dict[str, dict] = {}
    for row in rows:
        table = tables.setdefault(
            row.comparator_group, {"group": row.comparator_group, "measures": [], "cells": {}}
        )
        if row.measure not in table["measures"]:
            table["measures"].append(row.measure)
        table["cells"].setdefault(row.council, {})[row.measure] = row
    result = []
    for table in tables.values():
        first = table["measures"][0]
        councils = sorted(
            table["cells"],
            key=lambda c: (
                -(table["cells"][c][first].value if first in table["cells"][c] else -1),
                c.name,
            ),
        )
        table["rows"] = [
            {
                "council": c,
                "current": c.pk == council.pk,
                "cells": [table["cells"][c].get(m) for m in table["measures"]],
            }
            for c in councils
        ]
        table["others"] = sum(1 for c in councils if c.pk != council.pk)
        del table["cells"]
        result.append(table)
    return result


STATISTIC_ORDER = ("comparator_group", "measure", "year", "ref")
COMPARISON_ORDER = ("comparator_group", "measure", "-value", "council__name")
COMPARISON_LIMIT = 1000


def load_council_statistics(council, state: State) -> dict:
    related = ("council", *CITED)
    live = shown(council.statistics.select_related(*related), state.public)
    statistics, more, total = state.listed_of(
        council,
        "statistics",
        live.order_by(*STATISTIC_ORDER),
        shown(council.statistics.all(), state.public),
        related,
        STATISTIC_ORDER,
        limit=base.COUNCIL_ROWS,
    )
    # The rows of the same comparator groups, every council's: one query (a subquery finds
    # the groups).
    if state.live:
        groups = council.statistics.exclude(comparator_group="").values("comparator_group")
        group_rows = shown(
            Statistic.objects.filter(
                comparator_group__in=groups, council__isnull=False
            ).select_related(*related),
            state.public,
        )
        group_rows = list(group_rows.order_by(*COMPARISON_ORDER)[:COMPARISON_LIMIT])
    else:
        groups = {s.comparator_group for s in statistics if s.comparator_group}
        records = state.as_of(Statistic).filter(comparator_group__in=groups, council__isnull=False)
        records = state.shown(Statistic, records).order_by(*COMPARISON_ORDER)
        group_rows = state.instances(records, related, limit=COMPARISON_LIMIT)
    return {
        "statistics": statistics,
        "statistic_more": more,
        "statistic_total": total,
        "statistic_list_url": list_url("ratings:statistic-list", council=council.slug),
        "comparisons": comparison_tables(council, group_rows),
    }


def comparison_cells(context) -> list:
    return [
        cell
        for table in context["comparisons"]
        for row in table["rows"]
        for cell in row["cells"]
        if cell
    ]


# The organisation and person pages ---------------------------------------------------------


def load_subject_statistics(subject, state: State) -> dict:
    """The figures a report gives about this organisation or person (a police force's areas,
    the term of someone's appointment): one capped query, live or as of a moment."""
    related = ("intervention", *CITED)
    live = shown(subject.statistics.select_related(*related), state.public)
    statistics, more = state.listed(
        subject, "statistics", live.order_by(*STATISTIC_ORDER), related, STATISTIC_ORDER
    )
    return {"statistics": statistics, "statistic_more": more, "statistics_about": subject}


# The organisation page -----------------------------------------------------------------


def load_organisation_inspections(organisation, state: State) -> dict:
    live = shown(inspection_rows(organisation.inspections.all()), state.public)
    order = (F("year").asc(nulls_last=True), F("start_date").asc(nulls_last=True), "slug")
    rows, more = state.listed(
        organisation,
        "inspections",
        live.select_related("council").order_by(*order),
        ("council", "inspectorate", *CITED),
        order,
    )
    return {
        "inspections": with_judgements(rows, state),
        "inspection_more": more,
        "inspection_list_url": list_url("ratings:inspection-list", inspectorate=organisation.slug),
    }


def load_organisation_money(organisation, state: State) -> dict:
    order = (F("year").asc(nulls_last=True), "id")
    lists = {}
    for relation, key, more in (
        ("payments_received", "payments_received", "received_more"),
        ("payments_made", "payments_made", "paid_more"),
    ):
        live = shown(spending_rows(getattr(organisation, relation).all()), state.public)
        lists[key], lists[more] = state.listed(
            organisation, relation, live.order_by(*order), SPENDING_RELATED, order
        )
    return lists


# The inspection page -------------------------------------------------------------------


def load_inspection_facts(inspection, state: State) -> dict:
    return {}


def load_inspection_judgements(inspection, state: State) -> dict:
    # Live: prefetched by Inspection.objects.for_detail(), no query.
    judgements = state.rows(inspection, "judgements", CITED)
    return {
        "judgements": judgements,
        "judgement_groups": [
            {"name": name, "judgements": list(rows)}
            for name, rows in groupby(judgements, key=lambda j: j.section)
        ],
    }


def load_other_inspections(inspection, state: State) -> dict:
    council = inspection.council
    order = (F("year").desc(nulls_last=True), "slug")
    live = shown(council.inspections.exclude(pk=inspection.pk), state.public).order_by(*order)
    if state.live:
        others, more = state.listed(council, "inspections", live)
    else:
        others, more = state.listed(council, "inspections", live, CITED, order, state.limit + 1)
        others = [other for other in others if other.pk != inspection.pk]
        others, more = others[: state.limit], more or len(others) > state.limit
    return {
        "other_inspections": others,
        "other_more": more,
        "judgement_list_url": list_url("ratings:judgement-list", council=council.slug),
    }


SECTIONS = [
    Section(
        "council-inspections",
        "Inspection history",
        "sections/ratings/council_inspections.html",
        (COUNCIL,),
        load_council_inspections,
        40,
        facts=lambda c: c["inspections"],
    ),
    Section(
        "council-spending",
        "Spending",
        "sections/ratings/council_spending.html",
        (COUNCIL,),
        load_council_spending,
        50,
        facts=lambda c: c["spending_lines"],
    ),
    Section(
        "council-statistics",
        "Figures",
        "sections/ratings/council_statistics.html",
        (COUNCIL,),
        load_council_statistics,
        60,
        facts=lambda c: [*c["statistics"], *comparison_cells(c)],
    ),
    Section(
        "organisation-inspections",
        "Inspections it carried out",
        "sections/ratings/organisation_inspections.html",
        (ORGANISATION,),
        load_organisation_inspections,
        30,
        shown=lambda c: bool(c["inspections"]),
        facts=lambda c: c["inspections"],
    ),
    Section(
        "organisation-money",
        "Money",
        "sections/ratings/organisation_money.html",
        (ORGANISATION,),
        load_organisation_money,
        40,
        shown=lambda c: bool(c["payments_received"] or c["payments_made"]),
        facts=lambda c: [*c["payments_received"], *c["payments_made"]],
    ),
    Section(
        "organisation-statistics",
        "Figures",
        "sections/ratings/subject_statistics.html",
        (ORGANISATION,),
        load_subject_statistics,
        50,
        shown=lambda c: bool(c["statistics"]),
        facts=lambda c: c["statistics"],
    ),
    Section(
        "person-statistics",
        "Figures",
        "sections/ratings/subject_statistics.html",
        (PERSON,),
        load_subject_statistics,
        40,
        shown=lambda c: bool(c["statistics"]),
        facts=lambda c: c["statistics"],
    ),
    Section(
        "inspection-facts",
        "Key facts",
        "sections/ratings/inspection_facts.html",
        (INSPECTION,),
        load_inspection_facts,
        10,
    ),
    Section(
        "inspection-judgements",
        "Judgements",
        "sections/ratings/inspection_judgements.html",
        (INSPECTION,),
        load_inspection_judgements,
        20,
        facts=lambda c: c["judgements"],
    ),
    Section(
        "inspection-others",
        "Other inspections",
        "sections/ratings/inspection_others.html",
        (INSPECTION,),
        load_other_inspections,
        30,
        shown=lambda c: bool(c["other_inspections"]),
    ),
]
