"""The case-study page."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q
from django.urls import reverse
from django.utils.http import urlencode

from ... import glance
from ...addresses import absolute
from ...memberships import with_disagreements
from ...models import (
    Intervention,
)
from .base import (
    CASE_STUDY_INSPECTIONS,
    INSPECTION_WINDOW,
    DetailPage,
    related_model,
    shown,
)
from .serialise import (
    inspection_json,
    inspection_rows,
    money,
    partial_date_json,
    spending_json,
    statistic_json,
)


@dataclass
class InspectionWindow:
    """Which of the subject council's inspections a case study shows, and what it leaves out.

    The window is a run of years: the intervention's own (start to end; its start alone
    when no end is stated), stretched to take in any inspection said to have led to it,
    then widened a year either side at a time, at most INSPECTION_WINDOW years, while it
    holds at most CASE_STUDY_INSPECTIONS inspections (undated ones included). Without a
    start date it is the latest years. If the intervention's own years hold more than that,
    the page shows the first of them (those that led to it first) and says how many more."""

    council_slug: str
    first: int | None = None  # the years shown (None: no dated inspection is)
    last: int | None = None
    total: int = 0  # every inspection of the council the reader may see
    earlier: int = 0  # before `first`
    later: int = 0  # after `last`
    within: int = 0  # from `first` to `last`
    undated: int = 0
    shown: int = 0
    shown_undated: int = 0
    led: int = 0  # inspections said to have led to the intervention (always shown)
    around_period: bool = True  # False: an intervention with no start date (latest years)

    @property
    def more(self) -> bool:
        return self.shown < self.total

    @property
    def years(self) -> str:
        """ "2013 to 2022", "2016", or "" (no dated inspection shown)."""
        if self.first is None:
            return ""
        return str(self.first) if self.first == self.last else f"{self.first} to {self.last}"

    @property
    def hidden_within(self) -> int:
        """Dated inspections of the window's years the page has no room for."""
        return self.within - (self.shown - self.shown_undated)

    @property
    def hidden_undated(self) -> int:
        return self.undated - self.shown_undated

    def not_shown(self) -> list[dict]:
        """What the page leaves out, each part with the list of exactly those (where a
        list can hold exactly those: one without a year is only in the full list)."""
        parts = []
        if self.hidden_within:
            parts.append(
                {
                    "text": f"{self.hidden_within} more from {self.years}",
                    "url": self.within_url,
                    "link": f"all {self.within} of those years",
                }
            )
        if self.earlier:
            parts.append({"text": "", "url": self.earlier_url, "link": f"{self.earlier} earlier"})
        if self.later:
            parts.append({"text": "", "url": self.later_url, "link": f"{self.later} later"})
        if self.hidden_undated:
            parts.append({"text": f"{self.hidden_undated} with no year", "url": "", "link": ""})
        return parts

    def url(self, **years) -> str:
        params = {"council": self.council_slug, **years}
        return absolute(f"{reverse('ratings:inspection-list')}?{urlencode(params)}")

    @property
    def all_url(self) -> str:
        return self.url()

    @property
    def earlier_url(self) -> str:
        return self.url(year_to=self.first - 1) if self.first is not None else ""

    @property
    def later_url(self) -> str:
        return self.url(year_from=self.last + 1) if self.last is not None else ""

    @property
    def within_url(self) -> str:
        if self.first is None:
            return self.all_url
        return self.url(year_from=self.first, year_to=self.last)

    def as_json(self) -> dict:
        return {
            "years_shown": [self.first, self.last] if self.first is not None else None,
            "shown": self.shown,
            "total": self.total,
            "earlier": self.earlier,
            "later": self.later,
            "undated": self.undated,
            "in_years_shown_not_listed": self.hidden_within,
            "undated_not_listed": self.hidden_undated,
            "all": self.all_url,
            "earlier_list": self.earlier_url if self.earlier else None,
            "later_list": self.later_url if self.later else None,
        }


def window_years(
    counts: dict[int | None, int],
    core: tuple[int, int] | None,
    limit: int,
    reach: int,
) -> tuple[int, int] | None:
    """The run of years to show: `core` (the latest year with an inspection when None),
    widened a year either side at a time, at most `reach` times, while the window and the
    undated inspections number at most `limit`. Clipped to the years that have inspections."""
    dated = {year: n for year, n in counts.items() if year is not None}
    if not dated:
        return None
    undated = counts.get(None, 0)
    if core is None:
        core = (max(dated), max(dated))
    first, last = core

    def held(a, b):
        return undated + sum(n for year, n in dated.items() if a <= year <= b)

    low, high = min(dated), max(dated)
    for margin in range(1, reach + 1):
        a, b = core[0] - margin, core[1] + margin
        if held(a, b) > limit:
            break
        first, last = a, b
        if a <= low and b >= high:
            break  # every dated inspection is in it already
    clipped = (max(first, low), min(last, high))
    return clipped if clipped[0] <= clipped[1] else (first, last)


