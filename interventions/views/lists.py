"""The list pages of the interventions app."""

from django.apps import apps
from django.db.models import Count, OuterRef, Prefetch, Subquery, Value
from django.db.models.functions import Coalesce

from ..filters import (
    CouncilFilter,
    InterventionFilter,
    OrganisationFilter,
    PersonFilter,
    SourceFilter,
    WorkstreamFilter,
)
from ..listing import CITATION_COLUMNS, Column, Facet, ListPage, date_columns
from ..models import (
    Council,
    CouncilType,
    Intervention,
    InterventionKind,
    Organisation,
    OrganisationKind,
    Ownership,
    ParticipantRole,
    Person,
    Region,
    ServiceArea,
    Source,
    SourceKind,
    Status,
    Workstream,
)
from ..visibility import may_name, name_or_placeholder

# A council, a body or a person can be a version in a disagreement too (a name or a title
# printed two ways): their lists flag it as the fact lists do.
DISAGREEMENTS = next(column for column in CITATION_COLUMNS if column.key == "disagreements")


def related_label(model, relation: str) -> str:
    """The label of the model at the end of a reverse relation, e.g. Council → "inspections"."""
    return model._meta.get_field(relation).related_model._meta.label


def count_of(model_label: str, field: str):
    """Count related rows in a subquery, so several counts never multiply each other."""
    return count_rows(apps.get_model(model_label), field)


def count_rows(model, field: str):
    """count_of() for a model reached through a relation rather than by its label."""
    rows = (
        model.objects.published()
        .filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows), Value(0))


COUNCIL_FACETS = [
    Facet(
        "council_type", "Council type", "subject_council__council_type", choices=CouncilType.choices
    ),
    Facet("region", "Region", "subject_council__region", choices=Region.choices),
]


# What the report states about a status and a verdict, and the curator's reading where it
# states none (exports only: the page itself shows them on each case study).
STATUS_CLAIM_COLUMNS = [
    *date_columns("status_as_of", "Status as of", "status_as_of", in_html=False),
    Column("status_note", "Status note", lambda o: o.status_note, in_html=False),
]
TARGET_MET_NOTE_COLUMN = Column(
    "target_met_note", "Target met note", lambda o: o.target_met_note, in_html=False
)
CLAIM_COLUMNS = [
    *STATUS_CLAIM_COLUMNS,
    Column(
        "target_met",
        "Target met",
        lambda o: o.get_target_met_display() if o.target_met else "",
        in_html=False,
    ),
    TARGET_MET_NOTE_COLUMN,
]


class InterventionList(ListPage):
    title = "Interventions"
    intro = (
        "Every intervention in Casebook: partnerships, outsourcing, improvement notices, "
        "commissioners, trusts and reviews of options, including those the reports only mention."
    )
    template_name = "interventions/intervention_list.html"
    filterset_class = InterventionFilter
    default_sort = "start"
    facets = [
        Facet("kind", "Kind", "kind", choices=InterventionKind.choices),
        Facet("status", "Status", "status", choices=Status.choices),
        Facet("council", "Council", "subject_council__slug", "subject_council__name"),
        *COUNCIL_FACETS,
        Facet("service_area", "Service area", "service_areas__slug", "service_areas__name"),
    ]
    columns = [
        Column(
            "title", "Intervention", lambda o: o.title, "title", link=lambda o: o.get_absolute_url()
        ),
        Column(
            "council",
            "Council",
            lambda o: o.subject_council.name,
            "subject_council__name",
            link=lambda o: o.subject_council.get_absolute_url(),
        ),
        Column("kind", "Kind", lambda o: o.get_kind_display(), "kind"),
        Column("status", "Status", lambda o: o.get_status_display(), "status"),
        *CLAIM_COLUMNS,
        *date_columns("start", "Start", "start_date"),
        *date_columns("end", "End", "end_date"),
        Column(
            "service_areas",
            "Service areas",
            lambda o: "; ".join(a.name for a in o.service_areas.all()),
        ),
        Column(
            "mentioned_only", "Mentioned in passing", lambda o: o.mentioned_only, "mentioned_only"
        ),
        *CITATION_COLUMNS,
    ]

    def get_queryset(self):
        return (
            Intervention.objects.published()
            .select_related("subject_council", "source")
            .prefetch_related(
                Prefetch("service_areas", queryset=ServiceArea.objects.order_by("name"))
            )
        )


