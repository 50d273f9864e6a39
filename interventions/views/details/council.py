"""The council page: its interventions, inspection and spending charts, statistics."""

from __future__ import annotations

from itertools import chain, groupby

from django.db.models import Count, Max, Min

from ... import glance
from ...charts import inspection_chart, spending_chart
from ...models import (
    Council,
)
from ...visibility import may_name, named
from . import base
from .base import DetailPage, capped, related_model, shown
from .serialise import (
    headline_judgements,
    inspection_json,
    inspection_rows,
    partial_date_json,
    spending_json,
    spending_rows,
    statistic_json,
)


def council_for_detail():
    """A council with its successor and predecessors; its long lists come from council_lists()."""
    return Council.objects.select_related("source", "successor").prefetch_related("predecessors")


def chronological(row) -> tuple:
    return (row.year is None, row.year or 0, row.pk)


def council_lists(council: Council, public: bool) -> dict:
    """Each list on the council page: one query each, at most TABLE_LIMIT rows, with totals."""
    cited = ("source", "discrepancy")
    interventions, intervention_more = capped(
        shown(council.interventions.select_related(*cited), public)
    )
    participations, participation_more = capped(
        shown(
            council.participations.select_related(
                "intervention__subject_council", "intervention__source", "person", *cited
            ),
            public,
        ).order_by("intervention__start_date", "intervention__title", "intervention_id", "position")
    )
    # Fetched newest first (undated before them), so that a long history keeps its latest
    # years and its undated rows; shown oldest first, undated last.
    inspections, inspection_more = capped(
        shown(inspection_rows(council.inspections.all()), public)
        .prefetch_related(headline_judgements(council.inspections.model, public))
        .reverse()
    )
    spending, spending_more = capped(
        shown(spending_rows(council.spending_lines.all()), public).reverse()
    )
    statistics, statistic_more = capped(
        shown(council.statistics.select_related("council", *cited), public).order_by(
            "comparator_group", "measure", "year", "ref"
        )
    )
    return {
        "interventions": interventions,
        "intervention_more": intervention_more,
        "participations": participations,
        "participation_more": participation_more,
        "organisations": list(council.organisations.select_related("source")),
        "inspections": sorted(inspections, key=chronological),
        "inspection_more": inspection_more,
        "spending_lines": sorted(spending, key=chronological),
        "spending_more": spending_more,
        "statistics": statistics,
        "statistic_more": statistic_more,
    }


def spending_by_year(council: Council, public: bool) -> list[dict]:
    """Each spending line's figures per year, for the chart: one query over every row.

    Where a line has several figures in one year (from several sources, or several
    versions), the chart shows their range; it never adds or averages them.
    """
    return list(
        shown(council.spending_lines.filter(year__isnull=False), public)
        .order_by()
        .values("line", "year")
        .annotate(count=Count("pk"), low=Min("amount_gbp"), high=Max("amount_gbp"))
        .order_by("line", "year")
    )


def comparisons(council, statistics_model, public: bool, limit: int = 1000):
    """Each comparator group the council's figures belong to, with every council in it.

    One query: the rows of the same groups, found by a subquery.
    """
    groups = council.statistics.exclude(comparator_group="").values("comparator_group")
    rows = shown(
        statistics_model.objects.filter(comparator_group__in=groups).select_related(
            "council", "source", "discrepancy"
        ),
        public,
    ).order_by("comparator_group", "measure", "-value", "council__name")[:limit]
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


