"""JSON shapes and table rows shared by the detail pages."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import F, Func, IntegerField, OuterRef, Prefetch, Subquery

from ...models import (
    LessonKind,
    LinkKind,
    PartialDate,
)
from .base import related_model, shown


def partial_date_json(obj, field: str) -> dict | None:
    """A record's date as printed: its parts, how the year is known, whether it is actual,
    planned or expected, its EDTF form, and the sortable first day (null without a year)."""
    return PartialDate.of(obj, field).as_json()


def money(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def inspection_rows(inspections):
    """Inspections with the number of their judgements, oldest first, undated last.

    The number is a subquery per row, not a join grouped by every column: a council page
    lists 10 of 570 inspections, and grouping all of them with their judgements (wide rows,
    a temporary B-tree) took most of its inspections' query."""
    judgements = related_model(inspections.model, "judgements").objects.filter(
        inspection=OuterRef("pk")
    )
    counted = judgements.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return (
        inspections.select_related("inspectorate", "source")
        .annotate(judgement_count=Subquery(counted[:1], output_field=IntegerField()))
        .order_by(F("year").asc(nulls_last=True), F("start_date").asc(nulls_last=True), "slug")
    )


def headline_judgements(inspection_model, public: bool):
    """Each section's overall result, drawn where an inspection prints no single grade."""
    judgements = related_model(inspection_model, "judgements").objects.filter(headline=True)
    return Prefetch(
        "judgements",
        shown(judgements.order_by("position"), public),
        to_attr="headline_judgements",
    )


# What a money figure is shown with: its council and parties, and the case study's council
# and source too (whether it may be named is read from them).
SPENDING_RELATED = (
    "source",
    "council",
    "intervention__subject_council",
    "intervention__source",
    "payer_council",
    "payer_organisation",
    "payee_council",
    "payee_organisation",
)


def spending_rows(lines):
    """Money figures by year (undated last), then in the order they were recorded."""
    return lines.order_by(F("year").asc(nulls_last=True), "pk").select_related(*SPENDING_RELATED)


def inspection_json(view, inspection, **extra) -> dict:
    return {
        "url": view.absolute(inspection.get_absolute_url()),
        "slug": inspection.slug,
        "title": inspection.title,
        "framework": inspection.framework,
        "framework_label": inspection.get_framework_display(),
        "inspectorate": view.body(inspection.inspectorate),
        "service": inspection.service,
        "service_rated": inspection.service_scope or None,
        "service_rated_label": inspection.get_service_scope_display(),
        "period": inspection.period,
        "year": inspection.year,
        "overall_grade": inspection.overall_grade,
        "overall_score": inspection.overall_score,
        "overall_as_printed": inspection.overall_as_printed,
        # Only where the report states the grade as an equivalent on another scale.
        "equivalent_grade": inspection.equivalent_grade,
        "equivalent_framework": inspection.equivalent_framework or None,
        "equivalent_framework_label": inspection.get_equivalent_framework_display(),
        **view.cited(inspection),
        # After the citation: the inspection page's own "sources_differ" (every disagreement
        # on the page, as on every other page) replaces the inspection's one slug.
        **extra,
    }


def spending_json(view, line) -> dict:
    return {
        "url": view.absolute(line.get_absolute_url()),
        "ref": line.ref,
        "council": view.body(line.council),
        "intervention": view.body(line.intervention),
        "line": line.line,
        "kind": line.kind,
        "kind_label": line.get_kind_display(),
        "period": line.period,
        "year": line.year,
        "amount_gbp": money(line.amount_gbp),
        "qualifier": line.qualifier,
        "as_printed": line.as_printed,
        "payer": view.body(line.payer),
        "payee": view.body(line.payee),
        "note": line.note,
        **view.cited(line),
    }


def statistic_json(view, statistic) -> dict:
    return {
        "url": view.absolute(statistic.get_absolute_url()),
        "ref": statistic.ref,
        # what the figure is about: exactly one of the three is set
        "council": view.body(statistic.council),
        "organisation": view.body(statistic.organisation),
        "person": view.body(statistic.person),
        "measure": statistic.measure,
        "period": statistic.period,
        "year": statistic.year,
        "year_inferred": statistic.year_inferred,
        "year_note": statistic.year_note,
        "value": money(statistic.value),
        "unit": statistic.unit,
        "qualifier": statistic.qualifier,
        "as_printed": statistic.as_printed,
        "comparator_group": statistic.comparator_group,
        "comparator_label": statistic.comparator_label,
        "comparator_value": money(statistic.comparator_value),
        "comparator_as_printed": statistic.comparator_as_printed,
        "note": statistic.note,
        **view.cited(statistic),
    }


# The case study ------------------------------------------------------------------------

# How a link reads from the other end: "A followed by B" is "B follows A".
LINK_INVERSE = {
    LinkKind.MODEL_FOR: "Took as a model",
    LinkKind.COMPARED_WITH: "Compared with",
    LinkKind.ALTERNATIVE_TO: "Alternative to",
    LinkKind.FOLLOWED_BY: "Came after",
    LinkKind.PART_OF: "Includes",
}

LESSON_GROUPS = [
    (LessonKind.ACHIEVEMENT, "Achievements"),
    (LessonKind.CHALLENGE, "Challenges"),
    (LessonKind.LESSON, "Lessons learned"),
]
