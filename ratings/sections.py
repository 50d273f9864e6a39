"""What `ratings` registers in the section registry (interventions.sections).

Called from RatingsConfig.ready(): the case study's money, figures and inspections sections,
this app's fact kinds (inspections, judgements, spending lines, statistics) with their footnote
columns and the page that shows each, the parts of a version they are, the rows of a source
page, the relations a public row may have to a draft, and the counts on the home page.
`interventions` names none of these models: it reads what is registered here.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.http import urlencode

from interventions import visibility
from interventions.addresses import absolute
from interventions.sections import FactKind, Section, State, site

CASE_STUDY = "interventions.intervention"
CITED = ("source",)
_NO_DATES = {"d1": None, "p1": None, "d2": None, "p2": None}


# Sections of the case study ------------------------------------------------------------


def cost_lines(spending_lines: list) -> dict:
    """The intervention's cost as the reports give it, and its range where they differ."""
    lines = [line for line in spending_lines if line.is_cost]
    by_amount = sorted(lines, key=lambda line: line.amount_gbp)
    return {
        "lines": lines,
        "low": by_amount[0] if lines else None,
        "high": by_amount[-1] if lines else None,
        "differ": len({line.amount_gbp for line in lines}) > 1
        and len({line.source_id for line in lines}) > 1,
    }


def load_money(intervention, state: State) -> dict:
    related = (
        *CITED,
        "council",
        "intervention__subject_council",
        "intervention__source",
        "payer_council",
        "payer_organisation",
        "payee_council",
        "payee_organisation",
    )
    lines = state.rows(intervention, "spending_lines", related, order=("year", "id"))
    if not state.live:  # as fetched live: by year, undated last, then as recorded
        lines.sort(key=lambda line: (line.year is None, line.year or 0, line.pk))
    return {"spending_lines": lines, "cost": cost_lines(lines)}


def load_statistics(intervention, state: State) -> dict:
    rows = state.rows(intervention, "statistics", (*CITED, "council"), ("measure", "year"))
    return {"statistics": rows}


def inspections_as_of(intervention, state: State):
    """The subject council's inspections in the years around the intervention, as they
    stood at a moment (the same window as the live page: InspectionWindow), each with its
    judgements as they stood (two queries)."""
    from interventions.views.details.base import CASE_STUDY_INSPECTIONS
    from interventions.views.details.intervention import chronological, window_for

    council = intervention.subject_council
    remote = council._meta.get_field("inspections")
    model = remote.related_model
    queryset = state.as_of(model).filter(council_id=council.pk)
    every = state.instances(state.shown(model, queryset), ("inspectorate", *CITED))
    triggers = set(intervention.trigger_inspections.values_list("pk", flat=True))
    counts: dict = {}
    for inspection in every:
        counts[inspection.year] = counts.get(inspection.year, 0) + 1
    led_years = [i.year for i in every if i.pk in triggers and i.year is not None]
    window = window_for(intervention, counts, led_years)

    def in_window(i):
        return i.year is None or (
            window.first is not None and window.first <= i.year <= window.last
        )

    rows = sorted((i for i in every if in_window(i)), key=chronological)
    rows.sort(key=lambda i: i.pk not in triggers)  # stable: those that led to it first
    inspections = sorted(rows[:CASE_STUDY_INSPECTIONS], key=chronological)
    window.shown = len(inspections)
    window.shown_undated = sum(1 for i in inspections if i.year is None)
    judgement_model = model._meta.get_field("judgements").related_model
    judgements = state.as_of(judgement_model).filter(inspection_id__in=[i.pk for i in inspections])
    judgements = state.shown(judgement_model, judgements).order_by("position")
    by_inspection: dict[int, list] = {}
    for judgement in state.instances(judgements, CITED):
        by_inspection.setdefault(judgement.inspection_id, []).append(judgement)
    for inspection in inspections:
        inspection.judgement_rows = by_inspection.get(inspection.pk, [])
        inspection.headline_judgements = [j for j in inspection.judgement_rows if j.headline]
        inspection.led_here = inspection.pk in triggers
    return inspections, window


def load_inspections(intervention, state: State) -> dict:
    from interventions.charts import inspection_chart
    from interventions.placement import Known, inspection_placement
    from interventions.views.details.intervention import inspections_around

    if state.live:
        inspections, window = inspections_around(intervention, state.public)
        for inspection in inspections:
            inspection.judgement_rows = list(inspection.judgements.all())
    else:
        inspections, window = inspections_as_of(intervention, state)
    for inspection in inspections:
        placed = inspection_placement(inspection, intervention)
        inspection.timing, inspection.timing_label = placed.key, placed.label
        inspection.timing_detail = placed.detail
    period = None
    if intervention.start_date:
        start = Known.of(intervention.start_date, intervention.start_date_precision)
        end = Known.of(intervention.end_date, intervention.end_date_precision)
        until = end.shown if end else "its end is not stated"
        period = (f"{intervention.title}, {start.shown} to {until}", start, end)
    council = intervention.subject_council
    url = f"{reverse('ratings:judgement-list')}?{urlencode({'council': council.slug})}"
    return {
        "inspections": inspections,
        "inspection_more": window.more,
        "inspection_window": window,
        "inspection_list_url": absolute(url),
        "inspection_chart": inspection_chart(
            inspections,
            council.name,
            period=period,
            triggers={i.pk for i in inspections if i.led_here},
        ),
    }


