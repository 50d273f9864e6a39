"""The list pages of the ratings app."""

from types import SimpleNamespace

from interventions.listing import (
    CITATION_COLUMNS,
    Column,
    Facet,
    ListPage,
    date_columns,
    disagreement_text,
)
from interventions.models import CouncilType, Region
from interventions.models.common import slug_url
from interventions.visibility import NOT_PUBLISHED, name_or_placeholder

from ..filters import InspectionFilter, JudgementFilter, SpendingFilter, StatisticFilter
from ..models import (
    Framework,
    Inspection,
    Judgement,
    ServiceScope,
    SpendingKind,
    SpendingLine,
    Statistic,
    Unit,
)


def council_column(path):
    def get(o):
        for part in path.split("."):
            o = getattr(o, part)
        return o

    return Column(
        "council",
        "Council",
        lambda o: get(o).name,
        path.replace(".", "__") + "__name",
        link=lambda o: get(o).get_absolute_url(),
    )


def money(line) -> str:
    """£3,600,000, with the report's qualifier ("up to") in front."""
    amount = line.amount_gbp
    text = f"£{amount:,.0f}" if amount == amount.to_integral_value() else f"£{amount:,.2f}"
    return f"{line.get_qualifier_display().lower()} {text}" if line.qualifier else text


KIND_LABELS = dict(SpendingKind.choices)

# Only inspectorates that inspected something in the rows are counted, so the facet never
# offers a department or a provider (issue 14: the filter offered all 35 organisations).
INSPECTORATE_FACET = "Inspectorate"


def party(
    council: str | None,
    council_published: bool | None,
    organisation: str | None,
    abbreviation: str | None,
) -> str:
    """Who paid or was paid, as str() of the council or organisation would put it, and as
    `name_or_placeholder` does for a draft council (lists are always public)."""
    if council:
        return council if council_published else NOT_PUBLISHED
    if organisation:
        return f"{organisation} ({abbreviation})" if abbreviation else organisation
    return ""


class JudgementList(ListPage):
    title = "Inspection judgements"
    intro = (
        "Every judgement row of every inspection or assessment, with the grade as published on "
        "its framework's own scale."
    )
    template_name = "ratings/judgement_list.html"
    filterset_class = JudgementFilter
    default_sort = "council"
    facets = [
        Facet("framework", "Framework", "framework", choices=Framework.choices),
        Facet("grade", "Grade", "grade"),
        Facet("council", "Council", "inspection__council__slug", "inspection__council__name"),
        Facet("region", "Region", "inspection__council__region", choices=Region.choices),
        Facet(
            "council_type",
            "Council type",
            "inspection__council__council_type",
            choices=CouncilType.choices,
        ),
        Facet(
            "inspectorate",
            INSPECTORATE_FACET,
            "inspection__inspectorate__slug",
            "inspection__inspectorate__name",
        ),
    ]
    columns = [
        council_column("inspection.council"),
        Column(
            "inspection",
            "Inspection",
            lambda o: o.inspection.title,
            "inspection__title",
            link=lambda o: o.inspection.get_absolute_url(),
        ),
        Column("framework", "Framework", lambda o: o.get_framework_display(), "framework"),
        Column(
            "service_rated",
            "Service rated",
            lambda o: o.inspection.get_service_scope_display(),
            "inspection__service_scope",
        ),
        Column("year", "Year", lambda o: o.inspection.year, "inspection__year", numeric=True),
        Column("section", "Section", lambda o: o.section, "section"),
        Column(
            "area", "Area judged", lambda o: o.area, "area", link=lambda o: o.get_absolute_url()
        ),
        Column("grade", "Grade", lambda o: o.grade, "score"),
        Column("as_printed", "As printed", lambda o: o.grade_as_printed),
        Column("position", "Row", lambda o: o.position, "position", numeric=True),
        *CITATION_COLUMNS,
    ]

    def get_queryset(self):
        return Judgement.objects.published().select_related("inspection__council", "source")


