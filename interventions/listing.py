"""The list page: a FilterSet, a base queryset and a list of columns, answering HTML, CSV
and JSON from the same columns. The whole state (filters, sort, page, format) lives in the
query string.

Its parts, one concern each: columns (.columns), sorting (.sorting), the row count (.counting,
from the summary table where it can: .summaries), facets (.facets), paging (.paging, .keyset),
CSV (.csvexport), the page's chrome (.listchrome). Their names are re-exported here.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse, JsonResponse, QueryDict
from django.views.generic import TemplateView

from . import counting
from .addresses import absolute
from .columns import (
    CITATION_COLUMNS,
    Cell,
    Column,
    date_columns,
    disagreement_display,
    disagreement_json,
    disagreement_link,
    disagreement_text,
    json_value,
)
from .csvexport import CsvExportMixin, csv_restore, csv_safe
from .facets import Facet, FacetsMixin, QueryTooSlow, time_limit
from .keyset import NEXT, NUMBERED_PAGES, PREVIOUS, BadCursor, Cursor
from .keyset import dumps as dump_cursor
from .keyset import loads as load_cursor
from .keyset import scope as cursor_scope
from .listchrome import list_context
from .memberships import with_disagreements
from .paging import CachedCountPaginator
from .sorting import BadRequest, SortingMixin

__all__ = [
    "CITATION_COLUMNS",
    "BadRequest",
    "Cell",
    "Column",
    "Facet",
    "ListPage",
    "QueryTooSlow",
    "csv_restore",
    "csv_safe",
    "date_columns",
    "disagreement_display",
    "disagreement_json",
    "disagreement_link",
    "disagreement_text",
    "json_value",
    "time_limit",
]

FORMATS = ("html", "csv", "json")
# ?format=json&size=all answers every row on one page up to this many; beyond, the CSV.
JSON_ALL_MAX = 10_000
NO_ROWS_THERE = (
    "The list has changed since the link you followed was made, and no rows are left where "
    "it pointed; showing page 1."
)


class ListPage(SortingMixin, FacetsMixin, CsvExportMixin, TemplateView):
    """A filterable, sortable, paginated list that also answers ?format=csv and ?format=json."""

    filterset_class = None
    columns: list[Column] = []
    facets: list[Facet] = []
    default_sort = ""
    paginate_by = 50
    json_all_max = JSON_ALL_MAX
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
        for param in ("sort", "page", "cursor", "format", "size"):
            data.pop(param, None)
        return data

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
            sort, sort_key = self.ordering()
        except BadRequest as error:
            problems.append(str(error))
            sort, sort_key = self.default_sort, self.default_sort_key()
        cursor = None
        if "cursor" in request.GET and fmt != "csv":
            try:
                cursor = load_cursor(request.GET["cursor"], self.cursor_scope(sort))
            except BadCursor as error:
                problems.append(str(error))
        if fmt != "html" and problems:
            return self.bad_request(fmt, problems)
        # Each fact's disagreements, read with the rows (no query of their own).
        queryset = with_disagreements(filterset.qs.order_by(*sort_key.ordering()))
        if fmt == "csv":
            return self.csv_response(queryset)
        paginator = CachedCountPaginator(
            queryset,
            self.paginate_by,
            sort_key=sort_key,
            count=counting.counter(request, filterset, queryset, self.cache_key("count")),
        )
        if fmt == "json" and "size" in request.GET:
            return self.json_all_response(queryset, paginator)
        page_param = request.GET.get("page", "1")
        if cursor is not None:
            page = paginator.keyset_page(cursor)
            if not page.object_list:
                # The rows it pointed past are gone (the data changed): start again.
                if fmt == "json":
                    return self.bad_request(fmt, [NO_ROWS_THERE])
                problems.append(NO_ROWS_THERE)
                page = paginator.get_page(1)
        elif "cursor" in request.GET:
            page = paginator.get_page(1)  # a cursor that could not be used: said above
        else:
            page = paginator.get_page(page_param)
            if str(page.number) != page_param and "page" in request.GET:
                if fmt == "json":
                    return self.bad_request(fmt, [f'There is no page "{page_param}".'])
                problems.append(f'There is no page "{page_param}"; showing page {page.number}.')
        if fmt == "json":
            return self.json_response(page, sort)
        context = self.get_context_data(
            filterset=filterset,
            facets=self.facet_views(filterset),
            page_obj=page,
            paginator=paginator,
            rows=self.rows(page.object_list),
            headers=self.headers(sort),
            problems=problems,
            sort=sort,
            next_url=self.turn_url(page, sort, forward=True, absolute_url=False),
            previous_url=self.turn_url(page, sort, forward=False, absolute_url=False),
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
        filters = self.known_filters(leave_out)
        return repr((type(self).__module__, type(self).__qualname__, *parts, filters))

    def known_filters(self, leave_out: str = "") -> list:
        known = self.filterset_class.base_filters
        return sorted(
            (name, sorted(values))
            for name, values in self.filter_data().lists()
            if name in known and name != leave_out
        )

    def cursor_scope(self, sort: str) -> str:
        """A cursor is good for this list, this sort and these filters only."""
        list_id = f"{type(self).__module__}.{type(self).__qualname__}"
        return cursor_scope(list_id, sort, repr(self.known_filters()))

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
        data = {
            column.key: column.json(obj) if column.json else json_value(column.value(obj))
            for column in self.columns
        }
        data["url"] = absolute(obj.get_absolute_url())
        return data

    def turn_url(self, page, sort: str, forward: bool, absolute_url: bool = True) -> str | None:
        """The next (or previous) page's address: ?page=N for the first pages, a cursor
        holding the last (first) row's sort key beyond them, so a deep page costs no OFFSET."""
        if not (page.has_next() if forward else page.has_previous()) or not page.keys:
            return None
        target = page.number + 1 if forward else page.number - 1
        params = self.request.GET.copy()
        params.pop("page", None)
        params.pop("cursor", None)
        if target <= NUMBERED_PAGES:
            params["page"] = str(target)
        else:
            pk, value = page.keys[-1] if forward else page.keys[0]
            cursor = Cursor(target, NEXT if forward else PREVIOUS, value, pk)
            params["cursor"] = dump_cursor(cursor, self.cursor_scope(sort))
        query = f"?{params.urlencode()}"
        return absolute(f"{self.request.path}{query}") if absolute_url else query

    def json_response(self, page, sort: str) -> JsonResponse:
        return JsonResponse(
            {
                "count": page.paginator.count,
                "next": self.turn_url(page, sort, forward=True),
                "previous": self.turn_url(page, sort, forward=False),
                "results": [self.record(obj) for obj in page.object_list],
            },
            json_dumps_params={"ensure_ascii": False},
        )

    def csv_url(self) -> str:
        params = self.request.GET.copy()
        for param in ("format", "size", "page", "cursor"):
            params.pop(param, None)
        params["format"] = "csv"
        return absolute(f"{self.request.path}?{params.urlencode()}")

    def json_all_response(self, queryset, paginator) -> JsonResponse:
        """?size=all: every row in one answer, up to json_all_max rows; more is a 400 that
        points to the CSV, which streams any number."""
        size = self.request.GET["size"]
        limit = self.json_all_max
        if size != "all":
            return self.bad_request(
                "json",
                [
                    f'Unknown size "{size}". Leave size out for pages of {self.paginate_by} '
                    f"with a link to the next, or ask for size=all (up to {limit:,} rows)."
                ],
            )
        if self.request.GET.get("page", "1") != "1" or "cursor" in self.request.GET:
            return self.bad_request(
                "json", ["size=all answers every row at once: leave page and cursor out."]
            )
        count = paginator.count
        if count > limit:
            return JsonResponse(
                {
                    "errors": [
                        f"This list has {count:,} rows, more than the {limit:,} that size=all "
                        f"answers. Download the CSV for every row (csv), or leave size out "
                        f"for pages of {self.paginate_by} with a link to the next."
                    ],
                    "csv": self.csv_url(),
                },
                status=400,
                json_dumps_params={"ensure_ascii": False},
            )
        return JsonResponse(
            {
                "count": count,
                "next": None,
                "previous": None,
                "results": [self.record(obj) for obj in queryset[:limit]],
            },
            json_dumps_params={"ensure_ascii": False},
        )

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
