"""Councils, or interventions, side by side: the data of /compare/ and /outcomes/ (the council
comparison's window is in ratings.council_comparison).

Everything here is fetched in a fixed number of queries, whatever the number of councils or
interventions, and every figure keeps its record so that the page can footnote it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, Prefetch

from interventions.addresses import is_slug
from interventions.charts import headline_judgements as drawn_judgements
from interventions.models import TargetMet
from interventions.placement import Known, inspection_placement
from interventions.views.details.base import shown
from interventions.views.details.serialise import headline_judgements

from .models import Framework, Inspection, SpendingKind, SpendingLine

COUNCILS_MIN, COUNCILS_MAX = 2, 6
INTERVENTIONS_MAX = 12
POPULATION = "Total population"
CHILD_POPULATION = "Population aged 0-17"
COST_KINDS = (SpendingKind.CONTRACT, SpendingKind.SPEND)  # SpendingLine.is_cost


def printable(text: str, most: int = 40) -> str:
    """Text from a query string, fit to repeat in a message: no control characters, short."""
    shown = "".join(c if c.isprintable() else "\N{REPLACEMENT CHARACTER}" for c in text)
    return shown if len(shown) <= most else shown[: most - 1] + "…"


def choose(slugs: list[str], queryset, noun: str, most: int, least: int = 2):
    """The records named by `slugs`, in the order given, and what was wrong with the list.

    A slug named twice is counted once (and said so); an unknown slug, or a draft for the
    public (the queryset is already only what the reader may see), is reported by name.
    """
    problems, wanted = [], []
    for slug in (s.strip() for s in slugs):
        if not slug:
            continue
        if slug in wanted:
            problems.append(f'"{slug}" is chosen more than once; it is compared once.')
            continue
        wanted.append(slug)
    if len(wanted) > most:
        problems.append(
            f"Choose at most {most} {noun}s to compare; {len(wanted)} were chosen, so only the "
            f"first {most} are shown."
        )
        wanted = wanted[:most]
    named = [slug for slug in wanted if is_slug(slug)]  # only those a record can have
    found = {record.slug: record for record in queryset.filter(slug__in=named)} if named else {}
    for slug in wanted:
        if slug not in named:
            problems.append(
                f"A {noun} is named by the last part of its address: letters, digits, hyphens "
                f'and underscores only, not "{printable(slug)}".'
            )
        elif slug not in found:
            problems.append(f'Casebook has no published {noun} with the address "{slug}".')
    records = [found[slug] for slug in wanted if slug in found]
    if len(records) < least:
        problems.append(
            f"Choose at least {least} {noun}s to compare "
            f"({len(records)} {'was' if len(records) == 1 else 'were'} found)."
        )
    return records, problems


def grade_text(inspection) -> str:
    """The overall grade, or each section's overall result where there is no single grade."""
    if inspection.overall_grade:
        return inspection.overall_grade
    parts = [f"{j.section or j.area}: {j.grade}" for j in drawn_judgements(inspection) if j.grade]
    return "; ".join(parts) or "No single overall grade"


def service_name(inspection) -> str:
    return inspection.get_service_scope_display() if inspection.service_scope else "Not stated"


def frameworks_warning(inspections, councils) -> str:
    """A sentence where the councils' grades come from more than one framework."""
    by_council = {c.pk: [] for c in councils}
    for inspection in inspections:
        label = Framework(inspection.framework).label
        if label not in by_council[inspection.council_id]:
            by_council[inspection.council_id].append(label)
    used = {label for labels in by_council.values() for label in labels}
    if len(used) < 2:
        return ""
    listed = "; ".join(
        f"{c.name}: {', '.join(by_council[c.pk]) or 'no inspections'}" for c in councils
    )
    return (
        "This comparison crosses inspection frameworks. Each framework grades on its own scale "
        "(star ratings, numbered grades, or Ofsted's words), so a grade under one cannot be "
        f"read as equal to a grade under another. {listed}."
    )


def per_head(line, population) -> Decimal | None:
    if population is None or not population.value or line.kind == SpendingKind.PER_HEAD:
        return None
    return (line.amount_gbp / population.value).quantize(Decimal("0.01"))


# Outcomes: one row per intervention ---------------------------------------------------------


def cost_prefetch(public: bool) -> Prefetch:
    return Prefetch(
        "spending_lines",
        shown(
            SpendingLine.objects.filter(kind__in=COST_KINDS).select_related("source"), public
        ).order_by("amount_gbp", "pk"),
        to_attr="cost_lines",
    )


