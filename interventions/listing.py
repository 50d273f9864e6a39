"""Machinery shared by every list page: columns, sorting, facets with counts, formats.

A list page is a FilterSet, a base queryset and a list of columns. The same columns give
the HTML table, the CSV export and the JSON results, so the three never drift apart.
The whole state (filters, sort, page, format) lives in the query string.
"""

from __future__ import annotations

import csv
import datetime
import functools
import os
import re
import string
import time
import unicodedata
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.db import OperationalError, connection, transaction
from django.db.models import Count, F, QuerySet
from django.http import HttpResponse, JsonResponse, QueryDict, StreamingHttpResponse
from django.utils.functional import cached_property
from django.utils.text import slugify
from django.views.generic import TemplateView

from . import datacache
from .addresses import absolute, site_root
from .listchrome import list_context

FORMATS = ("html", "csv", "json")
# A facet lists at most this many values, the commonest first, plus any that are ticked:
# 400 councils with their counts would make a list page three times its size.
FACET_VALUES_MAX = 30
# Like Datasette's facet_time_limit_ms: a facet whose counts take longer is shown without
# counts rather than holding up the page (counting a million rows is the slow case).
# Counts are cached until the data changes, a time-out for a minute (datacache).
FACET_TIME_LIMIT_MS = int(os.environ.get("CASEBOOK_FACET_TIME_LIMIT_MS", "100"))
# A cell a spreadsheet may run as a formula starts with one of these once leading spaces and
# control characters are stripped and full-width forms folded (NFKC: "＝" is "="), or starts
# with a tab or carriage return as it stands. U+2212 MINUS SIGN is not folded by NFKC.
CSV_FORMULA_STARTS = ("=", "+", "-", "@", "\u2212")
CSV_RAW_STARTS = ("\t", "\r")
# Unicode categories stripped before looking: spaces (incl. no-break), line and paragraph
# separators, control characters (\n, \r, \t) and format characters (zero-width space, BOM).
CSV_IGNORED_CATEGORIES = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf"})
# A number written as text ("-5", "-1.50") is read as a number, not run as a formula.
CSV_PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?\Z")
# First characters that need no closer look (the common case, kept fast for big exports).
CSV_SAFE_FIRST = frozenset(string.ascii_letters + string.digits + '!"#$%&()*,./:;<>?[\\]^_`{|}~')


@dataclass(frozen=True)
class Column:
    """One column of a list: its key in ?sort=, CSV and JSON, and how to read it."""

    key: str
    label: str
    value: Callable[[Any], Any]
    order_by: str | None = None
    link: Callable[[Any], str] | None = None
    display: Callable[[Any], str] | None = None
    numeric: bool = False
    in_html: bool = True

    def text(self, obj) -> str:
        if self.display is not None:
            return self.display(obj)
        value = self.value(obj)
        if value is None:
            return ""
        if isinstance(value, bool):
            return "Yes" if value else "No"
        if isinstance(value, Decimal):
            return f"{value:,}"
        if isinstance(value, int):
            return f"{value:,}" if value >= 10000 else str(value)
        return str(value)


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


@dataclass
class Cell:
    text: str
    url: str = ""
    numeric: bool = False


# Every list that shows facts ends with where each came from (the locator in exports only).
CITATION_COLUMNS = [
    Column("source", "Source", lambda o: o.source.title),
    Column("locator", "Where in the source", lambda o: o.locator, in_html=False),
]


class CachedCountPaginator(Paginator):
    """A paginator whose count (a COUNT over up to a million rows) is cached until the data
    changes: turning a page or re-sorting does not count again."""

    def __init__(self, object_list, per_page, *, request, key: str):
        super().__init__(object_list, per_page)
        self.request, self.key = request, key

    @cached_property
    def count(self) -> int:
        return datacache.remember(self.request, self.key, self.object_list.count)

    def page(self, number):
        """Find the page's ids with a narrow query first, then read those rows whole.

        Sorting a million rows carrying every joined column is what made a sorted page slow;
        sorting ids (from an index where there is one) and joining 50 rows is cheap."""
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        found = {obj.pk: obj for obj in self.object_list.order_by().filter(pk__in=ids)}
        return self._get_page([found[pk] for pk in ids if pk in found], number, self)


def incomplete_for_a_minute(counted: dict) -> int | None:
    return datacache.INCOMPLETE_SECONDS if counted.get("timed_out") else None


