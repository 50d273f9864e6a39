"""Facets: a list's filters shown with counts that follow the other active filters.

Where the list is summarised and every other active filter is on a dimension of its summary
(interventions.summaries), a facet's counts are one exact GROUP BY over the summary's rows.
Otherwise the rows are counted: cached until the data changes (datacache), and a facet whose
counts take longer than CASEBOOK_FACET_TIME_LIMIT_MS is shown without counts, its ticked
values still listed.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.core.exceptions import FieldDoesNotExist
from django.db import OperationalError, connection, transaction
from django.db.models import Count, QuerySet, Sum
from django.http import QueryDict

from . import counting, datacache, summaries

# A facet lists at most this many values, the commonest first, plus any that are ticked:
# 400 councils with their counts would make a list page three times its size.
FACET_VALUES_MAX = 30
# Like Datasette's facet_time_limit_ms: a facet whose counts take longer is shown without
# counts rather than holding up the page (counting a million rows is the slow case).
# Counts are cached until the data changes, a time-out for a minute (datacache).
FACET_TIME_LIMIT_MS = int(os.environ.get("CASEBOOK_FACET_TIME_LIMIT_MS", "100"))


@dataclass(frozen=True)
class Facet:
    """A filter whose values are listed with counts that follow the other active filters."""

    param: str
    label: str
    value_path: str
    label_path: str | None = None
    choices: Iterable[tuple[str, str]] | None = None


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class FacetView:
    facet: Facet
    values: list[FacetValue] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    timed_out: bool = False
    more: bool = False  # only the commonest values are listed


class QueryTooSlow(Exception):
    pass


@contextmanager
def time_limit(milliseconds: int):
    """Give up on a query that runs longer than this, on SQLite and on PostgreSQL alike."""
    if connection.vendor == "postgresql":
        # SET LOCAL would last to the end of an enclosing transaction (ATOMIC_REQUESTS, tests),
        # so the old value is put back as soon as the block succeeds; a timeout rolls the
        # savepoint back, and the setting with it.
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SHOW statement_timeout")
                    previous = cursor.fetchone()[0]
                    cursor.execute(
                        "SELECT set_config('statement_timeout', %s, true)",
                        [f"{int(milliseconds)}ms"],
                    )
                yield
                with connection.cursor() as cursor:
                    cursor.execute("SELECT set_config('statement_timeout', %s, true)", [previous])
        except OperationalError as error:
            if "statement timeout" in str(error) or "canceling statement" in str(error):
                raise QueryTooSlow from error
            raise
        return
    connection.ensure_connection()
    raw = connection.connection
    deadline = time.perf_counter() + milliseconds / 1000
    raw.set_progress_handler(lambda: int(time.perf_counter() > deadline), 10_000)
    try:
        yield
    except OperationalError as error:
        if "interrupted" in str(error):
            raise QueryTooSlow from error
        raise
    finally:
        raw.set_progress_handler(None, 0)


def walk(model, path: str):
    """The fields along a lookup path ("inspection__council__name")."""
    fields = []
    for part in path.split("__"):
        field = model._meta.get_field(part)
        fields.append(field)
        if field.is_relation:
            model = field.related_model
    return fields


def may_be_null(model, path: str) -> bool:
    try:
        return any(getattr(field, "null", False) for field in walk(model, path))
    except FieldDoesNotExist:
        return True  # an annotation (a count, say): assume the worst


def crosses_many(model, path: str) -> bool:
    """Whether one row can reach several values along the path (so counts need DISTINCT)."""
    return any(field.many_to_many or field.one_to_many for field in walk(model, path))


def incomplete_for_a_minute(counted: dict) -> int | None:
    return datacache.INCOMPLETE_SECONDS if counted.get("timed_out") else None


class FacetsMixin:
    """Facet counting for a ListPage (which supplies `facets`, `filter_data`, `cache_key`)."""

    facets: list[Facet] = []

    @staticmethod
    def without_filter(filterset, param: str) -> QuerySet:
        """The list filtered by everything but one facet, reusing the validated values."""
        queryset = filterset.queryset.all()
        for name, value in filterset.form.cleaned_data.items():
            if name != param:
                queryset = filterset.filters[name].filter(queryset, value)
        return queryset

    @staticmethod
    def selected_only(facet: Facet, data: QueryDict, query) -> list[FacetValue]:
        """When counting is too slow, still show (and allow un-ticking) what is selected,
        by name: the labels of a few ticked values are found without counting."""
        selected = data.getlist(facet.param)
        labels = dict(facet.choices) if facet.choices is not None else {}
        label_path = facet.label_path or facet.value_path
        if selected and facet.choices is None and label_path != facet.value_path:
            model = walk(query.model, facet.value_path)[-1].model
            field = facet.value_path.rsplit("__", 1)[-1]
            label = label_path.rsplit("__", 1)[-1]
            labels = dict(
                model._default_manager.published()
                .filter(**{f"{field}__in": selected})
                .values_list(field, label)
            )
        return [
            FacetValue(value=v, label=str(labels.get(v, v)), count=None, selected=True)
            for v in selected
        ]

    @staticmethod
    def rows_in_time(query) -> dict:
        """{"rows": …} if the query answers within the facet time limit, else {"timed_out":
        True}; remembered like a count, so later visitors do not wait for the same time-out."""
        try:
            with time_limit(FACET_TIME_LIMIT_MS):
                return {"rows": list(query)}
        except QueryTooSlow:
            return {"timed_out": True}

    def count_facet(self, query, path: str, timed: bool) -> dict:
        """The facet's commonest values, and whether there are more."""
        query = query.order_by("-n", path)[: FACET_VALUES_MAX + 1]
        counted = self.rows_in_time(query) if timed else {"rows": list(query)}
        if "rows" in counted:
            rows = counted["rows"]
            counted = {"rows": rows[:FACET_VALUES_MAX], "more": len(rows) > FACET_VALUES_MAX}
        return counted

    def count_values(self, query, path: str, values: list[str], timed: bool) -> dict:
        """Counts for ticked values beyond the commonest, so they can be unticked."""
        query = query.filter(**{f"{path}__in": values})
        return self.rows_in_time(query) if timed else {"rows": list(query)}

    @staticmethod
    def facet_query(filterset, facet: Facet, queryset: QuerySet) -> tuple:
        """(query, value path, label path, timed): the facet's counts from the summary table
        where the other active filters allow (exact and quick: no time limit), else from
        the rows under the time limit."""
        label_path = facet.label_path or facet.value_path
        summary = summaries.for_model(queryset.model)
        if summary is not None:
            value, label = summary.translate(facet.value_path), summary.translate(label_path)
            if value is not None and label is not None:
                counts = counting.summarised(
                    filterset, leave_out=facet.param, also=[value.split("__", 1)[0]]
                )
                if counts is not None:
                    query = (
                        counts.order_by()
                        .values(value, label)
                        .annotate(n=Sum("n"))
                        .filter(**{f"{value}__isnull": False})
                    )
                    return query, value, label, False
        query = (
            queryset.order_by()
            .values(facet.value_path, label_path)
            .annotate(n=Count("pk", distinct=crosses_many(queryset.model, facet.value_path)))
            .filter(**{f"{facet.value_path}__isnull": False})
        )
        return query, facet.value_path, label_path, True

    def facet_views(self, filterset) -> list[FacetView]:
        views = []
        base = self.filter_data()
        filterset.is_valid()  # cleaned_data holds every valid filter (invalid ones are left out)
        for facet in self.facets:
            queryset = self.without_filter(filterset, facet.param)
            query, path, label_path, timed = self.facet_query(filterset, facet, queryset)
            counted = datacache.remember(
                self.request,
                self.cache_key("facet", facet.param, leave_out=facet.param),
                lambda query=query, path=path, timed=timed: self.count_facet(query, path, timed),
                timeout_for=incomplete_for_a_minute,
            )
            shown = {str(row[path]) for row in counted.get("rows", [])}
            missing = [v for v in base.getlist(facet.param) if v not in shown]
            if counted.get("more") and missing:
                extra = datacache.remember(
                    self.request,
                    self.cache_key("facet-ticked", facet.param),
                    lambda query=query, path=path, missing=missing, timed=timed: self.count_values(
                        query, path, missing, timed
                    ),
                    timeout_for=incomplete_for_a_minute,
                )
                counted = {**counted, "rows": counted["rows"] + extra.get("rows", [])}
            if counted.get("timed_out"):
                views.append(
                    FacetView(
                        facet=facet,
                        values=self.selected_only(facet, base, queryset),
                        errors=filterset.errors.get(facet.param, []),
                        timed_out=True,
                    )
                )
                continue
            rows = counted["rows"]
            labels = dict(facet.choices) if facet.choices is not None else {}
            selected = set(base.getlist(facet.param))
            values = [
                FacetValue(
                    value=str(row[path]),
                    label=labels.get(row[path], str(row[label_path])),
                    count=row["n"],
                    selected=str(row[path]) in selected,
                )
                for row in rows
                if row[path] != ""
            ]
            values.sort(key=lambda v: (-v.count, v.label))
            views.append(
                FacetView(
                    facet=facet,
                    values=values,
                    errors=filterset.errors.get(facet.param, []),
                    more=counted.get("more", False),
                )
            )
        return views
