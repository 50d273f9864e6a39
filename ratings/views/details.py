"""The inspection page: one inspection with every judgement, in printed order."""

from interventions.glance import GlanceItem, plural
from interventions.views.details.base import DetailPage
from interventions.views.details.serialise import inspection_json, partial_date_json

from ..models import Inspection


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
        return Inspection.objects.for_detail(self.public)

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

    def as_json(self, parts):
        i = self.object
        return inspection_json(
            self,
            i,
            council=self.body(i.council),
            start=partial_date_json(i, "start_date"),
            end=partial_date_json(i, "end_date"),
            published=partial_date_json(i, "published_date"),
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
