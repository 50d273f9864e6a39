"""The council page: its interventions, inspection and spending charts, statistics."""

from __future__ import annotations

from ... import glance
from ...models import (
    Council,
)
from . import base
from .base import DetailPage
from .serialise import (
    inspection_json,
    partial_date_json,
    spending_json,
    statistic_json,
)


class CouncilDetail(DetailPage):
    model = Council
    template_name = "interventions/council_detail.html"
    kind = "Council"

    list_route = "interventions:council-list"
    list_title = "Councils"

    def detail_queryset(self):
        return Council.objects.for_detail()

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
                    "start": partial_date_json(i, "start_date"),
                    "end": partial_date_json(i, "end_date"),
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
            "organisations": [
                {
                    **self.body(o),
                    "owners": [self.body(c) for c in o.owners_shown],
                    "owners_not_yet_published": o.owners_withheld,
                }
                for o in parts["organisations"]
            ],
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
                "listed_at_most": base.COUNCIL_ROWS,
            },
            # how many there are in all (the page lists the most recent COUNCIL_ROWS)
            "totals": {
                "interventions": parts["intervention_total"],
                "participations": parts["participation_total"],
                "inspections": parts["inspection_total"],
                "spending_lines": parts["spending_total"],
                "statistics": parts["statistic_total"],
            },
            "spending_by_year": [
                {"year": y["year"], "figures": y["figures"], "list": y["url"] or None}
                for y in parts["spending_years"]
            ],
            "lists": {
                "interventions": parts["intervention_list_url"],
                "inspections": parts["inspection_list_url"],
                "judgements": parts["judgement_list_url"],
                "spending_lines": parts["spending_list_url"],
                "statistics": parts["statistic_list_url"],
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
