"""The list pages' JSON (interventions.listing.ListPage), described from the list pages
themselves: parameters from their FilterSets and sortable columns, rows from their columns."""

from __future__ import annotations

import django_filters

from interventions.filter_fields import AmountFilter, PublishedValuesFilter, TextFilter, YearFilter
from interventions.keyset import NUMBERED_PAGES

from .schema import (
    BAD_REQUEST,
    BOOLEAN,
    DATE,
    DECIMAL,
    FORMAT_JSON,
    INTEGER,
    STRING,
    URL,
    array,
    nullable,
    operation,
    ref,
    strict,
)

# Every column is text unless named here (by its key, the same in every list that has it).
NULLABLE_DATE = nullable(DATE)
NULLABLE_YEAR = nullable(INTEGER)
COLUMN_SCHEMAS = {
    # Dates (a partial date is its first day, with its precision beside it).
    "start": NULLABLE_DATE,
    "end": NULLABLE_DATE,
    "date": NULLABLE_DATE,
    "published": NULLABLE_DATE,
    "status_as_of": NULLABLE_DATE,
    # Years and positions.
    "year": NULLABLE_YEAR,
    "position": INTEGER,
    # Counts of related rows.
    "interventions": INTEGER,
    "participations": INTEGER,
    "inspections": INTEGER,
    "statistics": INTEGER,
    "facts": INTEGER,
    "payments": INTEGER,
    "posts": INTEGER,
    # Flags.
    "mentioned_only": BOOLEAN,
    # Money and measured values, exact.
    "amount_gbp": DECIMAL,
    "value": DECIMAL,
    "comparator_value": nullable(DECIMAL),
    "cost_low_gbp": nullable(DECIMAL),
    "cost_high_gbp": nullable(DECIMAL),
    # The disagreements a fact is part of (interventions.listing.CITATION_COLUMNS).
    "disagreements": array(ref("DisagreementFlag")),
}


def column_schema(column) -> dict:
    if column.key.endswith("year_inferred"):
        # beside each partial date (interventions.listing.date_columns), a statistic's year
        return BOOLEAN
    return COLUMN_SCHEMAS.get(column.key, STRING)


def list_row_schema(view) -> dict:
    """One row of a list's JSON: its columns (ListPage.record) and the row's own address."""
    return strict({**{c.key: column_schema(c) for c in view.columns}, "url": URL})


def filter_parameter(name: str, field) -> dict:
    """A FilterSet's filter as a query parameter (a new kind of filter must be added here)."""
    if isinstance(field, YearFilter):
        schema = {
            "type": "integer",
            "minimum": field.extra["min_value"],
            "maximum": field.extra["max_value"],
        }
    elif isinstance(field, AmountFilter):
        schema = {
            "type": "number",
            "minimum": field.extra["min_value"],
            "maximum": field.extra["max_value"],
        }
    elif isinstance(field, TextFilter):
        schema = {"type": "string", "maxLength": field.extra["max_length"]}
    elif isinstance(field, django_filters.ModelMultipleChoiceFilter | PublishedValuesFilter):
        # Slugs of related records, or values the data holds: not fixed, so not listed.
        schema = array(STRING)
    elif isinstance(field, django_filters.MultipleChoiceFilter):
        schema = array({"type": "string", "enum": [value for value, _ in field.extra["choices"]]})
    elif isinstance(field, django_filters.ChoiceFilter):
        schema = {"type": "string", "enum": [value for value, _ in field.extra["choices"]]}
    else:
        raise TypeError(f"Describe the {type(field).__name__} filter {name!r} in config.openapi.")
    parameter = {
        "name": name,
        "in": "query",
        "required": False,
        "description": str(field.label or name),
        "schema": schema,
    }
    if schema.get("type") == "array":
        parameter |= {"style": "form", "explode": True}
    return parameter


def list_parameters(view) -> list[dict]:
    filters = view.filterset_class.base_filters
    sorts = list(view().sort_columns())
    return [
        FORMAT_JSON,
        *(filter_parameter(name, field) for name, field in filters.items()),
        {
            "name": "sort",
            "in": "query",
            "required": False,
            "description": f"A column, or -column for the reverse; {view.default_sort} unless "
            "given.",
            "schema": {"type": "string", "enum": [*sorts, *(f"-{key}" for key in sorts)]},
        },
        {
            "name": "page",
            "in": "query",
            "required": False,
            "description": f"Which page of {view.paginate_by} rows (a page past the last is a "
            f"400); pages past the first {NUMBERED_PAGES} are reached by their cursor.",
            "schema": {"type": "integer", "minimum": 1},
        },
        {
            "name": "cursor",
            "in": "query",
            "required": False,
            "description": "Where a page past the first "
            f"{NUMBERED_PAGES} starts, as the next and previous links give it (signed, "
            "good only for the sort and filters it came with; any other is a 400). Leave page "
            "out.",
            "schema": {"type": "string"},
        },
        {
            "name": "size",
            "in": "query",
            "required": False,
            "description": f"all for every row at once, up to {view.json_all_max:,} (leave page "
            "out); a longer list answers 400 with the address of its CSV.",
            "schema": {"type": "string", "enum": ["all"]},
        },
    ]


def list_operation(view) -> dict:
    page = strict(
        {
            "count": {"type": "integer", "minimum": 0},
            "next": nullable(URL),
            "previous": nullable(URL),
            "results": array(list_row_schema(view)),
        }
    )
    return operation(f"{view.title} (list)", page, list_parameters(view), **{"400": BAD_REQUEST})
