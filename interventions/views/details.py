"""Detail pages: a case study, a council and a source (the inspection page is in ratings).

Every page answers ?format=json, ?format=bibtex and ?format=ris as well as HTML, and a fixed
number of queries whatever the number of rows: each page's reads are in one function
(`intervention_for_detail()` …) built from select_related and Prefetch, and templates touch
only what those fetched. Inspections, judgements, spending lines and statistics are reached
through reverse relations and the model registry, never by importing `ratings`.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal
from itertools import chain, groupby

from django.db.models import Count, F, Max, Min, Prefetch, Q
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.generic import DetailView

from ..charts import inspection_chart, spending_chart
from ..citations import Citation
from ..footnotes import Footnotes, disagreements
from ..models import (
    Council,
    Intervention,
    InterventionLink,
    LessonKind,
    LinkKind,
    Source,
    format_partial_date,
)

FORMATS = ("html", "json", "bibtex", "ris")
CITATION_FORMATS = ("bibtex", "ris")

# A page lists at most this many rows in one table (and says so, with a link to the full
# list): a council can have thousands of spending lines, and a page must stay small and fast.
TABLE_LIMIT = 100
# Inspections shown on a case study: those within this many years of it, and undated ones.
INSPECTION_WINDOW = 10


def shown(queryset, public: bool):
    """Only what the public may see, unless staff are previewing drafts."""
    if public and hasattr(queryset, "published"):
        return queryset.published()
    return queryset


def capped(queryset, limit: int | None = None) -> tuple[list, bool]:
    """The first `limit` rows (TABLE_LIMIT), and whether there are more: one query, no count."""
    limit = limit or TABLE_LIMIT
    rows = list(queryset[: limit + 1])
    return rows[:limit], len(rows) > limit


def related_model(model, name: str):
    """The model at the end of a reverse relation, e.g. Council → "inspections"."""
    return model._meta.get_field(name).related_model


# Shared by every detail page -----------------------------------------------------------


class DetailPage(DetailView):
    """A detail page that also answers ?format=json|bibtex|ris, and 400 for any other."""

    kind = ""  # how a citation describes the page: "Case study", "Council" …

    def get(self, request, *args, **kwargs):
        fmt = (request.GET.get("format") or "html").strip().lower()
        if fmt not in FORMATS:
            return HttpResponse(
                f'Unknown format "{request.GET.get("format")}". '
                f"Use one of: {', '.join(FORMATS)}.\n",
                status=400,
                content_type="text/plain; charset=utf-8",
            )
        self.format = fmt
        user = getattr(request, "user", None)
        self.public = not (user is not None and user.is_authenticated and user.is_staff)
        self.object = self.get_object()
        if fmt in CITATION_FORMATS:
            return self.citation(sources=[]).response(fmt)
        parts = self.parts()
        if fmt == "json":
            return JsonResponse(
                self.as_json(parts), json_dumps_params={"ensure_ascii": False, "indent": 1}
            )
        context = self.get_context_data(object=self.object, **parts)
        context["citation"] = self.citation(sources=self.cited_sources(parts))
        context["canonical_url"] = context["citation"].url
        context["footnotes"] = Footnotes()
        context["draft"] = not getattr(self.object, "published", True)
        return self.render_to_response(context)

    def get_queryset(self):
        if getattr(self, "format", "html") in CITATION_FORMATS:
            queryset = self.citation_queryset()
        else:
            queryset = self.detail_queryset()
        return shown(queryset, getattr(self, "public", True))

    def shown(self, queryset):
        return shown(queryset, self.public)

    def list_url(self, name: str, **params) -> str:
        return self.absolute(f"{reverse(name)}?{urlencode(params)}")

    def citation_queryset(self):
        """Enough for a BibTeX or RIS answer: the object alone."""
        return self.model._default_manager.all()

    def detail_queryset(self):
        raise NotImplementedError

    def parts(self) -> dict:
        """Everything the page shows besides the object, as lists already fetched."""
        return {}

    def title(self) -> str:
        return str(self.object)

    def description(self) -> str:
        return ""

    def citation(self, sources) -> Citation:
        return Citation(
            title=self.title(),
            url=self.absolute(self.object.get_absolute_url()),
            site_url=self.absolute("/"),
            kind=self.kind,
            key=f"{self.object._meta.model_name}-{self.object.slug}",
            description=self.description(),
            sources=sources,
            source_url=lambda source: self.absolute(source.get_absolute_url()),
            changed=self.last_changed(),
        )

    def last_changed(self) -> datetime.date | None:
        """When the record itself last changed, from its history (one query)."""
        history = getattr(self.object, "history", None)
        if history is None:
            return None
        latest = history.order_by("-history_date").values_list("history_date", flat=True).first()
        return timezone.localdate(latest) if latest else None

    def cited_sources(self, parts) -> list[Source]:
        """Every report the page's facts cite, once each, in order of first appearance."""
        seen: dict[int, Source] = {}
        for fact in self.facts(parts):
            source = fact.source
            seen.setdefault(source.pk, source)
        return list(seen.values())

    def facts(self, parts):
        return [self.object]

    # JSON helpers --------------------------------------------------------------------

    def absolute(self, path: str) -> str:
        return self.request.build_absolute_uri(path)

    def cited(self, fact) -> dict:
        """Where a fact comes from, and whether sources differ on it."""
        discrepancy = getattr(fact, "discrepancy", None)
        return {
            "source": {
                "slug": fact.source.slug,
                "title": fact.source.title,
                "url": self.absolute(fact.source.get_absolute_url()),
            },
            "locator": fact.locator,
            "sources_differ": discrepancy.slug if discrepancy else None,
        }

    def body(self, obj) -> dict | None:
        if obj is None:
            return None
        data = {"name": str(obj), "slug": obj.slug}
        if hasattr(obj, "get_absolute_url"):
            data["url"] = self.absolute(obj.get_absolute_url())
        return data

    def citation_json(self) -> dict:
        url = self.absolute(self.object.get_absolute_url())
        return {"bibtex": f"{url}?format=bibtex", "ris": f"{url}?format=ris"}

    def disagreements_json(self, items) -> list[dict]:
        return [
            {
                "slug": item.discrepancy.slug,
                "title": item.discrepancy.title,
                "note": item.discrepancy.note,
                "versions": [
                    {
                        "what": version.what,
                        "says": version.text,
                        "url": self.absolute(version.url),
                        "source": {
                            "slug": version.source.slug,
                            "title": version.source.title,
                            "url": self.absolute(version.source.get_absolute_url()),
                        },
                        "locator": version.locator,
                    }
                    for version in item.versions
                ],
            }
            for item in items
        ]

    def as_json(self, parts) -> dict:
        raise NotImplementedError


