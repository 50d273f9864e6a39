"""The organisation page: what a department, inspectorate, provider or board took part in.

Its roles in interventions, the inspections it carried out (an inspectorate's) and the money
paid to or by it, each footnoted. Inspections and spending lines are reached through the
reverse relations, never by importing `ratings`.
"""

from __future__ import annotations

from ... import glance
from ...models import Organisation
from . import base
from .base import DetailPage
from .serialise import (
    inspection_json,
    partial_date_json,
    spending_json,
    statistic_json,
)


class OrganisationDetail(DetailPage):
    model = Organisation
    template_name = "interventions/organisation_detail.html"
    kind = "Organisation"

    list_route = "interventions:organisation-list"
    list_title = "Organisations"

    def detail_queryset(self):
        return Organisation.objects.for_detail()

    def citation_queryset(self):
        return Organisation.objects.all()

    def title(self):
        return str(self.object)

    def description(self):
        return (
            f"{self.object.get_kind_display()}: the interventions it took part in, with its "
            "roles and dates, and the inspections and money the reports record for it."
        )

    def glance(self, parts):
        return glance.organisation_page(self.object, parts)

    def as_json(self, parts):
        o = self.object
        return {
            "url": self.absolute(o.get_absolute_url()),
            "slug": o.slug,
            "name": o.name,
            "abbreviation": o.abbreviation,
            "kind": o.kind,
            "kind_label": o.get_kind_display(),
            "description": o.description,
            "owners": [self.body(council) for council in parts["owners"]],
            "successor": self.body(parts["successor"]),
            "predecessors": [self.body(p) for p in parts["predecessors"]],
            **self.cited(o),
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
                    "start": partial_date_json(p.intervention, "start_date"),
                    "end": partial_date_json(p.intervention, "end_date"),
                    **self.cited(p),
                }
                for p in parts["participations"]
            ],
            "inspections": [
                inspection_json(
                    self, i, council=self.body(i.council), judgement_count=i.judgement_count
                )
                for i in parts["inspections"]
            ],
            "payments_received": [spending_json(self, s) for s in parts["payments_received"]],
            "payments_made": [spending_json(self, s) for s in parts["payments_made"]],
            "statistics": [statistic_json(self, s) for s in parts["statistics"]],
            "truncated": {
                "participations": parts["participation_more"],
                "inspections": parts["inspection_more"],
                "payments_received": parts["received_more"],
                "payments_made": parts["paid_more"],
                "statistics": parts["statistic_more"],
                "listed_at_most": base.TABLE_LIMIT,
            },
            "sources_differ": self.disagreements_json(parts["disagreements"]),
            "citation": self.citation_json(),
        }