class SpendingList(ListPage):
    title = "Spending"
    intro = (
        "Every money figure in Casebook: budget and spend lines, contract sums, grants and "
        "contributions, in pounds, each beside the figure exactly as printed."
    )
    template_name = "ratings/spending_list.html"
    filterset_class = SpendingFilter
    default_sort = "period"
    export_name = "spending"
    facets = [
        Facet("kind", "Kind", "kind", choices=SpendingKind.choices),
        Facet("council", "Council", "council__slug", "council__name"),
        Facet("region", "Region", "council__region", choices=Region.choices),
        Facet("intervention", "Intervention", "intervention__slug", "intervention__title"),
    ]
    columns = [
        council_column("council"),
        Column("line", "Line", lambda o: o.line, "line", link=lambda o: o.get_absolute_url()),
        Column("period", "Period", lambda o: o.period, "year"),
        Column("kind", "Kind", lambda o: o.get_kind_display(), "kind"),
        Column(
            "amount_gbp",
            "Amount (£)",
            lambda o: o.amount_gbp,
            "amount_gbp",
            numeric=True,
            display=lambda o: money(o),
        ),
        Column("as_printed", "As printed", lambda o: o.as_printed),
        Column("qualifier", "Qualifier", lambda o: o.qualifier),
        Column(
            "intervention",
            "Intervention",
            lambda o: o.intervention.title if o.intervention else "",
            "intervention__title",
            link=lambda o: o.intervention.get_absolute_url() if o.intervention else "",
        ),
        Column("payer", "Paid by", lambda o: name_or_placeholder(o.payer)),
        Column("payee", "Paid to", lambda o: name_or_placeholder(o.payee)),
        *CITATION_COLUMNS,
    ]

    export_fields = (
        "council__name",
        "line",
        "period",
        "kind",
        "amount_gbp",
        "as_printed",
        "qualifier",
        "intervention__title",
        *(
            f"{side}_{path}"
            for side in ("payer", "payee")
            for path in (
                "council__name",
                "council__published",
                "organisation__name",
                "organisation__abbreviation",
            )
        ),
        "source__title",
        "locator",
        "council__slug",
        "ref",
        "disagreement_keys",  # annotated by ListPage.get (interventions.memberships)
    )

    def export_row(self, values):
        council, line, period, kind, amount, printed, qualifier, intervention = values[:8]
        payer, payee = party(*values[8:12]), party(*values[12:16])
        source, locator, slug, ref, keys = values[16:]
        cells = [council, line, period, KIND_LABELS[kind], amount, printed, qualifier]
        cells += [intervention or "", payer, payee, source, locator]
        cells.append(disagreement_text(SimpleNamespace(disagreement_keys=keys)))
        return cells, f"{slug_url('interventions:council-detail', slug)}#spending-{ref}"

    def get_queryset(self):
        return SpendingLine.objects.published().select_related(
            "council",
            "intervention",
            "payer_council",
            "payer_organisation",
            "payee_council",
            "payee_organisation",
            "source",
        )


# Some inspections print a grade per section and none overall (their page lists them).
NO_OVERALL = "No single grade"


class InspectionList(ListPage):
    title = "Inspections"
    intro = (
        "Every inspection and assessment of a council's services in Casebook, with its "
        "framework, the inspectorate that made it and its overall result as published."
    )
    template_name = "ratings/inspection_list.html"
    filterset_class = InspectionFilter
    default_sort = "council"
    facets = [
        Facet("framework", "Framework", "framework", choices=Framework.choices),
        Facet("inspectorate", INSPECTORATE_FACET, "inspectorate__slug", "inspectorate__name"),
        Facet("service_scope", "Service rated", "service_scope", choices=ServiceScope.choices),
        Facet("overall_grade", "Overall result", "overall_grade"),
        Facet("council", "Council", "council__slug", "council__name"),
        Facet("region", "Region", "council__region", choices=Region.choices),
    ]
    columns = [
        council_column("council"),
        Column(
            "inspection",
            "Inspection",
            lambda o: o.title,
            "title",
            link=lambda o: o.get_absolute_url(),
        ),
        Column(
            "inspectorate",
            "Inspectorate",
            lambda o: str(o.inspectorate) if o.inspectorate else "",
            "inspectorate__name",
        ),
        Column("framework", "Framework", lambda o: o.get_framework_display(), "framework"),
        Column(
            "service_rated",
            "Service rated",
            lambda o: o.get_service_scope_display(),
            "service_scope",
        ),
        Column("service", "Service as printed", lambda o: o.service, in_html=False),
        Column("year", "Year", lambda o: o.year, "year", numeric=True),
        Column("period", "Period", lambda o: o.period, in_html=False),
        *date_columns("published", "Published", "published_date"),
        Column(
            "overall",
            "Overall result",
            lambda o: o.overall_grade,
            "overall_score",
            display=lambda o: overall_display(o),
        ),
        Column(
            "overall_as_printed",
            "Overall result as printed",
            lambda o: o.overall_as_printed,
            in_html=False,
        ),
        # Only where the report gives the grade as an equivalent on another framework's scale.
        Column("equivalent_grade", "Equivalent grade", lambda o: o.equivalent_grade, in_html=False),
        Column(
            "equivalent_framework",
            "Equivalent on",
            lambda o: o.get_equivalent_framework_display(),
            in_html=False,
        ),
        *CITATION_COLUMNS,
    ]

    def get_queryset(self):
        return Inspection.objects.published().select_related("council", "inspectorate", "source")


