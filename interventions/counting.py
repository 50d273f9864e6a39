"""A list's row count: exact from the summary table where its filters allow, else counted.

Where every active filter is on a dimension the list is summarised by (interventions.
summaries), the count is one SUM over the summary's rows and needs no cache. Otherwise (free
text, an amount range) the rows are counted, and the count is cached until the data changes.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import QuerySet

from . import datacache, summaries


def summarised(filterset, leave_out: str = "", also=()) -> QuerySet | None:
    """The summary rows answering this list's filters (bar `leave_out`), or None if the list
    is not summarised or one of its active filters is on no dimension."""
    summary = summaries.for_model(filterset.queryset.model)
    if summary is None:
        return None
    try:
        return summaries.narrowed(summary, filterset, leave_out=leave_out, also=also)
    except summaries.NotSummarised:
        return None


def counter(request, filterset, queryset: QuerySet, key: str) -> Callable[[], int]:
    """How to count the list's rows (called once, when the page needs the count)."""
    counts = summarised(filterset)
    if counts is not None:
        return lambda: summaries.total(counts)
    return lambda: datacache.remember(request, key, queryset.count)
