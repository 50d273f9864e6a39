"""The organisation page: what a department, inspectorate, provider or board took part in.

Its roles in interventions, the inspections it carried out (an inspectorate's) and the money
paid to or by it, each footnoted. Inspections and spending lines are reached through the
reverse relations, never by importing `ratings`.
"""

from __future__ import annotations

from itertools import chain, groupby

from django.urls import reverse

from ... import glance
from ...models import Organisation
from ...visibility import may_name, named
from . import base
from .base import DetailPage, capped, shown
from .serialise import (
    inspection_json,
    inspection_rows,
    partial_date_json,
    spending_json,
    spending_rows,
)


def organisation_lists(organisation: Organisation, public: bool) -> dict:
    """Each list on the page: one query each, at most TABLE_LIMIT rows."""
    participations, participation_more = capped(
        shown(
            organisation.participations.select_related(
                "intervention__subject_council",
                "intervention__source",
                "person",
                "source",
                "discrepancy",
            ),
            public,
        ).order_by("intervention__start_date", "intervention__title", "intervention_id", "position")
    )
    inspections, inspection_more = capped(
        shown(inspection_rows(organisation.inspections.all()), public).select_related("council")
    )
    received, received_more = capped(
        shown(spending_rows(organisation.payments_received.all()), public)
    )
    paid, paid_more = capped(shown(spending_rows(organisation.payments_made.all()), public))
    return {
        "participations": participations,
        "participation_more": participation_more,
        "participation_groups": [
            (roles[0].intervention, roles)
            for _, group in groupby(participations, key=lambda p: p.intervention_id)
            for roles in [list(group)]
        ],
        "inspections": inspections,
        "inspection_more": inspection_more,
        "payments_received": received,
        "received_more": received_more,
        "payments_made": paid,
        "paid_more": paid_more,
    }


class OrganisationDetail(DetailPage):
    model = Organisation
    template_name = "interventions/organisation_detail.html"
    kind = "Organisation"

    list_route = "interventions:organisation-list"
    list_title = "Organisations"

    def detail_queryset(self):
        return Organisation.objects.select_related(
            "council", "source", "successor"
        ).prefetch_related("predecessors")

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

    def parts(self):
        organisation = self.object
        parts = organisation_lists(organisation, self.public)
        parts.update(
            council=named(organisation.council, self.public),
            council_withheld=organisation.council_id is not None
            and not may_name(organisation.council, self.public),
            successor=organisation.successor,
            predecessors=list(organisation.predecessors.all()),
            table_limit=base.TABLE_LIMIT,
            inspection_list_url=self.list_url(
                "ratings:inspection-list", inspectorate=organisation.slug
            ),
            organisation_list_url=self.absolute(reverse("interventions:organisation-list")),
        )
        parts["disagreements"] = self.disagreements(parts)
        return parts

    def facts(self, parts):
        return chain(
            [self.object],
            parts["participations"],
            parts["inspections"],
            parts["payments_received"],
            parts["payments_made"],
            (v for d in parts.get("disagreements", []) for v in d.versions),
        )

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
            "council": self.body(o.council),
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
                    "start": partial_date_json(
                        p.intervention.start_date, p.intervention.start_date_precision
                    ),
                    "end": partial_date_json(
                        p.intervention.end_date, p.intervention.end_date_precision
                    ),
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
            "truncated": {
                "participations": parts["participation_more"],
                "inspections": parts["inspection_more"],
                "payments_received": parts["received_more"],
                "payments_made": parts["paid_more"],
                "listed_at_most": base.TABLE_LIMIT,
            },
            "sources_differ": self.disagreements_json(parts["disagreements"]),
            "citation": self.citation_json(),
        }
