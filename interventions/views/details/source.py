"""The source page: a report and every fact in Casebook that cites it."""

from __future__ import annotations

from ... import glance
from ...citations import ReportCitation
from ...models import (
    Source,
)
from ...record_sections import FACTS_PER_KIND
from ...sections import site
from ...visibility import name_or_placeholder
from .base import TABLE_LIMIT, DetailPage
from .serialise import partial_date_json

KIND_PAGE = TABLE_LIMIT  # a page of one kind (`?facts=participant&page=2`)

# Kinds of fact a source supports, in the order the page lists them: each app registers
# its own (interventions.sections.FactKind.source_row): the reverse relation from Source,
# a heading, what to fetch with each row, and how to describe a row.
OWN_SOURCE_ROWS = {
    "interventions.intervention": (
        "interventions_intervention_facts",
        "Interventions",
        ("subject_council",),
        10,
    ),
    "interventions.participant": (
        "interventions_participant_facts",
        "Participants",
        ("intervention", "council", "organisation"),
        20,
    ),
    "interventions.phase": (
        "interventions_phase_facts",
        "Phases",
        ("intervention",),
        30,
    ),
    "interventions.workstream": (
        "interventions_workstream_facts",
        "Workstreams",
        ("intervention",),
        40,
    ),
    "interventions.lesson": (
        "interventions_lesson_facts",
        "Lessons",
        ("intervention",),
        50,
    ),
    "interventions.milestone": (
        "interventions_milestone_facts",
        "Milestones",
        ("intervention",),
        60,
    ),
    "interventions.interventionlink": (
        "interventions_interventionlink_facts",
        "Related interventions",
        ("from_intervention", "to_intervention"),
        110,
    ),
    "interventions.council": ("interventions_council_facts", "Councils", (), 120),
    "interventions.organisation": (
        "interventions_organisation_facts",
        "Organisations",
        (),
        130,
    ),
    "interventions.person": ("interventions_person_facts", "People", (), 140),
    "interventions.post": (
        "interventions_post_facts",
        "Posts held",
        ("person", "council", "organisation"),
        145,
    ),
}


def describe_fact(fact, public: bool = True) -> tuple[str, str]:
    """What a fact says, briefly, and the name of the record it belongs to.

    A related record the reader may not see is "Not yet published" (interventions.visibility).
    """
    name = fact._meta.model_name
    if name == "intervention":
        return fact.title, fact.subject_council.name
    if name in ("phase", "workstream"):
        return fact.name, fact.intervention.title
    if name == "participant":
        who = ", ".join(str(p) for p in (fact.person_name, fact.post, fact.described_as) if p)
        body = fact.council or fact.organisation
        who = ", ".join(part for part in (who, name_or_placeholder(body, public)) if part)
        return f"{who}: {fact.get_role_display()}", fact.intervention.title
    if name == "lesson":
        return f"{fact.get_kind_display()}: {fact.text}", fact.intervention.title
    if name == "milestone":
        return f"{fact.date_display or 'Undated'}: {fact.description}", fact.intervention.title
    kind = site.fact(fact._meta.label_lower)
    if kind is not None and kind.describe_for_source is not None:
        return kind.describe_for_source(fact, public)  # registered by the model's own app
    if name == "interventionlink":
        return (
            f"{fact.from_intervention.title} — {fact.get_kind_display().lower()} — "
            f"{fact.to_intervention.title}",
            "",
        )
    if name in ("council", "person"):
        return fact.name, ""
    if name == "post":
        body = name_or_placeholder(fact.council or fact.organisation, public)
        return ", ".join(p for p in (fact.title, body) if p), fact.person.name
    return str(fact), name_or_placeholder(getattr(fact, "council", None), public)


def fact_url(fact) -> str:
    if fact._meta.model_name == "interventionlink":
        return fact.from_intervention.get_absolute_url()
    if hasattr(fact, "get_absolute_url"):
        return fact.get_absolute_url()
    return ""


class SourceDetail(DetailPage):
    model = Source
    template_name = "interventions/source_detail.html"
    kind = "Source"

    list_route = "interventions:source-list"
    list_title = "Sources"

    def detail_queryset(self):
        return Source.objects.for_detail()

    def title(self):
        return self.object.title

    def description(self):
        return self.object.summary

    def glance(self, parts):
        return glance.source_page(self.object, parts)

    extra_query_params = ("facts", "page")

    def parts(self):
        # Its sections: the report's details and the facts citing it, by kind (each app
        # registers its own kinds: FactKind.source_row), as the reader chose (`?facts=`).
        options = {key: self.request.GET.get(key, "") for key in self.extra_query_params}
        return self.section_parts(limit=KIND_PAGE, options=options)

    def cited_sources(self, parts):
        return [self.object]

    def cite(self, citation):
        """A source page cites the report itself, accessed via this page."""
        return ReportCitation(source=self.object, via=citation)

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
            "prepared_for": s.prepared_for,
            "pages": s.pages,
            "date": partial_date_json(s, "date"),
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
                            **self.differ_json(item["fact"]),
                        }
                        for item in group["facts"]
                    ],
                }
                for group in parts["fact_groups"]
            },
            "citation": self.citation_json(),
        }