def overall_display(inspection) -> str:
    """The overall grade, with the equivalent the report states on another scale, if any."""
    text = inspection.overall_grade or NO_OVERALL
    if inspection.equivalent_grade:
        return f"{text} ({inspection.equivalent_display})"
    return text


def figure(statistic) -> str:
    """The figure as printed, with the report's qualifier ("about 38,900")."""
    text = statistic.as_printed
    if statistic.qualifier:
        return f"{statistic.get_qualifier_display().lower()} {text}"
    return text


SUBJECT_KIND_LABELS = {"council": "Council", "organisation": "Organisation", "person": "Person"}


def subject_kind(statistic) -> str:
    if statistic.council_id:
        return "council"
    return "organisation" if statistic.organisation_id else "person"


def named_if(path):
    """A statistic's council, organisation or person by name, blank when it is about another."""

    def value(o):
        record = getattr(o, path) if getattr(o, f"{path}_id") else None
        return record.name if record is not None else ""

    return value


class StatisticList(ListPage):
    title = "Statistics"
    intro = (
        "Every key figure the reports give about a council, an organisation (a police force, a "
        "board) or a person: population, deprivation, caseloads, staffing, terms of office, with "
        "the figure exactly as printed and what the report compares it with."
    )
    template_name = "ratings/statistic_list.html"
    filterset_class = StatisticFilter
    default_sort = "council"
    facets = [
        Facet("unit", "Unit", "unit", choices=Unit.choices),
        Facet("council", "Council", "council__slug", "council__name"),
        Facet("organisation", "Organisation", "organisation__slug", "organisation__name"),
        Facet("person", "Person", "person__slug", "person__name"),
        Facet("region", "Region", "council__region", choices=Region.choices),
        Facet("comparator_group", "Compared in", "comparator_group"),
        Facet("intervention", "Intervention", "intervention__slug", "intervention__title"),
    ]
    columns = [
        # What the figure is about: a council, an organisation or a person (exactly one).
        Column(
            "subject",
            "Subject",
            lambda o: o.subject.name,
            link=lambda o: o.subject.get_absolute_url(),
        ),
        Column(
            "subject_kind",
            "Subject kind",
            lambda o: SUBJECT_KIND_LABELS[subject_kind(o)],
            in_html=False,
        ),
        Column("council", "Council", named_if("council"), "council__name", in_html=False),
        Column("organisation", "Organisation", named_if("organisation"), in_html=False),
        Column("person", "Person", named_if("person"), in_html=False),
        Column(
            "measure",
            "Measure",
            lambda o: o.measure,
            "measure",
            link=lambda o: o.get_absolute_url(),
        ),
        # As printed in exports (the year and whether it is inferred in their own columns);
        # on the page with an inferred year after it in brackets: "10 April [2011]".
        Column("period", "Period", lambda o: o.period, "year", display=lambda o: o.when),
        Column("year", "Year", lambda o: o.year, in_html=False),
        Column("year_inferred", "Year inferred", lambda o: o.year_inferred, in_html=False),
        Column("year_note", "Year note", lambda o: o.year_note, in_html=False),
        Column(
            "value", "Value", lambda o: o.value, "value", numeric=True, display=lambda o: figure(o)
        ),
        Column("unit", "Unit", lambda o: o.get_unit_display(), "unit"),
        Column("qualifier", "Qualifier", lambda o: o.qualifier, in_html=False),
        Column("as_printed", "As printed", lambda o: o.as_printed, in_html=False),
        Column("comparator_group", "Compared in", lambda o: o.comparator_group, "comparator_group"),
        Column("comparator_label", "Compared with", lambda o: o.comparator_label),
        Column(
            "comparator_as_printed",
            "Comparator figure",
            lambda o: o.comparator_as_printed,
        ),
        Column("comparator_value", "Comparator value", lambda o: o.comparator_value, in_html=False),
        Column(
            "intervention",
            "Intervention",
            lambda o: o.intervention.title if o.intervention else "",
            "intervention__title",
            link=lambda o: o.intervention.get_absolute_url() if o.intervention else "",
        ),
        *CITATION_COLUMNS,
    ]

    def get_queryset(self):
        return Statistic.objects.published().select_related(
            "council", "organisation", "person", "intervention", "source"
        )