class CouncilDetail(DetailPage):
    model = Council
    template_name = "interventions/council_detail.html"
    kind = "Council"

    list_route = "interventions:council-list"
    list_title = "Councils"

    def detail_queryset(self):
        return council_for_detail()

    def title(self):
        return self.object.name

    def description(self):
        council = self.object
        kind = council.get_council_type_display() or "Council"
        region = council.get_region_display()
        where = f" in {region}" if region else ""
        return (
            f"{kind}{where}: its interventions, inspection history, spending and key figures "
            "as the reports record them."
        )

    def glance(self, parts):
        return glance.council_page(self.object, parts)

    def parts(self):
        council = self.object
        parts = council_lists(council, self.public)
        statistics_model = related_model(Council, "statistics")
        slug = council.slug
        parts.update(
            participation_groups=[
                (roles[0].intervention, roles)
                for _, group in groupby(parts["participations"], key=lambda p: p.intervention_id)
                for roles in [list(group)]
            ],
            # Councils it took over from, leaving out drafts (prefetched: no query).
            predecessors=[p for p in council.predecessors.all() if may_name(p, self.public)],
            successor=named(council.successor, self.public),
            inspection_chart=inspection_chart(parts["inspections"], council.name),
            spending_chart=spending_chart(spending_by_year(council, self.public), council.name),
            comparisons=comparisons(council, statistics_model, self.public),
            intervention_list_url=self.list_url("interventions:intervention-list", council=slug),
            judgement_list_url=self.list_url("ratings:judgement-list", council=slug),
            spending_list_url=self.list_url("ratings:spending-list", council=slug),
            table_limit=base.TABLE_LIMIT,
        )
        parts["disagreements"] = self.disagreements(parts)
        return parts

    def facts(self, parts):
        return chain(
            [self.object],
            parts["interventions"],
            parts["participations"],
            parts["organisations"],
            parts["inspections"],
            parts["spending_lines"],
            parts["statistics"],
            (
                cell
                for table in parts["comparisons"]
                for row in table["rows"]
                for cell in row["cells"]
                if cell
            ),
            (v for d in parts.get("disagreements", []) for v in d.versions),
        )

    def as_json(self, parts):
        c = self.object
        return {
            "url": self.absolute(c.get_absolute_url()),
            "slug": c.slug,
            "name": c.name,
            "also_known_as": c.also_known_as,
            "council_type": c.council_type,
            "council_type_label": c.get_council_type_display(),
            "region": c.region,
            "region_label": c.get_region_display(),
            "gss_code": c.gss_code,
            "start_date": c.start_date.isoformat() if c.start_date else None,
            "end_date": c.end_date.isoformat() if c.end_date else None,
            "successor": self.body(parts["successor"]),
            "predecessors": [self.body(p) for p in parts["predecessors"]],
            **self.cited(c),
            "interventions": [
                {
                    **self.body(i),
                    "kind": i.kind,
                    "status": i.status,
                    "mentioned_in_passing": i.mentioned_only,
                    "start": partial_date_json(i.start_date, i.start_date_precision),
                    "end": partial_date_json(i.end_date, i.end_date_precision),
                    **self.cited(i),
                }
                for i in parts["interventions"]
            ],
            "participations": [
                {
                    "intervention": self.body(p.intervention),
                    "subject_council": self.body(p.intervention.subject_council),
                    "role": p.role,
                    "role_label": p.get_role_display(),
                    "person": p.person_name,
                    "person_record": self.body(p.person),
                    "post": p.post,
                    "description": p.description,
                    **self.cited(p),
                }
                for p in parts["participations"]
            ],
            "organisations": [self.body(o) for o in parts["organisations"]],
            "inspections": [
                inspection_json(self, i, judgement_count=i.judgement_count)
                for i in parts["inspections"]
            ],
            "spending_lines": [spending_json(self, line) for line in parts["spending_lines"]],
            "statistics": [statistic_json(self, s) for s in parts["statistics"]],
            "truncated": {
                "interventions": parts["intervention_more"],
                "participations": parts["participation_more"],
                "inspections": parts["inspection_more"],
                "spending_lines": parts["spending_more"],
                "statistics": parts["statistic_more"],
                "listed_at_most": base.TABLE_LIMIT,
            },
            "lists": {
                "interventions": parts["intervention_list_url"],
                "judgements": parts["judgement_list_url"],
                "spending_lines": parts["spending_list_url"],
            },
            "comparisons": [
                {
                    "comparator_group": table["group"],
                    "measures": table["measures"],
                    "councils": [
                        {
                            "council": self.body(row["council"]),
                            "values": [
                                statistic_json(self, cell) if cell else None
                                for cell in row["cells"]
                            ],
                        }
                        for row in table["rows"]
                    ],
                }
                for table in parts["comparisons"]
            ],
            "sources_differ": self.disagreements_json(parts["disagreements"]),
            "citation": self.citation_json(),
        }


# A source -------------------------------------------------------------------------------