def inspections_prefetch(public: bool) -> Prefetch:
    """The subject council's inspections, with the section results drawn where no grade."""
    return Prefetch(
        "subject_council__inspections",
        shown(Inspection.objects.select_related("source"), public)
        .prefetch_related(headline_judgements(Inspection, public))
        .order_by(F("year").asc(nulls_last=True), F("start_date").asc(nulls_last=True), "slug"),
        to_attr="outcome_inspections",
    )


def outcome_queryset(queryset, public: bool):
    return queryset.select_related("subject_council", "source").prefetch_related(
        "service_areas", cost_prefetch(public), inspections_prefetch(public)
    )


def months_between(start: Known, end: Known) -> int | None:
    """Whole months from start to end, where both are known at least to the month."""
    if len(start.parts) < 2 or len(end.parts) < 2:
        return None
    return (end.parts[0] - start.parts[0]) * 12 + end.parts[1] - start.parts[1]


def duration_text(intervention) -> str:
    start = Known.of(intervention.start_date, intervention.start_date_precision)
    end = Known.of(intervention.end_date, intervention.end_date_precision)
    if start is None or end is None:
        return ""
    months = months_between(start, end)
    if months is None:
        years = end.parts[0] - start.parts[0]
        return f"about {years} year{'s' if years != 1 else ''}" if years else "under a year"
    if months < 1:
        return "under a month"
    years, rest = divmod(months, 12)
    parts = [f"{years} year{'s' if years != 1 else ''}"] if years else []
    if rest:
        parts.append(f"{rest} month{'s' if rest != 1 else ''}")
    return " ".join(parts)


def cost_of(intervention) -> dict:
    """The cost as the reports give it (contract values and outturns), a range where they
    differ; as interventions.views.details.intervention.cost_lines does for the case study."""
    lines = list(getattr(intervention, "cost_lines", []))
    if not lines:
        return {"low": None, "high": None, "lines": [], "differ": False}
    return {
        "low": lines[0],
        "high": lines[-1],
        "lines": lines,
        "differ": len({line.amount_gbp for line in lines}) > 1
        and len({line.source_id for line in lines}) > 1,
    }


def money_text(line) -> str:
    amount = line.amount_gbp
    text = f"£{amount:,.0f}" if amount == amount.to_integral_value() else f"£{amount:,.2f}"
    return f"{line.get_qualifier_display().lower()} {text}" if line.qualifier else text


def cost_text(cost: dict) -> str:
    if cost["low"] is None:
        return ""
    low, high = money_text(cost["low"]), money_text(cost["high"])
    if low == high:
        return low
    return f"{low} to {high}" + (" (sources differ)" if cost["differ"] else "")


@dataclass
class Grade:
    service: str
    text: str
    inspection: object
    placement: str


def grades_around(intervention) -> tuple[list[Grade], list[Grade]]:
    """Per service: the latest grade before it began, and the first after it ended (or, where
    there is none, the latest while it ran, labelled so). Dates compare only as far as known."""
    before: dict[str, Grade] = {}
    after: dict[str, Grade] = {}
    since: dict[str, Grade] = {}
    inspections = getattr(intervention.subject_council, "outcome_inspections", [])
    for inspection in inspections:
        placed = inspection_placement(inspection, intervention)
        grade = Grade(service_name(inspection), grade_text(inspection), inspection, placed.label)
        if placed.key == "before":
            before[grade.service] = grade  # oldest first: the last one wins
        elif placed.key == "after":
            after.setdefault(grade.service, grade)
        elif placed.key in ("since-start", "during", "around-end"):
            since[grade.service] = grade  # the latest while it ran
    for service, grade in since.items():
        after.setdefault(service, grade)
    return sorted(before.values(), key=lambda g: g.service), sorted(
        after.values(), key=lambda g: g.service
    )


def grades_text(grades: list[Grade]) -> str:
    return "; ".join(
        f"{g.service}: {g.text} ({g.inspection.period or g.inspection.year})" for g in grades
    )


@dataclass
class Outcome:
    """One intervention in the shape of the outcomes table."""

    intervention: object
    service_areas: list
    duration: str
    cost: dict
    before: list
    after: list

    @property
    def target_met(self) -> str:
        i = self.intervention
        return i.get_target_met_display() if i.target_met else ""


def outcome(intervention) -> Outcome:
    cached = getattr(intervention, "_outcome", None)
    if cached is None:
        before, after = grades_around(intervention)
        cached = Outcome(
            intervention=intervention,
            service_areas=sorted(intervention.service_areas.all(), key=lambda a: a.name),
            duration=duration_text(intervention),
            cost=cost_of(intervention),
            before=before,
            after=after,
        )
        intervention._outcome = cached
    return cached


TARGET_MET_CHOICES = TargetMet.choices
