"""CSV exports of a list: every row streamed, formulas neutralised for spreadsheets."""

from __future__ import annotations

import csv
import datetime
import functools
import re
import string
import unicodedata
from typing import Any

from django.http import StreamingHttpResponse
from django.utils.text import slugify

from .addresses import site_root
from .memberships import with_disagreements

# A cell a spreadsheet may run as a formula starts with one of these once leading spaces and
# control characters are stripped and full-width forms folded (NFKC: "＝" is "="), or starts
# with a tab or carriage return as it stands. U+2212 MINUS SIGN is not folded by NFKC.
CSV_FORMULA_STARTS = ("=", "+", "-", "@", "\u2212")
CSV_RAW_STARTS = ("\t", "\r")
# Unicode categories stripped before looking: spaces (incl. no-break), line and paragraph
# separators, control characters (\n, \r, \t) and format characters (zero-width space, BOM).
CSV_IGNORED_CATEGORIES = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf"})
# A number written as text ("-5", "-1.50") is read as a number, not run as a formula.
CSV_PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?\Z")
# First characters that need no closer look (the common case, kept fast for big exports).
CSV_SAFE_FIRST = frozenset(string.ascii_letters + string.digits + '!"#$%&()*,./:;<>?[\\]^_`{|}~')


def _lstrip_ignored(text: str) -> str:
    start = 0
    while start < len(text) and unicodedata.category(text[start]) in CSV_IGNORED_CATEGORIES:
        start += 1
    return text[start:]


def csv_formula_like(text: str) -> bool:
    """Whether a spreadsheet might read this text cell as a formula."""
    if text.startswith(CSV_RAW_STARTS):
        return True
    if CSV_PLAIN_NUMBER.match(text):
        return False
    stripped = _lstrip_ignored(text)
    folded = _lstrip_ignored(unicodedata.normalize("NFKC", stripped[:32]))
    return stripped.startswith(CSV_FORMULA_STARTS) or folded.startswith(CSV_FORMULA_STARTS)


@functools.lru_cache(maxsize=4096)
def _needs_a_closer_look(first: str) -> bool:
    """Whether a cell starting with this character might be a formula (False: it is not)."""
    if first == "'" or unicodedata.category(first) in CSV_IGNORED_CATEGORIES:
        return True
    folded = unicodedata.normalize("NFKC", first)
    return (
        first.startswith(CSV_FORMULA_STARTS)
        or folded.startswith(CSV_FORMULA_STARTS)
        or not folded
        or unicodedata.category(folded[0]) in CSV_IGNORED_CATEGORIES
    )


def csv_safe(value: Any) -> Any:
    """Neutralise spreadsheet formulas in text cells by prefixing a quote; numbers pass through
    untouched. A cell already starting with quotes before a formula gets one more, so that
    `csv_restore` gives back exactly the text that was exported."""
    if not isinstance(value, str) or not value or value[0] in CSV_SAFE_FIRST:
        return value
    if _needs_a_closer_look(value[0]) and csv_formula_like(value.lstrip("'")):
        return "'" + value
    return value


def csv_restore(value: Any) -> Any:
    """The text that `csv_safe` was given, from the text it wrote (for re-importing an export)."""
    if isinstance(value, str) and value.startswith("'") and csv_formula_like(value.lstrip("'")):
        return value[1:]
    return value


class Echo:
    def write(self, value):
        return value


class CsvExportMixin:
    """?format=csv for a ListPage (which supplies `columns`, `title`, `export_name`)."""

    # Exports of the million-row tables can read plain tuples instead of building models:
    # `export_fields` are the lookups and `export_row` turns one tuple into the values of
    # `columns` and the row's address (tests check that both ways write the same file).
    export_fields: tuple[str, ...] = ()

    def export_row(self, values: tuple) -> tuple[list, str]:
        raise NotImplementedError

    def csv_records(self, queryset, fast: bool = True):
        """(values of every column, address of the row's page), row by row."""
        queryset = with_disagreements(queryset)  # each row's, read with it
        if fast and self.export_fields:
            for values in queryset.values_list(*self.export_fields).iterator(chunk_size=2000):
                yield self.export_row(values)
            return
        for obj in queryset.iterator(chunk_size=2000):
            yield [column.value(obj) for column in self.columns], obj.get_absolute_url()

    def csv_rows(self, queryset, fast: bool = True):
        writer = csv.writer(Echo())
        yield "\ufeff"  # byte-order mark, so spreadsheets read the file as UTF-8
        yield writer.writerow([c.label for c in self.columns] + ["Casebook URL"])
        base = site_root()
        batch = []
        for values, url in self.csv_records(queryset, fast):
            batch.append(
                writer.writerow([csv_safe("" if v is None else v) for v in values] + [base + url])
            )
            if len(batch) == 500:  # one write to the socket per 500 rows, not per row
                yield "".join(batch)
                batch = []
        if batch:
            yield "".join(batch)

    def csv_response(self, queryset) -> StreamingHttpResponse:
        response = StreamingHttpResponse(
            self.csv_rows(queryset), content_type="text/csv; charset=utf-8"
        )
        name = self.export_name or slugify(self.title)
        stamp = datetime.date.today().isoformat()  # noqa: DTZ011 (a date for a file name)
        response["Content-Disposition"] = f'attachment; filename="casebook-{name}-{stamp}.csv"'
        return response
