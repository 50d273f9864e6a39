"""What a list page says about itself: filter chips, export links, breadcrumbs, print header.

Read from the list's state once it is known (ListPage.get_context_data): the filters as the
reader gave them, the ones the list could not use (`problems`), the sort in force and the
count. Nothing here queries the database: labels come from the form's choices and from the
facets already counted.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import QueryDict
from django.urls import reverse


@dataclass(frozen=True)
class Chip:
    """One filter value in force, and the address of the list without it."""

    label: str
    value: str
    remove_url: str
    bad: bool = False


def _url(path: str, query: QueryDict) -> str:
    encoded = query.urlencode()
    return f"{path}?{encoded}" if encoded else path


def value_labels(filterset, facets, names) -> dict[str, dict[str, str]]:
    """{param: {value: label}} from the facets' counted values and the form's fixed choices
    (a choice list drawn from the database is not read: that would be a query)."""
    labels: dict[str, dict[str, str]] = {}
    for name in names:
        field = filterset.form.fields.get(name)
        choices = getattr(field, "choices", None)
        if isinstance(choices, list | tuple):
            labels[name] = {str(value): str(label) for value, label in choices if value != ""}
    for view in facets:
        labels.setdefault(view.facet.param, {}).update({v.value: v.label for v in view.values})
    return labels


def filter_chips(page, filterset, facets) -> list[Chip]:
    """A chip per filter value given, each linking to the list without that one value."""
    request = page.request
    data = page.filter_data()
    labels = value_labels(filterset, facets, list(data))
    facet_labels = {view.facet.param: view.facet.label for view in facets}
    errors = filterset.errors
    chips = []
    for name in data:
        if name not in filterset.base_filters:
            continue
        label = facet_labels.get(name) or page.filter_label(filterset, name)
        for value in data.getlist(name):
            if value == "":
                continue
            rest = request.GET.copy()
            rest.setlist(name, [v for v in rest.getlist(name) if v != value])
            rest.pop("page", None)
            chips.append(
                Chip(
                    label=str(label),
                    value=labels.get(name, {}).get(value, value),
                    remove_url=_url(request.path, rest),
                    bad=name in errors,
                )
            )
    return chips


def export_query(page, filterset, sort: str) -> QueryDict:
    """The list's query as the page used it: without the filters and sort it could not use.

    An export link must give what the page shows, never a 400: a bad value on the page is
    reported and left out, so it is left out of the links too.
    """
    query = page.request.GET.copy()
    for name in filterset.errors:
        query.pop(name, None)
    query.pop("page", None)
    if "sort" in query:
        if sort and sort != page.default_sort:
            query["sort"] = sort
        else:
            query.pop("sort")
    return query


def export_links(page, filterset, sort: str, count: int) -> list[dict]:
    query = export_query(page, filterset, sort)
    csv_query, json_query = query.copy(), query.copy()
    csv_query["format"], json_query["format"] = "csv", "json"
    rows = "row" if count == 1 else "rows"
    return [
        {
            "url": f"?{csv_query.urlencode()}",
            "label": f"CSV: all {count:,} {rows}",
            "download": True,
        },
        {
            "url": f"?{json_query.urlencode()}",
            "label": f"JSON: pages of {page.paginate_by}",
            "download": False,
        },
    ]


def list_context(page, context: dict) -> dict:
    """The extras list.html shows, once the list's own context is built."""
    filterset, paginator = context.get("filterset"), context.get("paginator")
    if filterset is None or paginator is None:
        return {}
    return {
        "chips": filter_chips(page, filterset, context.get("facets", [])),
        "exports": export_links(page, filterset, context.get("sort", ""), paginator.count),
        "breadcrumbs": [("Home", reverse("home")), (page.title, "")],
        "export_dropped": bool(filterset.errors)
        or ("sort" in page.request.GET and context.get("sort") != page.request.GET.get("sort")),
    }
