"""The inspection page: one inspection with every judgement, in printed order."""

from itertools import groupby

from django.db.models import F, Prefetch

from interventions.footnotes import disagreements
from interventions.glance import GlanceItem, plural
from interventions.views.details.base import DetailPage, capped, shown
from interventions.views.details.serialise import inspection_json, partial_date_json

from ..models import Inspection, Judgement


def inspection_for_detail(public: bool = True):
    """The inspection, its council and every judgement, in printed order."""
    judgements = Judgement.objects.select_related("source", "discrepancy").order_by("position")
    return Inspection.objects.select_related(
        "council", "inspectorate", "source", "discrepancy"
    ).prefetch_related(Prefetch("judgements", shown(judgements, public)))


def inspection_glance(inspection, parts: dict) -> list[GlanceItem]:
    council = inspection.council
    items = [
        GlanceItem("Council", council.name, url=council.get_absolute_url()),
        GlanceItem("Framework", inspection.get_framework_display()),
    ]
    if inspection.inspectorate_id:
        items.append(GlanceItem("Inspectorate", str(inspection.inspectorate)))
    when = inspection.period or (str(inspection.year) if inspection.year else "")
    items.append(GlanceItem("When", when or "Not stated"))
    grade = inspection.overall_grade or inspection.overall_as_printed
    items.append(GlanceItem("Overall grade", grade or "No overall grade"))
    items.append(
        GlanceItem(
            "Judgements",
            plural(len(parts.get("judgements", [])), "judgement"),
            url="#judgements-heading",
        )
    )
    return items


class InspectionDetail(DetailPage):
    model = Inspection
    template_name = "ratings/inspection_detail.html"
    kind = "Inspection"

    list_route = "ratings:inspection-list"
    list_title = "Inspections"

    def detail_queryset(self):
        return inspection_for_detail(self.public)

    def citation_queryset(self):
        return Inspection.objects.select_related("council")

    def title(self):
        return self.object.title

    def description(self):
        inspection = self.object
        grade = inspection.overall_as_printed or inspection.overall_grade
        text = f"{inspection.get_framework_display()} of {inspection.council.name}"
        if inspection.period or inspection.year:
            text += f", {inspection.period or inspection.year}"
        if grade:
            text += f": overall {grade}"
        return text + ". Every judgement in the order printed, each cited to its report."

    def glance(self, parts):
        return inspection_glance(self.object, parts)

    def parts(self):
        inspection = self.object
        judgements = list(inspection.judgements.all())
        sections = [
            {"name": name, "judgements": list(rows)}
            for name, rows in groupby(judgements, key=lambda j: j.section)
        ]
        others, other_more = capped(
            self.shown(inspection.council.inspections.exclude(pk=inspection.pk)).order_by(
                F("year").desc(nulls_last=True), "slug"
            )
        )
        parts = {
            "judgements": judgements,
            "sections": sections,
            "other_inspections": others,
            "other_more": other_more,
            "judgement_list_url": self.list_url(
                "ratings:judgement-list", council=inspection.council.slug
            ),
        }
        parts["disagreements"] = disagreements(
            [inspection.discrepancy, *(j.discrepancy for j in judgements)], public=self.public
        )
        return parts

    def facts(self, parts):
        return [
            self.object,
            *parts["judgements"],
            *(v for d in parts.get("disagreements", []) for v in d.versions),
        ]

    def as_json(self, parts):
        i = self.object
        return inspection_json(
            self,
            i,
            council=self.body(i.council),
            start=partial_date_json(i.start_date, i.start_date_precision),
            end=partial_date_json(i.end_date, i.end_date_precision),
            published=partial_date_json(i.published_date, i.published_date_precision),
            summary=i.summary,
            judgements=[
                {
                    "position": j.position,
                    "section": j.section,
                    "area": j.area,
                    "grade": j.grade,
                    "score": j.score,
                    "grade_as_printed": j.grade_as_printed,
                    **self.cited(j),
                }
                for j in parts["judgements"]
            ],
            other_inspections=[
                {"title": o.title, "url": self.absolute(o.get_absolute_url()), "year": o.year}
                for o in parts["other_inspections"]
            ],
            sources_differ=self.disagreements_json(parts["disagreements"]),
            citation=self.citation_json(),
        )
