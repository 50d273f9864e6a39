"""Where a dated fact stands against an intervention: before it, around its start, during it…

Dates are compared only as precisely as both are known. An inspection of April 2011 is before
an intervention that began in June 2011; an inspection known only as "2011" beside an
intervention of June 2011 is "around the start", because the reports do not say which came
first. An intervention whose end is not stated is never said to have ended, nor to be running.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from .models.common import DatePrecision, format_partial_date

PARTS = {DatePrecision.YEAR: 1, DatePrecision.MONTH: 2, DatePrecision.DAY: 3}


@dataclass(frozen=True)
class Known:
    """A date cut to the parts the report states: (2011,), (2011, 4) or (2011, 4, 4)."""

    parts: tuple[int, ...]
    shown: str

    @classmethod
    def of(cls, date: datetime.date | None, precision: str, year: int | None = None):
        if date is not None:
            parts = (date.year, date.month, date.day)[: PARTS.get(precision, 1)]
            return cls(parts, format_partial_date(date, precision))
        if year is not None:
            return cls((year,), str(year))
        return None

    def compare(self, other: Known) -> int | None:
        """-1 or 1 when one is clearly earlier; None when the known parts cannot tell."""
        common = min(len(self.parts), len(other.parts))
        mine, theirs = self.parts[:common], other.parts[:common]
        if mine != theirs:
            return -1 if mine < theirs else 1
        if len(self.parts) == len(other.parts) == 3:
            return 0  # the same day
        return None


@dataclass(frozen=True)
class Placement:
    key: str  # before, around-start, during, since-start, around-end, after, unknown
    label: str
    detail: str = ""


def place(when: Known | None, start: Known | None, end: Known | None) -> Placement:
    if when is None:
        return Placement("unknown", "Date not stated")
    if start is None:
        return Placement("unknown", "Not placed: the intervention's start is not stated")
    began = f"the intervention began {start.shown}"
    against_start = when.compare(start)
    if against_start is None:
        return Placement(
            "around-start",
            "Around the start: the reports do not say which came first",
            f"Inspected {when.shown}; {began}",
        )
    if against_start < 0:
        return Placement("before", "Before it began", f"Inspected {when.shown}; {began}")
    if end is None:
        return Placement(
            "since-start",
            "After it began (its end is not stated)",
            f"Inspected {when.shown}; {began}",
        )
    ended = f"it ended {end.shown}"
    against_end = when.compare(end)
    if against_end is None:
        return Placement(
            "around-end",
            "Around the end: the reports do not say which came first",
            f"Inspected {when.shown}; {ended}",
        )
    if against_end > 0:
        return Placement("after", "After it ended", f"Inspected {when.shown}; {ended}")
    return Placement("during", "During", f"Inspected {when.shown}; {began}, {ended}")


def inspection_placement(inspection, intervention) -> Placement:
    """An inspection against an intervention, by the inspection's own dates where known."""
    when = Known.of(inspection.start_date, inspection.start_date_precision, inspection.year)
    start = Known.of(intervention.start_date, intervention.start_date_precision)
    end = Known.of(intervention.end_date, intervention.end_date_precision)
    return place(when, start, end)
