"""What `interventions` registers in the section registry (interventions.sections).

Called from InterventionsConfig.ready(): the case study's own sections (key facts, timeline,
who took part, workstreams, lessons) and the fact kinds this app owns, with their footnote
columns, the page that shows each, their place in a version and on a source page.
"""

from __future__ import annotations

from .footnotes import OWN_COLUMNS, OWN_PAGE_URLS
from .models.cases import PARENTS
from .sections import FactKind, Section, State, site

CASE_STUDY = "interventions.intervention"
# A case study's parts, each kept in its own history: a version shows them as they stood.
PARTS = {
    "interventions.participant": ("participants", "Who took part"),
    "interventions.phase": ("phases", "Phases"),
    "interventions.workstream": ("workstreams", "Workstreams"),
    "interventions.lesson": ("lessons", "Lessons"),
    "interventions.milestone": ("milestones", "Timeline"),
}
CITED = ("source",)
# The kinds of record this app gives a page, each cited by its numbered versions.
RECORDS = (
    CASE_STUDY,
    "interventions.council",
    "interventions.organisation",
    "interventions.source",
    "interventions.person",
)
PERSON = "interventions.person"
# A person's parts: the posts they held, kept in their own history, shown in each version.
PERSON_PARTS = {"interventions.post": ("posts", "Posts held")}


def load_facts(intervention, state: State) -> dict:
    # Service areas are not kept in any history: a version shows today's.
    return {"service_areas": list(intervention.service_areas.all())}


def load_timeline(intervention, state: State) -> dict:
    return {
        "phases": state.rows(intervention, "phases", CITED),
        "milestones": state.rows(intervention, "milestones", CITED),
    }


def load_participants(intervention, state: State) -> dict:
    related = (*CITED, "council", "organisation", "person")
    return {"participants": state.rows(intervention, "participants", related)}


def load_workstreams(intervention, state: State) -> dict:
    return {"workstreams": state.rows(intervention, "workstreams", CITED)}


def load_lessons(intervention, state: State) -> dict:
    from .views.details.serialise import LESSON_GROUPS

    lessons = state.rows(intervention, "lessons", CITED)
    return {
        "lessons": lessons,
        "lesson_groups": [
            (kind, heading, [lesson for lesson in lessons if lesson.kind == kind])
            for kind, heading in LESSON_GROUPS
        ],
    }


def load_related(intervention, state: State) -> dict:
    """The case studies it is linked to, either way, each with the kind of link (live:
    prefetched by Intervention.objects.for_detail())."""
    from .views.details.serialise import LINK_INVERSE

    ends = ("source", *(f"{end}_intervention__{p}" for end in ("to", "from") for p in PARENTS))
    order = ("kind", "id")
    links_from = state.rows(intervention, "links_from", ends, order)
    links_to = state.rows(intervention, "links_to", ends, order)
    return {
        "related": [(link.get_kind_display(), link.to_intervention, link) for link in links_from]
        + [
            (LINK_INVERSE.get(link.kind, link.get_kind_display()), link.from_intervention, link)
            for link in links_to
        ]
    }


SECTIONS = [
    Section(
        "facts", "Key facts", "sections/interventions/facts.html", (CASE_STUDY,), load_facts, 10
    ),
    Section(
        "timeline",
        "Timeline",
        "sections/interventions/timeline.html",
        (CASE_STUDY,),
        load_timeline,
        20,
        shown=lambda c: bool(c["phases"] or c["milestones"]),
        facts=lambda c: [*c["phases"], *c["milestones"]],
    ),
    Section(
        "participants",
        "Who took part",
        "sections/interventions/participants.html",
        (CASE_STUDY,),
        load_participants,
        30,
        facts_order=15,  # the page's sources list them first
        shown=lambda c: bool(c["participants"]),
        facts=lambda c: c["participants"],
    ),
    Section(
        "workstreams",
        "Workstreams",
        "sections/interventions/workstreams.html",
        (CASE_STUDY,),
        load_workstreams,
        40,
        shown=lambda c: bool(c["workstreams"]),
        facts=lambda c: c["workstreams"],
    ),
    Section(
        "lessons",
        "Lessons",
        "sections/interventions/lessons.html",
        (CASE_STUDY,),
        load_lessons,
        50,
        shown=lambda c: bool(c["lessons"]),
        facts=lambda c: c["lessons"],
    ),
    Section(
        "related",
        "Related interventions",
        "sections/interventions/related.html",
        (CASE_STUDY,),
        load_related,
        90,
        shown=lambda c: bool(c["related"]),
        facts=lambda c: [link for _, _, link in c["related"]],
    ),
]


def register():
    from .views.details.source import OWN_SOURCE_ROWS

    labels = [*OWN_COLUMNS, *(k for k in OWN_SOURCE_ROWS if k not in OWN_COLUMNS)]
    for label in labels:
        part = PARTS.get(label)
        person_part = PERSON_PARTS.get(label)
        version_parts = [(CASE_STUDY, *part)] if part else []
        if person_part:
            version_parts.append((PERSON, *person_part))
        site.register_fact(
            FactKind(
                label=label,
                footnote=OWN_COLUMNS.get(label),
                page_url=OWN_PAGE_URLS.get(label),
                version_parts=version_parts,
                source_row=OWN_SOURCE_ROWS.get(label),
            )
        )
    for section in SECTIONS:
        site.register_section(section)
    for record in RECORDS:
        site.register_record(record)