class CouncilList(ListPage):
    title = "Councils"
    intro = (
        "Every council the reports name: those that were the subject of an intervention, "
        "their partners, and the comparator councils in the reports' tables."
    )
    template_name = "interventions/council_list.html"
    filterset_class = CouncilFilter
    default_sort = "name"
    facets = [
        Facet("council_type", "Council type", "council_type", choices=CouncilType.choices),
        Facet("region", "Region", "region", choices=Region.choices),
    ]
    columns = [
        Column("name", "Council", lambda o: o.name, "name", link=lambda o: o.get_absolute_url()),
        Column("type", "Type", lambda o: o.get_council_type_display(), "council_type"),
        Column("region", "Region", lambda o: o.get_region_display(), "region"),
        Column("gss_code", "GSS code", lambda o: o.gss_code, "gss_code"),
        Column(
            "interventions",
            "Interventions",
            lambda o: o.n_interventions,
            "n_interventions",
            numeric=True,
        ),
        Column(
            "participations",
            "Took part in",
            lambda o: o.n_participations,
            "n_participations",
            numeric=True,
        ),
        Column(
            "inspections", "Inspections", lambda o: o.n_inspections, "n_inspections", numeric=True
        ),
        Column("statistics", "Statistics", lambda o: o.n_statistics, "n_statistics", numeric=True),
        DISAGREEMENTS,
    ]

    def get_queryset(self):
        return Council.objects.published().annotate(
            n_interventions=count_of("interventions.Intervention", "subject_council"),
            n_participations=count_of("interventions.Participant", "council"),
            # Through the council's own relations: this app names no `ratings` model.
            n_inspections=count_of(related_label(Council, "inspections"), "council"),
            n_statistics=count_of(related_label(Council, "statistics"), "council"),
        )


class WorkstreamList(ListPage):
    title = "Workstreams"
    intro = "Every workstream of every intervention: what each set out to do and who led it."
    template_name = "interventions/workstream_list.html"
    filterset_class = WorkstreamFilter
    default_sort = "intervention"
    facets = [
        Facet("intervention", "Intervention", "intervention__slug", "intervention__title"),
        Facet(
            "council",
            "Council",
            "intervention__subject_council__slug",
            "intervention__subject_council__name",
        ),
        Facet(
            "kind", "Kind of intervention", "intervention__kind", choices=InterventionKind.choices
        ),
    ]
    columns = [
        Column("name", "Workstream", lambda o: o.name, "name", link=lambda o: o.get_absolute_url()),
        Column(
            "intervention",
            "Intervention",
            lambda o: o.intervention.title,
            "intervention__title",
            link=lambda o: o.intervention.get_absolute_url(),
        ),
        Column(
            "council",
            "Council",
            lambda o: o.intervention.subject_council.name,
            "intervention__subject_council__name",
            link=lambda o: o.intervention.subject_council.get_absolute_url(),
        ),
        Column("objective", "Objective", lambda o: o.objective),
        Column("lead", "Lead", lambda o: o.lead, "lead"),
        Column("position", "Order", lambda o: o.position, "position", numeric=True),
        *CITATION_COLUMNS,
    ]

    def get_queryset(self):
        return Workstream.objects.published().select_related(
            "intervention__subject_council", "source"
        )


class SourceList(ListPage):
    title = "Sources"
    intro = (
        "The reports and articles Casebook's facts come from, with how many facts each supports."
    )
    template_name = "interventions/source_list.html"
    filterset_class = SourceFilter
    default_sort = "date"
    facets = [
        Facet("kind", "Kind", "kind", choices=SourceKind.choices),
        Facet("publisher", "Publisher", "publisher"),
    ]
    columns = [
        Column("title", "Title", lambda o: o.title, "title", link=lambda o: o.get_absolute_url()),
        Column("publisher", "Publisher", lambda o: o.publisher, "publisher"),
        Column("kind", "Kind", lambda o: o.get_kind_display(), "kind"),
        Column(
            "date",
            "Date",
            lambda o: o.date,
            "date",
            display=lambda o: o.date_display,
        ),
        Column("authors", "Authors", lambda o: "; ".join(o.author_list)),
        Column("facts", "Facts cited", lambda o: o.n_facts, "n_facts", numeric=True),
    ]

    def get_queryset(self):
        from ..models.common import Cited

        total = Value(0)
        for model in apps.get_models():
            if issubclass(model, Cited) and not model._meta.proxy:
                total = total + count_of(model._meta.label, "source")
        return Source.objects.published().annotate(n_facts=total)


