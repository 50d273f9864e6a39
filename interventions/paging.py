"""Paging a list: counts cached until the data changes, pages read by id."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.utils.functional import cached_property

from . import datacache


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
