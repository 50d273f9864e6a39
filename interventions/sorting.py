"""Sorting a list by any of its columns (?sort=key, ?sort=-key), blanks last either way."""

from __future__ import annotations

from .columns import Column
from .facets import may_be_null
from .keyset import Key


class BadRequest(Exception):
    """A query string the list cannot answer (shown on the page, or a 400 for data formats)."""


class SortingMixin:
    """The sort of a ListPage (which supplies `columns`, `default_sort`, `filterset_class`)."""

    columns: list[Column] = []
    default_sort = ""

    def sort_columns(self) -> dict[str, Column]:
        return {c.key: c for c in self.columns if c.order_by}

    def ordering(self) -> tuple[str, Key]:
        sort = self.request.GET.get("sort") or self.default_sort
        key = sort.removeprefix("-")
        column = self.sort_columns().get(key)
        if column is None:
            raise BadRequest(
                f'Cannot sort by "{sort}". Sort by one of: {", ".join(self.sort_columns())}.'
            )
        return sort, self.sort_key(column, descending=sort.startswith("-"))

    def sort_key(self, column: Column, descending: bool) -> Key:
        """Blanks last either way, but only where there can be blanks: NULLS LAST on a
        column without NULLs would stop the database reading its order from an index.
        Said explicitly, so SQLite and PostgreSQL (which differ) put them in the same place."""
        model = self.filterset_class._meta.model
        return Key(column.order_by, descending, may_be_null(model, column.order_by))

    def order_for(self, column: Column, descending: bool) -> list:
        return self.sort_key(column, descending).ordering()

    def default_sort_key(self) -> Key:
        column = self.sort_columns()[self.default_sort.removeprefix("-")]
        return self.sort_key(column, descending=self.default_sort.startswith("-"))

    def default_ordering(self) -> list:
        return self.default_sort_key().ordering()

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