def owners(organisation) -> list:
    """The councils an organisation belongs to, in the order printed (prefetched)."""
    return [ownership.council for ownership in organisation.ownerships.all()]


def related_rows(model, name: str):
    """The model at the end of a reverse relation (ratings' models are never named here)."""
    return model._meta.get_field(name).related_model


class OrganisationList(ListPage):
    title = "Organisations"
    intro = (
        "Every body the reports name that is not a council: government departments, "
        "inspectorates, providers, consultancies, charities, trusts and boards, with what each "
        "took part in."
    )
    template_name = "interventions/organisation_list.html"
    filterset_class = OrganisationFilter
    default_sort = "name"
    facets = [Facet("kind", "Kind", "kind", choices=OrganisationKind.choices)]
    columns = [
        Column(
            "name", "Organisation", lambda o: o.name, "name", link=lambda o: o.get_absolute_url()
        ),
        Column("abbreviation", "Abbreviation", lambda o: o.abbreviation, "abbreviation"),
        Column("kind", "Kind", lambda o: o.get_kind_display(), "kind"),
        # Every council it belongs to or is owned by (a jointly owned body names them all),
        # linked when there is one; a draft council is "Not yet published".
        Column(
            "owners",
            "Belongs to",
            lambda o: "; ".join(name_or_placeholder(c) for c in owners(o)),
            link=lambda o: (
                owners(o)[0].get_absolute_url()
                if len(owners(o)) == 1 and may_name(owners(o)[0])
                else ""
            ),
        ),
        Column(
            "participations",
            "Took part in",
            lambda o: o.n_participations,
            "n_participations",
            numeric=True,
        ),
        Column(
            "inspections", "Inspections", lambda o: o.n_inspections, "n_inspections", numeric=True
        ),
        Column("payments", "Money lines", lambda o: o.n_payments, "n_payments", numeric=True),
        # Where the reports first name it: a draft source is "Not yet published", no place.
        Column("source", "Source", lambda o: name_or_placeholder(o.source)),
        Column(
            "locator",
            "Where in the source",
            lambda o: o.locator if may_name(o.source) else "",
            in_html=False,
        ),
        DISAGREEMENTS,
    ]

    def get_queryset(self):
        spending = related_rows(Organisation, "payments_received")
        return (
            Organisation.objects.all()
            .select_related("source")
            .prefetch_related(
                Prefetch(
                    "ownerships",
                    Ownership.objects.select_related("council").order_by("position", "id"),
                )
            )
            .annotate(
                n_participations=count_of("interventions.Participant", "organisation"),
                n_inspections=count_rows(related_rows(Organisation, "inspections"), "inspectorate"),
                n_payments=count_rows(spending, "payee_organisation")
                + count_rows(spending, "payer_organisation"),
            )
        )


class PersonList(ListPage):
    title = "People"
    intro = (
        "Every person the reports name, with their names as printed, the posts they held "
        "and how many roles in interventions Casebook records for each."
    )
    template_name = "interventions/person_list.html"
    filterset_class = PersonFilter
    default_sort = "name"
    facets = [
        Facet(
            "role",
            "Role in an intervention",
            "participations__role",
            choices=ParticipantRole.choices,
        ),
        Facet(
            "organisation",
            "Organisation of a post",
            "posts__organisation__slug",
            "posts__organisation__name",
        ),
    ]
    columns = [
        Column(
            "name", "Name as printed", lambda o: o.name, "name", link=lambda o: o.get_absolute_url()
        ),
        Column("variants", "Also printed as", lambda o: "; ".join(o.variant_list)),
        Column("posts", "Posts", lambda o: o.n_posts, "n_posts", numeric=True),
        Column(
            "participations",
            "Roles in interventions",
            lambda o: o.n_participations,
            "n_participations",
            numeric=True,
        ),
        # Where the reports first name them: a draft source is "Not yet published", no place.
        Column("source", "First named in", lambda o: name_or_placeholder(o.source)),
        Column(
            "locator",
            "Where in the source",
            lambda o: o.locator if may_name(o.source) else "",
            in_html=False,
        ),
        DISAGREEMENTS,
    ]

    def get_queryset(self):
        return Person.objects.published().for_list()