class BadRequest(Exception):
    """A query string the list cannot answer (shown on the page, or a 400 for data formats)."""


def _lstrip_ignored(text: str) -> str:
    start = 0
    while start < len(text) and unicodedata.category(text[start]) in CSV_IGNORED_CATEGORIES:
        start += 1
    return text[start:]


def csv_formula_like(text: str) -> bool:
    """Whether a spreadsheet might read this text cell as a formula."""
    if text.startswith(CSV_RAW_STARTS):
        return True
    if CSV_PLAIN_NUMBER.match(text):
        return False
    stripped = _lstrip_ignored(text)
    folded = _lstrip_ignored(unicodedata.normalize("NFKC", stripped[:32]))
    return stripped.startswith(CSV_FORMULA_STARTS) or folded.startswith(CSV_FORMULA_STARTS)


@functools.lru_cache(maxsize=4096)
def _needs_a_closer_look(first: str) -> bool:
    """Whether a cell starting with this character might be a formula (False: it is not)."""
    if first == "'" or unicodedata.category(first) in CSV_IGNORED_CATEGORIES:
        return True
    folded = unicodedata.normalize("NFKC", first)
    return (
        first.startswith(CSV_FORMULA_STARTS)
        or folded.startswith(CSV_FORMULA_STARTS)
        or not folded
        or unicodedata.category(folded[0]) in CSV_IGNORED_CATEGORIES
    )


def csv_safe(value: Any) -> Any:
    """Neutralise spreadsheet formulas in text cells by prefixing a quote; numbers pass through
    untouched. A cell already starting with quotes before a formula gets one more, so that
    `csv_restore` gives back exactly the text that was exported."""
    if not isinstance(value, str) or not value or value[0] in CSV_SAFE_FIRST:
        return value
    if _needs_a_closer_look(value[0]) and csv_formula_like(value.lstrip("'")):
        return "'" + value
    return value


def csv_restore(value: Any) -> Any:
    """The text that `csv_safe` was given, from the text it wrote (for re-importing an export)."""
    if isinstance(value, str) and value.startswith("'") and csv_formula_like(value.lstrip("'")):
        return value[1:]
    return value


def json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)  # exact, never a float
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


class Echo:
    def write(self, value):
        return value


