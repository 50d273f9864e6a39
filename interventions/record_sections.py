"""The sections `interventions` owns on the council, organisation and source pages.

Registered from InterventionsConfig.ready() beside the case study's (interventions.own_sections).
Each loader reads the live record (what the page's `for_detail()` fetched, or one capped query)
or the record as it stood at a version's moment (interventions.sections.State), so the page and
its version pages include the same templates with the same names.
"""

from __future__ import annotations

from itertools import groupby

from django.db.models import F

from .addresses import absolute
from .memberships import with_disagreements
from .sections import Section, State, site
from .visibility import may_name, named

COUNCIL = "interventions.council"
ORGANISATION = "interventions.organisation"
CITED = ("source",)


def shown(queryset, public: bool):
    """Only what the public may see, unless staff are previewing drafts."""
    return queryset.published() if public else queryset


def by_intervention(participations) -> list:
    """(intervention, its roles) for each intervention, in the order the roles came."""
    return [
        (roles[0].intervention, roles)
        for _, group in groupby(participations, key=lambda p: p.intervention_id)
        for roles in [list(group)]
    ]


def participations(body, state: State, with_rows=("person",), limit: int | None = None) -> dict:
    """A council's, an organisation's or a person's roles in interventions, by intervention,
    oldest first; `with_rows`: what else each role names (its person, or its body). With
    `limit`, the roles in the most recent interventions, and how many roles there are."""
    related = ("intervention__subject_council", "intervention__source", *with_rows, *CITED)
    order = (
        F("intervention__start_date").asc(nulls_first=True),
        "intervention__title",
        "intervention_id",
        "position",
    )
    if limit is None:
        live = shown(body.participations.select_related(*related), state.public).order_by(*order)
        rows, more = state.listed(body, "participations", live, related, order)
        total = None
    else:
        newest = tuple(reverse_order(order))
        live = shown(body.participations.select_related(*related), state.public)
        every = shown(body.participations.all(), state.public)
        rows, more, total = state.listed_of(
            body, "participations", live.order_by(*newest), every, related, newest, limit
        )
        rows.reverse()
    return {
        "participations": rows,
        "participation_more": more,
        "participation_total": total,
        "participation_groups": by_intervention(rows),
    }


def reverse_order(order):
    """The opposite of an ordering (`F(...).asc(nulls_first=True)` → `desc(nulls_last)`)."""
    for term in order:
        if isinstance(term, str):
            yield term[1:] if term.startswith("-") else f"-{term}"
        else:
            yield (
                term.expression.asc(nulls_first=bool(term.nulls_last))
                if term.descending
                else term.expression.desc(nulls_last=bool(term.nulls_first))
            )


def list_url(name: str, **params) -> str:
    from django.urls import reverse
    from django.utils.http import urlencode

    query = f"?{urlencode(params)}" if params else ""
    return absolute(f"{reverse(name)}{query}")


# The council page ------------------------------------------------------------------------


def load_council_about(council, state: State) -> dict:
    # Live: prefetched by Council.objects.for_detail(), no query.
    predecessors = state.rows(council, "predecessors", ("source",), order=("name",))
    return {
        "predecessors": [p for p in predecessors if may_name(p, state.public)],
        "successor": named(council.successor, state.public) if council.successor_id else None,
        "organisations": owned_organisations(council, state),
    }


def owned_organisations(council, state: State) -> list:
    """The boards and units of a council and the bodies it owns, alone or jointly, each with
    `owners_shown`: every owner the reader may see, in the order printed (a jointly owned
    body names them all), and `owners_withheld`: how many more are drafts.

    One query, live or as of a moment: every ownership of every body this council owns."""
    from .models import Ownership

    related = ("organisation__source", "council")
    if state.live:
        mine = Ownership.objects.filter(council=council).values("organisation_id")
        rows = list(
            Ownership.objects.filter(organisation_id__in=mine)
            .select_related(*related)
            .order_by("organisation__name", "organisation_id", "position", "id")
        )
    else:
        history = state.as_of(Ownership)
        mine = history.filter(council_id=council.pk).values("organisation_id")
        records = state.shown(Ownership, history.filter(organisation_id__in=mine)).order_by(
            "organisation__name", "organisation_id", "position", "id"
        )
        rows = state.instances(records, related)
    organisations = []
    for _, group in groupby(rows, key=lambda row: row.organisation_id):
        group = list(group)
        organisation = group[0].organisation
        councils = [row.council for row in group]
        organisation.owners_shown = [c for c in councils if may_name(c, state.public)]
        organisation.owners_withheld = len(councils) - len(organisation.owners_shown)
        organisations.append(organisation)
    return organisations


def load_council_interventions(council, state: State) -> dict:
    from .views.details.base import COUNCIL_ROWS

    order = tuple(reverse_order((F("start_date").asc(nulls_first=True), "title", "id")))
    live = shown(council.interventions.select_related(*CITED), state.public).order_by(*order)
    every = shown(council.interventions.all(), state.public)
    interventions, more, total = state.listed_of(
        council, "interventions", live, every, CITED, order, COUNCIL_ROWS
    )
    interventions.reverse()  # shown oldest first
    return {
        "interventions": interventions,
        "intervention_more": more,
        "intervention_total": total,
        "intervention_list_url": list_url("interventions:intervention-list", council=council.slug),
        **participations(council, state, limit=COUNCIL_ROWS),
    }


# The organisation page -------------------------------------------------------------------


