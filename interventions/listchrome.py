"""What a list page says about itself: filter chips, export links, breadcrumbs, print header.

Read from the list's state once it is known (ListPage.get_context_data): the filters as the
reader gave them, the ones the list could not use (`problems`), the sort in force and the
count. Labels come from the form's choices and from the facets already counted; only a filter
the list could not use is checked again, value by value, to say which value was at fault.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.urls import reverse


@dataclass(frozen=True)
class Chip:
    """One filter value in force, and the address of the list without it."""

    label: str
    value: str
    remove_url: str
    bad: bool = False
    note: str = ""  # why a value the reader gave is not used, e.g. "not a known value, ignored"

    @property
    def text(self) -> str:
        text = f"{self.label}: {self.value}"
        return f"{text} \N{EM DASH} {self.note}" if self.note else text


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


def value_is_valid(field, value: str) -> bool:
    """Whether the form would take this one value on its own."""
    multiple = isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField)
    try:
        field.clean([value] if multiple else value)
    except ValidationError:
        return False
    return True


def ignored_note(field, value: str, label: str) -> str:
    """What a chip of a filter the list could not use says about its value."""
    if field is None or not value_is_valid(field, value):
        if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
            return "not a known value, ignored"
        return "not a valid value, ignored"
    # A good value beside a bad one: the form refuses the filter as a whole.
    return f"ignored, because another {label} value is not known"


def filter_chips(page, filterset, facets) -> list[Chip]:
    """A chip per filter value given, each linking to the list without that one value; a
    value the list could not use is marked so, and can be removed like any other."""
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
            rest.pop("cursor", None)
            bad = name in errors
            chips.append(
                Chip(
                    label=str(label),
                    value=labels.get(name, {}).get(value, value),
                    remove_url=_url(request.path, rest),
                    bad=bad,
                    note=ignored_note(filterset.form.fields.get(name), value, str(label))
                    if bad
                    else "",
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
    query.pop("cursor", None)
    query.pop("size", None)
    if "sort" in query:
        if sort and sort != page.default_sort:
            query["sort"] = sort
        else:
            query.pop("sort")
    return query


def export_links(page, filterset, sort: str, count: int) -> list[dict]:
    """CSV (every row, streamed) and JSON (pages with a `next` link; every row at once with
    ?size=all up to the list's limit), each link saying what it returns."""
    query = export_query(page, filterset, sort)
    csv_query, json_query = query.copy(), query.copy()
    csv_query["format"], json_query["format"] = "csv", "json"
    rows = "row" if count == 1 else "rows"
    size, limit = page.paginate_by, page.json_all_max
    links = [
        {
            "url": f"?{csv_query.urlencode()}",
            "label": f"CSV: all {count:,} {rows}",
            "download": True,
        },
        {
            "url": f"?{json_query.urlencode()}",
            "label": f"JSON: pages of {size}, each linking to the next",
            "download": False,
        },
    ]
    if count <= limit:
        all_query = json_query.copy()
        all_query["size"] = "all"
        links.append(
            {
                "url": f"?{all_query.urlencode()}",
                "label": f"JSON: all {count:,} {rows} at once",
                "download": False,
            }
        )
    else:
        links[1]["label"] += f" (all at once only up to {limit:,} rows: for more, the CSV)"
    return links


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
