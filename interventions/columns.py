"""A list's columns: one spec serving the HTML table, the CSV export and the JSON results,
so the three never drift apart (interventions.listing)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from . import memberships
from .addresses import absolute


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
    json: Callable[[Any], Any] | None = None  # the JSON value, where it is not `value`'s

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


@dataclass
class Cell:
    text: str
    url: str = ""
    numeric: bool = False


def disagreement_text(obj) -> str:
    """Each disagreement the row is part of, with its address: "Sources differ: <title>
    (<url>)", or "The report prints two versions: …" inside one report."""
    return "; ".join(
        f"{flag.flag}: {flag.title} ({absolute(flag.get_absolute_url())})"
        for flag in memberships.flags(obj)
    )


def disagreement_json(obj) -> list[dict]:
    return [
        {
            "slug": flag.slug,
            "title": flag.title,
            "scope": flag.scope,
            "flag": flag.flag,
            "url": absolute(flag.get_absolute_url()),
        }
        for flag in memberships.flags(obj)
    ]


def disagreement_display(obj) -> str:
    return "; ".join(flag.flag for flag in memberships.flags(obj))


def disagreement_link(obj) -> str:
    flags = memberships.flags(obj)
    return flags[0].get_absolute_url() if len(flags) == 1 else ""


# Every list that shows facts ends with where each came from (the locator in exports only)
# and the disagreements each is part of (read with the rows: ListPage.get).
CITATION_COLUMNS = [
    Column("source", "Source", lambda o: o.source.title),
    Column("locator", "Where in the source", lambda o: o.locator, in_html=False),
    Column(
        "disagreements",
        "Disagreements",
        disagreement_text,
        display=disagreement_display,
        link=disagreement_link,
        json=disagreement_json,
    ),
]


def json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)  # exact, never a float
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def date_columns(key: str, label: str, field: str, *, in_html: bool = True) -> list[Column]:
    """A partial date's columns, the same in HTML, CSV and JSON: the sortable first day
    (blank without a year; shown as printed), its precision, its EDTF form ("XXXX-02-21",
    "2014?-04-16"), whether its year is inferred, whether it is actual, planned or expected,
    and its note."""
    from .models import PartialDate

    def parts(o):
        return PartialDate.of(o, field)

    return [
        Column(
            key,
            label,
            lambda o: getattr(o, field),
            field,
            display=lambda o: parts(o).display(),
            in_html=in_html,
        ),
        Column(
            f"{key}_precision",
            f"{label} precision",
            lambda o: getattr(o, f"{field}_precision"),
            in_html=False,
        ),
        Column(f"{key}_edtf", f"{label} (EDTF)", lambda o: parts(o).edtf(), in_html=False),
        Column(
            f"{key}_year_inferred",
            f"{label} year inferred",
            lambda o: getattr(o, f"{field}_year_inferred"),
            in_html=False,
        ),
        Column(
            f"{key}_kind", f"{label} kind", lambda o: getattr(o, f"{field}_kind"), in_html=False
        ),
        Column(
            f"{key}_note", f"{label} note", lambda o: getattr(o, f"{field}_note"), in_html=False
        ),
    ]