class ListPage(TemplateView):
    """A filterable, sortable, paginated list that also answers ?format=csv and ?format=json."""

    filterset_class = None
    columns: list[Column] = []
    facets: list[Facet] = []
    default_sort = ""
    paginate_by = 50
    title = ""
    intro = ""
    export_name = ""
    template_name = "list.html"

    # Queries ------------------------------------------------------------------

    def get_queryset(self) -> QuerySet:
        raise NotImplementedError

    def filterset(self, data: QueryDict):
        return self.filterset_class(data=data, queryset=self.get_queryset(), request=self.request)

    def filter_data(self) -> QueryDict:
        data = self.request.GET.copy()
        for param in ("sort", "page", "format"):
            data.pop(param, None)
        return data

    def sort_columns(self) -> dict[str, Column]:
        return {c.key: c for c in self.columns if c.order_by}

    def ordering(self) -> tuple[str, list]:
        sort = self.request.GET.get("sort") or self.default_sort
        key = sort.removeprefix("-")
        column = self.sort_columns().get(key)
        if column is None:
            raise BadRequest(
                f'Cannot sort by "{sort}". Sort by one of: {", ".join(self.sort_columns())}.'
            )
        return sort, self.order_for(column, descending=sort.startswith("-"))

    def order_for(self, column: Column, descending: bool) -> list:
        """Blanks last either way, but only where there can be blanks: NULLS LAST on a
        column without NULLs would stop the database reading its order from an index."""
        expression = F(column.order_by)
        model = self.filterset_class._meta.model
        nulls_last = True if may_be_null(model, column.order_by) else None
        if descending:
            return [expression.desc(nulls_last=nulls_last), "-pk"]
        return [expression.asc(nulls_last=nulls_last), "pk"]

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

    def count_facet(self, query, path: str) -> dict:
        """The facet's commonest values, and whether there are more."""
        counted = self.rows_in_time(query.order_by("-n", path)[: FACET_VALUES_MAX + 1])
        if "rows" in counted:
            rows = counted["rows"]
            counted = {"rows": rows[:FACET_VALUES_MAX], "more": len(rows) > FACET_VALUES_MAX}
        return counted

    def count_values(self, query, path: str, values: list[str]) -> dict:
        """Counts for ticked values beyond the commonest, so they can be unticked."""
        return self.rows_in_time(query.filter(**{f"{path}__in": values}))

    def facet_views(self, filterset) -> list[FacetView]:
        views = []
        base = self.filter_data()
        filterset.is_valid()  # cleaned_data holds every valid filter (invalid ones are left out)
        for facet in self.facets:
            queryset = self.without_filter(filterset, facet.param)
            label_path = facet.label_path or facet.value_path
            query = (
                queryset.order_by()
                .values(facet.value_path, label_path)
                .annotate(n=Count("pk", distinct=crosses_many(queryset.model, facet.value_path)))
                .filter(**{f"{facet.value_path}__isnull": False})
            )
            counted = datacache.remember(
                self.request,
                self.cache_key("facet", facet.param, leave_out=facet.param),
                lambda query=query, facet=facet: self.count_facet(query, facet.value_path),
                timeout_for=incomplete_for_a_minute,
            )
            shown = {str(row[facet.value_path]) for row in counted.get("rows", [])}
            missing = [v for v in base.getlist(facet.param) if v not in shown]
            if counted.get("more") and missing:
                extra = datacache.remember(
                    self.request,
                    self.cache_key("facet-ticked", facet.param),
                    lambda query=query, facet=facet, missing=missing: self.count_values(
                        query, facet.value_path, missing
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
                    value=str(row[facet.value_path]),
                    label=labels.get(row[facet.value_path], str(row[label_path])),
                    count=row["n"],
                    selected=str(row[facet.value_path]) in selected,
                )
                for row in rows
                if row[facet.value_path] != ""
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

    # Responses ----------------------------------------------------------------

    def get(self, request, *args, **kwargs):
        fmt = request.GET.get("format", "html")
        if fmt not in FORMATS:
            return HttpResponse(
                f'Unknown format "{fmt}". Use one of: {", ".join(FORMATS)}.\n',
                status=400,
                content_type="text/plain; charset=utf-8",
            )
        filterset = self.filterset(self.filter_data())
        problems = [
            f"{self.filter_label(filterset, name)}: {' '.join(errors)}"
            for name, errors in filterset.errors.items()
        ]
        try:
            sort, ordering = self.ordering()
        except BadRequest as error:
            problems.append(str(error))
            sort, ordering = self.default_sort, self.default_ordering()
        if fmt != "html" and problems:
            return self.bad_request(fmt, problems)
        queryset = filterset.qs.order_by(*ordering)
        if fmt == "csv":
            return self.csv_response(queryset)
        paginator = CachedCountPaginator(
            queryset, self.paginate_by, request=request, key=self.cache_key("count")
        )
        page_param = request.GET.get("page", "1")
        page = paginator.get_page(page_param)
        if str(page.number) != page_param and "page" in request.GET:
            if fmt == "json":
                return self.bad_request(fmt, [f'There is no page "{page_param}".'])
            problems.append(f'There is no page "{page_param}"; showing page {page.number}.')
        if fmt == "json":
            return self.json_response(page)
        context = self.get_context_data(
            filterset=filterset,
            facets=self.facet_views(filterset),
            page_obj=page,
            paginator=paginator,
            rows=self.rows(page.object_list),
            headers=self.headers(sort),
            problems=problems,
            sort=sort,
        )
        response = self.render_to_response(context)
        # A page with a facet that gave up counting is kept in the page cache for a minute
        # only (config.middleware.PublicPageCacheMiddleware), like the time-out itself.
        response.casebook_incomplete = any(view.timed_out for view in context["facets"])
        return response

    def cache_key(self, *parts: str, leave_out: str = "") -> str:
        """What an answer about this list depends on, besides the data: its filters.

        Only real filters count (an unknown parameter changes no answer), and a facet's
        counts do not depend on its own filter: the council facet of one council's page is
        the council facet of the whole list, counted once for both.
        """
        known = self.filterset_class.base_filters
        filters = sorted(
            (name, sorted(values))
            for name, values in self.filter_data().lists()
            if name in known and name != leave_out
        )
        return repr((type(self).__module__, type(self).__qualname__, *parts, filters))

    def default_ordering(self) -> list:
        column = self.sort_columns()[self.default_sort.removeprefix("-")]
        return self.order_for(column, descending=self.default_sort.startswith("-"))

    @staticmethod
    def filter_label(filterset, name: str) -> str:
        if name in filterset.form.fields:
            return str(filterset.form.fields[name].label or name)
        return name

    def bad_request(self, fmt: str, problems: list[str]) -> HttpResponse:
        if fmt == "json":
            return JsonResponse({"errors": problems}, status=400)
        return HttpResponse(
            "\n".join(problems) + "\n", status=400, content_type="text/plain; charset=utf-8"
        )

    def html_columns(self) -> list[Column]:
        return [column for column in self.columns if column.in_html]

    def headers(self, sort: str) -> list[dict]:
        current = sort.removeprefix("-")
        descending = sort.startswith("-")
        headers = []
        for column in self.html_columns():
            header = {"label": column.label, "key": column.key, "numeric": column.numeric}
            if column.order_by:
                active = column.key == current
                header["sort_value"] = f"-{column.key}" if active and not descending else column.key
                header["aria_sort"] = (
                    ("descending" if descending else "ascending") if active else "none"
                )
            headers.append(header)
        return headers

    def rows(self, objects) -> list[tuple[Any, list[Cell]]]:
        return [
            (
                obj,
                [
                    Cell(
                        text=column.text(obj),
                        url=column.link(obj) if column.link else "",
                        numeric=column.numeric,
                    )
                    for column in self.html_columns()
                ],
            )
            for obj in objects
        ]

    def record(self, obj) -> dict:
        data = {column.key: json_value(column.value(obj)) for column in self.columns}
        data["url"] = absolute(obj.get_absolute_url())
        return data

    def page_url(self, number: int | None) -> str | None:
        if number is None:
            return None
        params = self.request.GET.copy()
        params["page"] = str(number)
        return absolute(f"{self.request.path}?{params.urlencode()}")

    def json_response(self, page) -> JsonResponse:
        return JsonResponse(
            {
                "count": page.paginator.count,
                "next": self.page_url(page.next_page_number() if page.has_next() else None),
                "previous": self.page_url(
                    page.previous_page_number() if page.has_previous() else None
                ),
                "results": [self.record(obj) for obj in page.object_list],
            },
            json_dumps_params={"ensure_ascii": False},
        )

    # Exports of the million-row tables can read plain tuples instead of building models:
    # `export_fields` are the lookups and `export_row` turns one tuple into the values of
    # `columns` and the row's address (tests check that both ways write the same file).
    export_fields: tuple[str, ...] = ()

    def export_row(self, values: tuple) -> tuple[list, str]:
        raise NotImplementedError

    def csv_records(self, queryset, fast: bool = True):
        """(values of every column, address of the row's page), row by row."""
        if fast and self.export_fields:
            for values in queryset.values_list(*self.export_fields).iterator(chunk_size=2000):
                yield self.export_row(values)
            return
        for obj in queryset.iterator(chunk_size=2000):
            yield [column.value(obj) for column in self.columns], obj.get_absolute_url()

    def csv_rows(self, queryset, fast: bool = True):
        writer = csv.writer(Echo())
        yield "\ufeff"  # byte-order mark, so spreadsheets read the file as UTF-8
        yield writer.writerow([c.label for c in self.columns] + ["Casebook URL"])
        base = site_root()
        batch = []
        for values, url in self.csv_records(queryset, fast):
            batch.append(
                writer.writerow([csv_safe("" if v is None else v) for v in values] + [base + url])
            )
            if len(batch) == 500:  # one write to the socket per 500 rows, not per row
                yield "".join(batch)
                batch = []
        if batch:
            yield "".join(batch)

    def csv_response(self, queryset) -> StreamingHttpResponse:
        response = StreamingHttpResponse(
            self.csv_rows(queryset), content_type="text/csv; charset=utf-8"
        )
        name = self.export_name or slugify(self.title)
        stamp = datetime.date.today().isoformat()  # noqa: DTZ011 (a date for a file name)
        response["Content-Disposition"] = f'attachment; filename="casebook-{name}-{stamp}.csv"'
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            title=self.title,
            intro=self.intro,
            columns=self.columns,
            query=self.request.GET,
            has_filters=bool(self.filter_data()),
            facet_params={facet.param for facet in self.facets},
        )
        context.update(list_context(self, context))  # chips, export links, breadcrumbs
        return context
