"""Paging a list: the count worked out once (.counting), pages read by id, deep pages by
keyset (.keyset) rather than OFFSET."""

from __future__ import annotations

from collections.abc import Callable

from django.core.paginator import Page, Paginator
from django.utils.functional import cached_property

from .keyset import Cursor, Key


class ListPageOfRows(Page):
    """A page that also knows the sort key of each of its rows (pk, value), in order, so its
    links can say where the next page starts."""

    def __init__(self, object_list, number, paginator, keys, more_after=None):
        super().__init__(object_list, number, paginator)
        self.keys = keys
        self.more_after = more_after  # read past the page (keyset); None: from the count

    def has_next(self):
        if self.more_after is not None:
            return self.more_after
        return super().has_next()

    def has_previous(self):
        return self.number > 1


class CachedCountPaginator(Paginator):
    """A paginator whose count is worked out once, by the list (interventions.counting: from
    the summary table, or a COUNT cached until the data changes), and only if needed."""

    def __init__(self, object_list, per_page, *, sort_key: Key, count: Callable[[], int]):
        super().__init__(object_list, per_page)
        self.sort_key, self._count = sort_key, count

    @cached_property
    def count(self) -> int:
        return self._count()

    def rows(self, keys, number, more_after=None) -> ListPageOfRows:
        """The page whose rows have these keys, read whole by id."""
        ids = [pk for pk, _ in keys]
        found = {obj.pk: obj for obj in self.object_list.order_by().filter(pk__in=ids)}
        objects = [found[pk] for pk in ids if pk in found]
        return ListPageOfRows(objects, number, self, keys, more_after)

    def page(self, number):
        """Find the page's ids with a narrow query first, then read those rows whole.

        Sorting a million rows carrying every joined column is what made a sorted page slow;
        sorting ids (from an index where there is one) and joining 50 rows is cheap."""
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        keys = list(self.object_list.values_list("pk", self.sort_key.path)[bottom:top])
        return self.rows(keys, number)

    def keyset_page(self, cursor: Cursor) -> ListPageOfRows:
        """The page a cursor leads to: the rows after its key (before it, going back), found
        with a WHERE on the sort key and id and LIMIT, never OFFSET; one row more than the page
        says whether another page follows."""
        key = self.sort_key
        rows = self.object_list.filter(key.beyond(cursor.value, cursor.pk, cursor.reverse))
        if cursor.reverse:
            rows = rows.order_by(*key.ordering(reverse=True))
        keys = list(rows.values_list("pk", key.path)[: self.per_page + 1])
        more = len(keys) > self.per_page
        keys = keys[: self.per_page]
        if cursor.reverse:
            keys.reverse()
            return self.rows(keys, cursor.page, more_after=True)
        return self.rows(keys, cursor.page, more_after=more)
