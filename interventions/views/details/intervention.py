"""The case-study page."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch, Q

from ... import glance
from ...memberships import with_disagreements
from ...models import (
    Intervention,
)
from .base import INSPECTION_WINDOW, DetailPage, capped, related_model, shown
from .serialise import (
    inspection_json,
    inspection_rows,
    money,
    partial_date_json,
    spending_json,
    statistic_json,
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
    judgements = related_model(queryset.model, "judgements").objects.select_related("source")
    queryset = inspection_rows(queryset).prefetch_related(
        Prefetch("judgements", with_disagreements(shown(judgements.order_by("position"), public)))
    )
    shown_rows = with_disagreements(shown(queryset, public))
    return capped(shown_rows.annotate(led_here=led_to(intervention)))


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