def inspections_around(intervention: Intervention, public: bool):
    """The subject council's inspections in the years around the intervention (its window,
    InspectionWindow), each with its judgements, and the window: three queries (the
    counts by year, the inspections, their judgements)."""
    council = intervention.subject_council
    everything = shown(council.inspections.all(), public)
    counts: dict[int | None, int] = {}
    led_years = []
    for row in (
        everything.annotate(led_here=led_to(intervention))
        .order_by()
        .values("year")
        .annotate(n=Count("pk"), led=Count("pk", filter=Q(led_here=True)))
    ):
        counts[row["year"]] = row["n"]
        if row["led"] and row["year"] is not None:
            led_years += [row["year"]] * row["led"]
    window = window_for(intervention, counts, led_years)
    queryset = council.inspections.all()
    if window.first is not None:
        queryset = queryset.filter(
            Q(year__isnull=True) | Q(year__range=(window.first, window.last))
        )
    else:
        queryset = queryset.filter(year__isnull=True)
    judgements = related_model(queryset.model, "judgements").objects.select_related("source")
    queryset = inspection_rows(queryset).prefetch_related(
        Prefetch("judgements", with_disagreements(shown(judgements.order_by("position"), public)))
    )
    rows = with_disagreements(shown(queryset, public)).annotate(led_here=led_to(intervention))
    rows = list(rows.order_by("-led_here", *WINDOW_ORDER)[:CASE_STUDY_INSPECTIONS])
    rows.sort(key=chronological)
    window.shown = len(rows)
    window.shown_undated = sum(1 for row in rows if row.year is None)
    return rows, window


WINDOW_ORDER = (F("year").asc(nulls_last=True), F("start_date").asc(nulls_last=True), "slug")


def chronological(inspection) -> tuple:
    """Oldest first, undated last (as the inspections table always was)."""
    return (
        inspection.year is None,
        inspection.year or 0,
        inspection.start_date is None,
        inspection.start_date or datetime.date.min,
        inspection.slug,
    )


def window_for(intervention: Intervention, counts: dict, led_years: list[int]):
    """The InspectionWindow for the council's inspections counted by year (`counts`)."""
    core = None
    if intervention.start_date:
        start = intervention.start_date.year
        core = (start, (intervention.end_date or intervention.start_date).year)
    if led_years:
        years = [*led_years, *(core or ())]
        core = (min(years), max(years))
    years = window_years(counts, core, CASE_STUDY_INSPECTIONS, INSPECTION_WINDOW)
    window = InspectionWindow(
        council_slug=intervention.subject_council.slug,
        total=sum(counts.values()),
        undated=counts.get(None, 0),
        around_period=core is not None,
        led=len(led_years),
    )
    if years is not None:
        window.first, window.last = years
        for year, n in counts.items():
            if year is None:
                continue
            if year < window.first:
                window.earlier += n
            elif year > window.last:
                window.later += n
            else:
                window.within += n
    return window


def led_to(intervention: Intervention) -> Exists:
    """Whether an inspection is one the report says led to this intervention."""
    field = Intervention._meta.get_field("trigger_inspections").field
    links = field.remote_field.through.objects.filter(
        **{field.m2m_field_name(): OuterRef("pk"), field.m2m_reverse_field_name(): intervention.pk}
    )
    return Exists(links)


class InterventionDetail(DetailPage):
    model = Intervention
    template_name = "interventions/intervention_detail.html"
    kind = "Case study"

    list_route = "interventions:intervention-list"
    list_title = "Interventions"

    def detail_queryset(self):
        return Intervention.objects.for_detail(self.public)

    def title(self):
        return self.object.title

    def description(self):
        return self.object.summary

    def glance(self, parts):
        return glance.case_study(self.object, parts)

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
            "status_as_of": partial_date_json(i, "status_as_of"),
            "status_note": i.status_note,
            "mentioned_in_passing": i.mentioned_only,
            "service_areas": [area.name for area in parts["service_areas"]],
            "start": partial_date_json(i, "start_date"),
            "end": partial_date_json(i, "end_date"),
            "summary": i.summary,
            "trigger": i.trigger,
            "target": i.target,
            "outcome": i.outcome,
            "status_reported_in": self.body(i.source) if i.status not in ("", "unknown") else None,
            "cost": {
                "low_gbp": money(getattr(parts["cost"]["low"], "amount_gbp", None)),
                "high_gbp": money(getattr(parts["cost"]["high"], "amount_gbp", None)),
                "sources_differ": parts["cost"]["differ"],
                "spending_lines": [line.ref for line in parts["cost"]["lines"]],
            },
            "target_met": i.target_met or None,
            "target_met_label": i.get_target_met_display() if i.target_met else None,
            "target_met_note": i.target_met_note,
            **self.cited(i),
            "participants": [
                {
                    "position": p.position,
                    "council": self.body(p.council),
                    "organisation": self.body(p.organisation),
                    "person": p.person_name,
                    "person_record": self.body(p.person),
                    "post": p.post,
                    # a role the report describes without naming anyone in it
                    "described_as": p.described_as,
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
                    "start": partial_date_json(p, "start_date"),
                    "end": partial_date_json(p, "end_date"),
                    "led_by": p.led_by,
                    "description": p.description,
                    **self.cited(p),
                }
                for p in parts["phases"]
            ],
            "milestones": [
                {
                    "position": m.position,
                    "date": partial_date_json(m, "date"),
                    "end_date": partial_date_json(m, "end_date"),
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
            "subject_council_inspections_window": parts["inspection_window"].as_json(),
            "subject_council_inspections": [
                inspection_json(
                    self,
                    inspection,
                    timing=inspection.timing,
                    timing_label=inspection.timing_label,
                    timing_detail=inspection.timing_detail,
                    led_to_this_intervention=inspection.led_here,
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