def load_organisation_about(organisation, state: State) -> dict:
    # Live: prefetched by Organisation.objects.for_detail(), no query; as of a moment, one.
    ownerships = state.rows(organisation, "ownerships", ("council",), order=("position", "id"))
    return {
        # every owner, in the order printed; a draft one is shown as not yet published
        "owners": [o.council for o in ownerships],
        "successor": organisation.successor if organisation.successor_id else None,
        "predecessors": state.rows(organisation, "predecessors", order=("name",)),
        "organisation_list_url": list_url("interventions:organisation-list"),
    }


def load_organisation_participations(organisation, state: State) -> dict:
    return participations(organisation, state)


# The person page ------------------------------------------------------------------------

PERSON = "interventions.person"


def load_person_about(person, state: State) -> dict:
    return {"person_list_url": list_url("interventions:person-list")}


def load_person_posts(person, state: State) -> dict:
    related = ("council", "organisation", "source")
    live = shown(person.posts.select_related(*related), state.public).order_by("position")
    posts, more = state.listed(person, "posts", live, related, ("position", "id"))
    return {"posts": posts, "post_more": more}


def load_person_participations(person, state: State) -> dict:
    return participations(person, state, with_rows=("council", "organisation"))


# The source page ------------------------------------------------------------------------

SOURCE = "interventions.source"
FACTS_PER_KIND = 10  # on the overview: the first of each kind, with a link to all of them


def load_source_about(source, state: State) -> dict:
    return {}


def load_source_facts(source, state: State) -> dict:
    """Each kind of fact citing the report (each app registers its own: FactKind.source_row):
    the first few of each, or every one of one kind a page at a time (`?facts=<kind>`), so
    that no page grows with the report. One query per kind (and a count for a paged kind)."""
    from django.core.paginator import Paginator

    from .views.details.source import describe_fact, fact_url

    kinds = {kind.source_row[0].split("_")[1]: kind for kind in site.source_rows()}
    chosen = state.options.get("facts", "")
    error = ""
    if chosen and chosen not in kinds:
        error = f"“{chosen}” is not a kind of fact on this page: showing every kind."
        chosen = ""
    groups, pager = [], None
    for key, kind in kinds.items():
        if chosen and key != chosen:
            continue
        accessor, heading, related, _ = kind.source_row
        if state.live:
            rows = shown(getattr(source, accessor).select_related(*related), state.public)
        else:
            model = kind.model
            rows = state.shown(model, state.as_of(model).filter(source_id=source.pk))
            rows = rows.select_related(*related).order_by(*(model._meta.ordering or ["pk"]), "id")
        rows = with_disagreements(rows)  # each fact's flags in the same query
        if chosen:
            rows = rows.order_by("id") if not state.live else rows.order_by("pk")
            pager = Paginator(rows, state.limit).get_page(state.options.get("page"))
            facts, more = list(pager.object_list), False
        else:
            # One row beyond the cap tells us there are more.
            facts = list(rows[: FACTS_PER_KIND + 1])
            more = len(facts) > FACTS_PER_KIND
            facts = facts[:FACTS_PER_KIND]
        if not state.live:
            facts = state.instances(facts, related)
        groups.append(
            {
                "key": key,
                "heading": heading,
                "facts": [
                    {
                        "fact": fact,
                        "text": text,
                        "record": record,
                        "url": url,
                    }
                    for fact in facts
                    for text, record in [describe_fact(fact, state.public)]
                    for url in [fact_url(fact)]
                ],
                "more": more,
            }
        )
    return {
        "fact_groups": groups,
        "fact_total": pager.paginator.count if pager else sum(len(g["facts"]) for g in groups),
        "chosen": chosen,
        "pager": pager,
        "facts_per_kind": FACTS_PER_KIND,
        "facts_error": error,
    }


SECTIONS = [
    Section(
        "council-about",
        "About the council",
        "sections/interventions/council_about.html",
        (COUNCIL,),
        load_council_about,
        10,
        facts_order=25,  # the page's sources list its boards after its interventions
        facts=lambda c: c["organisations"],
    ),
    Section(
        "council-interventions",
        "Interventions",
        "sections/interventions/council_interventions.html",
        (COUNCIL,),
        load_council_interventions,
        20,
        facts=lambda c: [*c["interventions"], *c["participations"]],
    ),
    Section(
        "organisation-about",
        "About the organisation",
        "sections/interventions/organisation_about.html",
        (ORGANISATION,),
        load_organisation_about,
        10,
    ),
    Section(
        "organisation-participations",
        "Taking part in interventions",
        "sections/interventions/organisation_participations.html",
        (ORGANISATION,),
        load_organisation_participations,
        20,
        facts=lambda c: c["participations"],
    ),
    Section(
        "person-about",
        "About this person",
        "sections/interventions/person_about.html",
        (PERSON,),
        load_person_about,
        10,
    ),
    Section(
        "person-posts",
        "Posts held",
        "sections/interventions/person_posts.html",
        (PERSON,),
        load_person_posts,
        20,
        facts=lambda c: c["posts"],
    ),
    Section(
        "person-participations",
        "Taking part in interventions",
        "sections/interventions/person_participations.html",
        (PERSON,),
        load_person_participations,
        30,
        facts=lambda c: c["participations"],
    ),
    Section(
        "source-about",
        "About the report",
        "sections/interventions/source_about.html",
        (SOURCE,),
        load_source_about,
        10,
    ),
    Section(
        "source-facts",
        "What Casebook takes from it",
        "sections/interventions/source_facts.html",
        (SOURCE,),
        load_source_facts,
        20,
    ),
]


def register():
    for section in SECTIONS:
        site.register_section(section)
