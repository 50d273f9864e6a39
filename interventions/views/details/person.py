"""The person page: a name as printed (and its variants), the posts held, the roles taken.

Each post and each role is footnoted to its report. A role's council, a post's council and
the report that first names the person may be drafts: those are not named to the public
(interventions.visibility).
"""

from __future__ import annotations

from ... import glance
from ...models import Person
from . import base
from .base import DetailPage
from .serialise import partial_date_json, statistic_json


class PersonDetail(DetailPage):
    model = Person
    template_name = "interventions/person_detail.html"
    kind = "Person"

    list_route = "interventions:person-list"
    list_title = "People"

    def detail_queryset(self):
        return Person.objects.for_detail()

    def description(self):
        return (
            "A person the reports name: the posts they held and the interventions they took "
            "part in, with their roles and dates."
        )

    def glance(self, parts):
        return glance.person_page(self.object, parts)

    def as_json(self, parts):
        person = self.object
        return {
            "url": self.absolute(person.get_absolute_url()),
            "slug": person.slug,
            "name": person.name,
            "variants": person.variant_list,
            "note": person.note,
            **self.cited(person),
            "posts": [
                {
                    "position": post.position,
                    "title": post.title,
                    "council": self.body(post.council),
                    "organisation": self.body(post.organisation),
                    "start": partial_date_json(post, "start_date"),
                    "end": partial_date_json(post, "end_date"),
                    **self.cited(post),
                }
                for post in parts["posts"]
            ],
            "participations": [
                {
                    "intervention": self.body(p.intervention),
                    "subject_council": self.body(p.intervention.subject_council),
                    "role": p.role,
                    "role_label": p.get_role_display(),
                    "post": p.post,
                    "council": self.body(p.council),
                    "organisation": self.body(p.organisation),
                    "description": p.description,
                    "start": partial_date_json(p.intervention, "start_date"),
                    "end": partial_date_json(p.intervention, "end_date"),
                    **self.cited(p),
                }
                for p in parts["participations"]
            ],
            "statistics": [statistic_json(self, s) for s in parts["statistics"]],
            "truncated": {
                "posts": parts["post_more"],
                "participations": parts["participation_more"],
                "statistics": parts["statistic_more"],
                "listed_at_most": base.TABLE_LIMIT,
            },
            "sources_differ": self.disagreements_json(parts["disagreements"]),
            "citation": self.citation_json(),
        }