def partial_date_json(value: datetime.date | None, precision: str) -> dict | None:
    if value is None:
        return None
    return {
        "date": value.isoformat(),
        "precision": precision,
        "display": format_partial_date(value, precision),
    }


def money(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def inspection_rows(inspections):
    """Inspections with the number of their judgements, oldest first, undated last."""
    return (
        inspections.select_related("inspectorate", "source", "discrepancy")
        .annotate(judgement_count=Count("judgements"))
        .order_by(F("year").asc(nulls_last=True), F("start_date").asc(nulls_last=True), "slug")
    )


def grade_scales(inspection_model, council) -> dict[str, list[tuple[int, str]]]:
    """Each framework's grade scale, read from the grades inspections carry: one query.

    Only the frameworks the council was inspected under; every council's grades count.
    """
    frameworks = council.inspections.values("framework")
    rows = (
        inspection_model.objects.filter(framework__in=frameworks)
        .exclude(overall_score=None)
        .order_by()
        .values_list("framework", "overall_score", "overall_grade")
        .distinct()
    )
    scales: dict[str, dict[int, str]] = defaultdict(dict)
    for framework, score, grade in rows:
        scales[framework].setdefault(score, grade)
    return {framework: sorted(scale.items()) for framework, scale in scales.items()}


def spending_rows(lines):
    """Money figures by year (undated last), then in the order they were recorded."""
    return lines.order_by(F("year").asc(nulls_last=True), "pk").select_related(
        "source",
        "discrepancy",
        "council",
        "intervention",
        "payer_council",
        "payer_organisation",
        "payee_council",
        "payee_organisation",
    )


def inspection_json(view, inspection, **extra) -> dict:
    return {
        "url": view.absolute(inspection.get_absolute_url()),
        "slug": inspection.slug,
        "title": inspection.title,
        "framework": inspection.framework,
        "framework_label": inspection.get_framework_display(),
        "inspectorate": view.body(inspection.inspectorate),
        "service": inspection.service,
        "period": inspection.period,
        "year": inspection.year,
        "overall_grade": inspection.overall_grade,
        "overall_score": inspection.overall_score,
        "overall_as_printed": inspection.overall_as_printed,
        **extra,
        **view.cited(inspection),
    }


def spending_json(view, line) -> dict:
    return {
        "url": view.absolute(line.get_absolute_url()),
        "ref": line.ref,
        "council": view.body(line.council),
        "intervention": view.body(line.intervention),
        "line": line.line,
        "kind": line.kind,
        "kind_label": line.get_kind_display(),
        "period": line.period,
        "year": line.year,
        "amount_gbp": money(line.amount_gbp),
        "qualifier": line.qualifier,
        "as_printed": line.as_printed,
        "payer": view.body(line.payer),
        "payee": view.body(line.payee),
        "note": line.note,
        **view.cited(line),
    }


def statistic_json(view, statistic) -> dict:
    return {
        "url": view.absolute(statistic.get_absolute_url()),
        "ref": statistic.ref,
        "council": view.body(statistic.council),
        "measure": statistic.measure,
        "period": statistic.period,
        "year": statistic.year,
        "value": money(statistic.value),
        "unit": statistic.unit,
        "qualifier": statistic.qualifier,
        "as_printed": statistic.as_printed,
        "comparator_group": statistic.comparator_group,
        "comparator_label": statistic.comparator_label,
        "comparator_value": money(statistic.comparator_value),
        "comparator_as_printed": statistic.comparator_as_printed,
        "note": statistic.note,
        **view.cited(statistic),
    }


# The case study ------------------------------------------------------------------------

# How a link reads from the other end: "A followed by B" is "B follows A".
LINK_INVERSE = {
    LinkKind.MODEL_FOR: "Took as a model",
    LinkKind.COMPARED_WITH: "Compared with",
    LinkKind.ALTERNATIVE_TO: "Alternative to",
    LinkKind.FOLLOWED_BY: "Came after",
    LinkKind.PART_OF: "Includes",
}

LESSON_GROUPS = [
    (LessonKind.ACHIEVEMENT, "Achievements"),
    (LessonKind.CHALLENGE, "Challenges"),
    (LessonKind.LESSON, "Lessons learned"),
]


def intervention_for_detail(public: bool = True):
    """The case study and all its parts: one query per kind of part, whatever their number."""
    cited = ("source", "discrepancy")
    link_end = ("source", "to_intervention__subject_council", "from_intervention__subject_council")

    def part(name, *related):
        model = related_model(Intervention, name)
        return Prefetch(name, shown(model.objects.select_related(*related, *cited), public))

    links = InterventionLink.objects.select_related(*link_end)
    return Intervention.objects.select_related("subject_council", *cited).prefetch_related(
        "service_areas",
        part("participants", "council", "organisation"),
        part("phases"),
        part("workstreams"),
        part("lessons"),
        part("milestones"),
        Prefetch(
            "spending_lines",
            shown(spending_rows(related_model(Intervention, "spending_lines").objects), public),
        ),
        Prefetch(
            "statistics",
            shown(
                related_model(Intervention, "statistics")
                .objects.select_related("council", *cited)
                .order_by("measure", "year"),
                public,
            ),
        ),
        Prefetch("links_from", shown(links, public)),
        Prefetch("links_to", shown(links, public)),
    )


def inspections_around(intervention: Intervention, public: bool):
    """The subject council's inspections near the intervention's years, and undated ones."""
    queryset = intervention.subject_council.inspections.all()
    if intervention.start_date:
        first = intervention.start_date.year - INSPECTION_WINDOW
        last = (intervention.end_date or intervention.start_date).year + INSPECTION_WINDOW
        if intervention.end_date is None:
            last = 9999  # still running: every later inspection counts
        queryset = queryset.filter(Q(year__isnull=True) | Q(year__range=(first, last)))
    judgements = related_model(queryset.model, "judgements").objects.select_related(
        "source", "discrepancy"
    )
    queryset = inspection_rows(queryset).prefetch_related(
        Prefetch("judgements", shown(judgements.order_by("position"), public))
    )
    return capped(shown(queryset, public))


def timing(year: int | None, intervention: Intervention) -> tuple[str, str]:
    """Where a year stands against the intervention: ("before", "2 years before it began")."""
    start, end = intervention.start_date, intervention.end_date
    if year is None:
        return "unknown", "Year not stated"
    if start is None:
        return "unknown", "Intervention not dated"

    def years(n: int) -> str:
        return f"{n} year{'' if n == 1 else 's'}"

    if year < start.year:
        return "before", f"Before: {years(start.year - year)} before it began"
    if end is not None and year > end.year:
        return "after", f"After: {years(year - end.year)} after it ended"
    return "during", f"During: year {year - start.year + 1}"


class InterventionDetail(DetailPage):
    model = Intervention
    template_name = "interventions/intervention_detail.html"
    kind = "Case study"

    def detail_queryset(self):
        return intervention_for_detail(self.public)

    def title(self):
        return self.object.title

    def description(self):
        return self.object.summary

    def parts(self):
        intervention = self.object
        lessons = list(intervention.lessons.all())
        inspections, inspection_more = inspections_around(intervention, self.public)
        for inspection in inspections:
            inspection.timing, inspection.timing_label = timing(inspection.year, intervention)
        related = [
            (link.get_kind_display(), link.to_intervention, link)
            for link in intervention.links_from.all()
        ] + [
            (LINK_INVERSE.get(link.kind, link.get_kind_display()), link.from_intervention, link)
            for link in intervention.links_to.all()
        ]
        parts = {
            "service_areas": list(intervention.service_areas.all()),
            "participants": list(intervention.participants.all()),
            "phases": list(intervention.phases.all()),
            "milestones": list(intervention.milestones.all()),
            "workstreams": list(intervention.workstreams.all()),
            "lesson_groups": [
                (kind, heading, [lesson for lesson in lessons if lesson.kind == kind])
                for kind, heading in LESSON_GROUPS
            ],
            "lessons": lessons,
            "spending_lines": list(intervention.spending_lines.all()),
            "statistics": list(intervention.statistics.all()),
            "inspections": inspections,
            "inspection_more": inspection_more,
            "inspection_list_url": self.list_url(
                "ratings:judgement-list", council=intervention.subject_council.slug
            ),
            "related": related,
        }
        parts["disagreements"] = disagreements(
            (fact.discrepancy for fact in self.facts(parts) if hasattr(fact, "discrepancy")),
            public=self.public,
        )
        return parts

    def facts(self, parts):
        return chain(
            [self.object],
            parts["participants"],
            parts["phases"],
            parts["milestones"],
            parts["workstreams"],
            parts["lessons"],
            parts["spending_lines"],
            parts["statistics"],
            parts["inspections"],
            (j for inspection in parts["inspections"] for j in inspection.judgements.all()),
            (link for _, _, link in parts["related"]),
            (v for d in parts.get("disagreements", []) for v in d.versions),
        )

    def as_json(self, parts):
        i = self.object
        return {
            "url": self.absolute(i.get_absolute_url()),
            "slug": i.slug,
            "title": i.title,
            "subject_council": self.body(i.subject_council),
            "kind": i.kind,
            "kind_label": i.get_kind_display(),
            "status": i.status,
            "status_label": i.get_status_display(),
            "mentioned_in_passing": i.mentioned_only,
            "service_areas": [area.name for area in parts["service_areas"]],
            "start": partial_date_json(i.start_date, i.start_date_precision),
            "end": partial_date_json(i.end_date, i.end_date_precision),
            "summary": i.summary,
            "trigger": i.trigger,
            "target": i.target,
            "outcome": i.outcome,
            "target_met": i.target_met or None,
            "target_met_label": i.get_target_met_display() if i.target_met else None,
            **self.cited(i),
            "participants": [
                {
                    "position": p.position,
                    "council": self.body(p.council),
                    "organisation": self.body(p.organisation),
                    "person": p.person_name,
                    "post": p.post,
                    "role": p.role,
                    "role_label": p.get_role_display(),
                    "description": p.description,
                    **self.cited(p),
                }
                for p in parts["participants"]
            ],
            "phases": [
                {
                    "position": p.position,
                    "name": p.name,
                    "start": partial_date_json(p.start_date, p.start_date_precision),
                    "end": partial_date_json(p.end_date, p.end_date_precision),
                    "led_by": p.led_by,
                    "description": p.description,
                    **self.cited(p),
                }
                for p in parts["phases"]
            ],
            "milestones": [
                {
                    "position": m.position,
                    "date": partial_date_json(m.date, m.date_precision),
                    "end_date": partial_date_json(m.end_date, m.end_date_precision),
                    "description": m.description,
                    **self.cited(m),
                }
                for m in parts["milestones"]
            ],
            "workstreams": [
                {
                    "position": w.position,
                    "name": w.name,
                    "objective": w.objective,
                    "lead": w.lead,
                    **self.cited(w),
                }
                for w in parts["workstreams"]
            ],
            "lessons": [
                {
                    "position": lesson.position,
                    "kind": lesson.kind,
                    "kind_label": lesson.get_kind_display(),
                    "text": lesson.text,
                    **self.cited(lesson),
                }
                for lesson in parts["lessons"]
            ],
            "spending_lines": [spending_json(self, line) for line in parts["spending_lines"]],
            "statistics": [statistic_json(self, s) for s in parts["statistics"]],
            "subject_council_inspections_truncated": parts["inspection_more"],
            "subject_council_inspections": [
                inspection_json(
                    self,
                    inspection,
                    timing=inspection.timing,
                    timing_label=inspection.timing_label,
                    judgements=[
                        {
                            "position": j.position,
                            "section": j.section,
                            "area": j.area,
                            "grade": j.grade,
                            "grade_as_printed": j.grade_as_printed,
                            **self.cited(j),
                        }
                        for j in inspection.judgements.all()
                    ],
                )
                for inspection in parts["inspections"]
            ],
            "related_interventions": [
                {
                    "relation": label,
                    "intervention": self.body(other),
                    "mentioned_in_passing": other.mentioned_only,
                    "note": link.note,
                    **self.cited(link),
                }
                for label, other, link in parts["related"]
            ],
            "sources_differ": self.disagreements_json(parts["disagreements"]),
            "citation": self.citation_json(),
        }


# A council ------------------------------------------------------------------------------


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
            council.participations.select_related("intervention__subject_council", *cited),
            public,
        ).order_by("intervention__start_date", "intervention__title", "intervention_id", "position")
    )
    # Fetched newest first (undated before them), so that a long history keeps its latest
    # years and its undated rows; shown oldest first, undated last.
    inspections, inspection_more = capped(
        shown(inspection_rows(council.inspections.all()), public).reverse()
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

    def parts(self):
        council = self.object
        parts = council_lists(council, self.public)
        inspection_model = related_model(Council, "inspections")
        statistics_model = related_model(Council, "statistics")
        slug = council.slug
        parts.update(
            participation_groups=[
                (roles[0].intervention, roles)
                for _, group in groupby(parts["participations"], key=lambda p: p.intervention_id)
                for roles in [list(group)]
            ],
            predecessors=list(council.predecessors.all()),
            inspection_chart=inspection_chart(
                parts["inspections"], grade_scales(inspection_model, council), council.name
            ),
            spending_chart=spending_chart(spending_by_year(council, self.public), council.name),
            comparisons=comparisons(council, statistics_model, self.public),
            intervention_list_url=self.list_url("interventions:intervention-list", council=slug),
            judgement_list_url=self.list_url("ratings:judgement-list", council=slug),
            spending_list_url=self.list_url("ratings:spending-list", council=slug),
            table_limit=TABLE_LIMIT,
        )
        parts["disagreements"] = disagreements(
            (fact.discrepancy for fact in self.facts(parts) if hasattr(fact, "discrepancy")),
            public=self.public,
        )
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
            "successor": self.body(c.successor),
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
                "listed_at_most": TABLE_LIMIT,
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

FACTS_PER_KIND = TABLE_LIMIT

# Kinds of fact a source supports, in the order the page lists them: the reverse relation
# from Source, a heading, what to fetch with each row, and how to describe a row.
SOURCE_FACT_KINDS = [
    ("interventions_intervention_facts", "Interventions", ("subject_council", "discrepancy")),
    (
        "interventions_participant_facts",
        "Participants",
        ("intervention", "council", "organisation", "discrepancy"),
    ),
    ("interventions_phase_facts", "Phases", ("intervention", "discrepancy")),
    ("interventions_workstream_facts", "Workstreams", ("intervention", "discrepancy")),
    ("interventions_lesson_facts", "Lessons", ("intervention", "discrepancy")),
    ("interventions_milestone_facts", "Milestones", ("intervention", "discrepancy")),
    ("ratings_inspection_facts", "Inspections", ("council", "discrepancy")),
    ("ratings_judgement_facts", "Judgements", ("inspection", "discrepancy")),
    ("ratings_spendingline_facts", "Spending lines", ("council", "intervention", "discrepancy")),
    ("ratings_statistic_facts", "Statistics", ("council", "discrepancy")),
    (
        "interventions_interventionlink_facts",
        "Related interventions",
        ("from_intervention", "to_intervention"),
    ),
    ("interventions_council_facts", "Councils", ()),
    ("interventions_organisation_facts", "Organisations", ("council",)),
]


def describe_fact(fact) -> tuple[str, str]:
    """What a fact says, briefly, and the name of the record it belongs to."""
    name = fact._meta.model_name
    if name == "intervention":
        return fact.title, fact.subject_council.name
    if name in ("phase", "workstream"):
        return fact.name, fact.intervention.title
    if name == "participant":
        who = ", ".join(str(p) for p in (fact.person_name, fact.post) if p)
        body = fact.council or fact.organisation
        who = ", ".join(part for part in (who, str(body) if body else "") if part)
        return f"{who}: {fact.get_role_display()}", fact.intervention.title
    if name == "lesson":
        return f"{fact.get_kind_display()}: {fact.text}", fact.intervention.title
    if name == "milestone":
        return f"{fact.date_display or 'Undated'}: {fact.description}", fact.intervention.title
    if name == "inspection":
        grade = fact.overall_as_printed or fact.overall_grade or "no overall grade"
        return f"{fact.title}: {grade}", fact.council.name
    if name == "judgement":
        grade = fact.grade_as_printed or fact.grade or "no grade"
        area = f"{fact.section}: {fact.area}" if fact.section else fact.area
        return f"{area}: {grade}", fact.inspection.title
    if name == "spendingline":
        figure = fact.as_printed
        period = f" ({fact.period})" if fact.period else ""
        return f"{fact.line}{period}: {figure}", fact.council.name
    if name == "statistic":
        period = f" ({fact.period})" if fact.period else ""
        return f"{fact.measure}{period}: {fact.as_printed}", fact.council.name
    if name == "interventionlink":
        return (
            f"{fact.from_intervention.title} — {fact.get_kind_display().lower()} — "
            f"{fact.to_intervention.title}",
            "",
        )
    if name == "council":
        return fact.name, ""
    return str(fact), str(fact.council) if getattr(fact, "council", None) else ""


def fact_url(fact) -> str:
    if fact._meta.model_name == "interventionlink":
        return fact.from_intervention.get_absolute_url()
    if hasattr(fact, "get_absolute_url"):
        return fact.get_absolute_url()
    return ""


def differ_url(fact, url: str) -> str:
    """Where the page that shows a fact lists the versions of its disagreement."""
    discrepancy = getattr(fact, "discrepancy", None)
    if discrepancy is None or not url:
        return ""
    return f"{url.split('#')[0]}#differ-{discrepancy.slug}"


class SourceDetail(DetailPage):
    model = Source
    template_name = "interventions/source_detail.html"
    kind = "Source"

    def detail_queryset(self):
        return Source.objects.all()

    def title(self):
        return self.object.title

    def description(self):
        return self.object.summary

    def parts(self):
        source = self.object
        groups = []
        for accessor, heading, related in SOURCE_FACT_KINDS:
            manager = getattr(source, accessor)
            # One query per kind; one row beyond the cap tells us there are more.
            rows = list(self.shown(manager.select_related(*related))[: FACTS_PER_KIND + 1])
            groups.append(
                {
                    "key": accessor.split("_")[1],
                    "heading": heading,
                    "facts": [
                        {
                            "fact": fact,
                            "text": text,
                            "record": record,
                            "url": url,
                            "differ_url": differ_url(fact, url),
                        }
                        for fact in rows[:FACTS_PER_KIND]
                        for text, record in [describe_fact(fact)]
                        for url in [fact_url(fact)]
                    ],
                    "more": len(rows) > FACTS_PER_KIND,
                }
            )
        return {"fact_groups": groups, "fact_total": sum(len(g["facts"]) for g in groups)}

    def cited_sources(self, parts):
        return [self.object]

    def as_json(self, parts):
        s = self.object
        return {
            "url": self.absolute(s.get_absolute_url()),
            "slug": s.slug,
            "title": s.title,
            "kind": s.kind,
            "kind_label": s.get_kind_display(),
            "publisher": s.publisher,
            "authors": s.author_list,
            "date": partial_date_json(s.date, s.date_precision),
            "date_as_printed": s.date_as_printed,
            "web_address": s.url or None,
            "summary": s.summary,
            "notes": s.notes,
            "facts": {
                group["key"]: {
                    "heading": group["heading"],
                    "truncated_at": FACTS_PER_KIND if group["more"] else None,
                    "items": [
                        {
                            "says": item["text"],
                            "record": item["record"],
                            "url": self.absolute(item["url"]) if item["url"] else None,
                            "locator": item["fact"].locator,
                            "sources_differ": (
                                item["fact"].discrepancy.slug
                                if getattr(item["fact"], "discrepancy", None)
                                else None
                            ),
                        }
                        for item in group["facts"]
                    ],
                }
                for group in parts["fact_groups"]
            },
            "citation": self.citation_json(),
        }