SECTIONS = [
    Section(
        "money",
        "Money",
        "sections/ratings/money.html",
        (CASE_STUDY,),
        load_money,
        60,
        shown=lambda c: bool(c["spending_lines"]),
        facts=lambda c: c["spending_lines"],
    ),
    Section(
        "statistics",
        "Figures",
        "sections/ratings/statistics.html",
        (CASE_STUDY,),
        load_statistics,
        70,
        shown=lambda c: bool(c["statistics"]),
        facts=lambda c: c["statistics"],
    ),
    Section(
        "inspections",
        "Inspections",
        "sections/ratings/inspections.html",
        (CASE_STUDY,),
        load_inspections,
        80,
        facts=lambda c: [
            *c["inspections"],
            *(j for inspection in c["inspections"] for j in inspection.judgement_rows),
        ],
    ),
]


# Fact kinds ----------------------------------------------------------------------------


def describe_figure(row: dict) -> str:
    return f"{row['v_head'] or ''}: {row['v_a'] or ''}"  # the figure exactly as printed


def describe_grade(row: dict) -> str:
    return f"{row['v_head'] or ''}: {row['v_a'] or row['v_b'] or 'no grade given'}"


def period(fact) -> str:
    return f" ({fact.period})" if fact.period else ""


def source_inspection(fact, public):
    grade = fact.overall_as_printed or fact.overall_grade or "no overall grade"
    return f"{fact.title}: {grade}", fact.council.name


def source_judgement(fact, public):
    grade = fact.grade_as_printed or fact.grade or "no grade"
    area = f"{fact.section}: {fact.area}" if fact.section else fact.area
    return f"{area}: {grade}", fact.inspection.title


def source_spending(fact, public):
    return f"{fact.line}{period(fact)}: {fact.as_printed}", fact.council.name


def source_statistic(fact, public):
    # its subject (council, organisation or person) is public whenever the statistic is
    return f"{fact.measure}{period(fact)}: {fact.as_printed}", fact.subject.name


FACT_KINDS = [
    FactKind(
        label="ratings.inspection",
        footnote={
            "what": "Inspection",
            "head": "title",
            "a": "overall_as_printed",
            "b": "overall_grade",
            "who": None,
            **_NO_DATES,
            "page": "slug",
            "anchor": None,
        },
        page_url=("ratings:inspection-detail", ""),
        describe=describe_grade,
        source_row=("ratings_inspection_facts", "Inspections", ("council",), 70),
        describe_for_source=source_inspection,
    ),
    FactKind(
        label="ratings.judgement",
        footnote={
            "what": "Judgement",
            "head": "area",
            "a": "grade_as_printed",
            "b": "grade",
            "who": None,
            **_NO_DATES,
            "page": "inspection__slug",
            "anchor": "position",
        },
        page_url=("ratings:inspection-detail", "judgement-"),
        describe=describe_grade,
        version_parts=[("ratings.inspection", "judgements", "Judgements")],
        source_row=("ratings_judgement_facts", "Judgements", ("inspection",), 80),
        describe_for_source=source_judgement,
    ),
    FactKind(
        label="ratings.spendingline",
        footnote={
            "what": "Money",
            "head": "line",
            "a": "as_printed",
            "b": "qualifier",
            "who": "council__name",
            **_NO_DATES,
            "page": "council__slug",
            "anchor": "ref",
        },
        page_url=("interventions:council-detail", "spending-"),
        describe=describe_figure,
        version_parts=[(CASE_STUDY, "spending_lines", "Money")],
        source_row=(
            "ratings_spendingline_facts",
            "Spending lines",
            ("council", "intervention"),
            90,
        ),
        describe_for_source=source_spending,
    ),
    FactKind(
        label="ratings.statistic",
        footnote={
            "what": "Statistic",
            "head": "measure",
            "a": "as_printed",
            "b": "qualifier",
            "who": "council__name",
            **_NO_DATES,
            "page": "council__slug",
            "anchor": "ref",
        },
        page_url=("interventions:council-detail", "statistic-"),
        describe=describe_figure,
        version_parts=[(CASE_STUDY, "statistics", "Figures")],
        source_row=(
            "ratings_statistic_facts",
            "Statistics",
            ("council", "organisation", "person"),
            100,
        ),
        describe_for_source=source_statistic,
    ),
]


def register():
    from .record_sections import SECTIONS as RECORD_SECTIONS

    for kind in FACT_KINDS:
        site.register_fact(kind)
    for section in [*SECTIONS, *RECORD_SECTIONS]:
        site.register_section(section)
    site.register_record("ratings.inspection")  # cited by its numbered versions
    site.register_count(25, "inspections", "ratings.Inspection", "ratings:inspection-list")
    site.register_count(30, "inspection judgements", "ratings.Judgement", "ratings:judgement-list")
    site.register_count(40, "spending lines", "ratings.SpendingLine", "ratings:spending-list")
    site.register_count(60, "statistics", "ratings.Statistic", "ratings:statistic-list")
    # A spending line may name a payer or payee council the public may not see.
    visibility.HIDDEN_RELATIONS.update(
        {("ratings.spendingline", "payer_council"), ("ratings.spendingline", "payee_council")}
    )
