"""The kinds of record this app adds to the search index (see `interventions.searchindex`)."""

from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse

from .searchindex import Provider, register


def organisation_url(organisation) -> str:
    if hasattr(organisation, "get_absolute_url"):
        return organisation.get_absolute_url()
    try:
        return reverse("interventions:organisation-detail", args=[organisation.slug])
    except NoReverseMatch:
        # No page of its own yet: the case studies that name it.
        query = urlencode({"q": organisation.name})
        return f"{reverse('interventions:intervention-list')}?{query}"


def register_all() -> None:
    from .models import (
        Council,
        Intervention,
        Lesson,
        Milestone,
        Organisation,
        Participant,
        Person,
        Phase,
        Source,
        Workstream,
    )

    register(
        Provider(
            kind="interventions",
            label="Case studies",
            model=Intervention,
            title=lambda o: o.title,
            context=lambda o: o.subject_council.name,
            body=lambda o: (
                o.subject_council.name,
                o.get_kind_display(),
                o.summary,
                o.trigger,
                o.target,
                o.outcome,
            ),
            related=("subject_council",),
            follows=("subject_council",),
        )
    )
    register(
        Provider(
            kind="councils",
            label="Councils",
            model=Council,
            title=lambda o: o.name,
            context=lambda o: o.get_council_type_display(),
            body=lambda o: (o.also_known_as, o.get_region_display(), o.gss_code),
            names=True,
        )
    )
    register(
        Provider(
            kind="organisations",
            label="Organisations",
            model=Organisation,
            title=lambda o: str(o),
            context=lambda o: o.get_kind_display(),
            body=lambda o: (o.abbreviation, o.description),
            url=organisation_url,
            names=True,
        )
    )
    register(
        Provider(
            kind="people",
            label="People",
            model=Person,
            title=lambda o: o.name,
            context=lambda o: "; ".join(o.variant_list),
            body=lambda o: (o.variants, o.note),
            names=True,
        )
    )
    register(
        Provider(
            kind="participants",
            label="Roles in interventions",
            model=Participant,
            # A row names a person, or else the council or organisation that took part, or
            # else the role as the report describes it ("a proposed independent chair").
            title=lambda o: o.person_name or str(o.council or o.organisation or o.described_as),
            context=lambda o: ", ".join(
                part
                for part in (o.post, str(o.council or o.organisation or ""), o.intervention.title)
                if part
            ),
            body=lambda o: (
                o.post,
                str(o.council or o.organisation or ""),
                o.described_as,
                o.description,
            ),
            related=("intervention", "council", "organisation"),
            follows=("intervention", "council"),
            hidden=lambda o: o.council_id is not None and not o.council.published,
            names=True,
        )
    )
    register(
        Provider(
            kind="phases",
            label="Phases",
            model=Phase,
            title=lambda o: o.name,
            context=lambda o: o.intervention.title,
            body=lambda o: (o.led_by, o.description),
            related=("intervention",),
            follows=("intervention",),
        )
    )
    register(
        Provider(
            kind="milestones",
            label="Milestones",
            model=Milestone,
            title=lambda o: o.description,
            context=lambda o: f"{o.date_display}, {o.intervention.title}",
            body=lambda o: (o.date_display,),
            related=("intervention",),
            follows=("intervention",),
        )
    )
    register(
        Provider(
            kind="workstreams",
            label="Workstreams",
            model=Workstream,
            title=lambda o: o.name,
            context=lambda o: o.intervention.title,
            body=lambda o: (o.objective, o.lead),
            related=("intervention",),
            follows=("intervention",),
        )
    )
    register(
        Provider(
            kind="lessons",
            label="Lessons",
            model=Lesson,
            title=lambda o: o.text,
            context=lambda o: f"{o.get_kind_display()}, {o.intervention.title}",
            body=lambda o: (),
            related=("intervention",),
            follows=("intervention",),
        )
    )
    register(
        Provider(
            kind="sources",
            label="Sources",
            model=Source,
            title=lambda o: o.title,
            context=lambda o: o.publisher,
            body=lambda o: (o.publisher, o.authors, o.prepared_for, o.summary),
        )
    )
