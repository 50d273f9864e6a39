"""Keyset paging for the deep pages of a list: a signed cursor instead of OFFSET.

The first pages of a list are numbered (?page=N, read with OFFSET, cheap that near the
start). Beyond them the "next" and "previous" links carry a cursor (?cursor=…): the sort key
of the last (or first) row shown and its id, signed so that it cannot be forged, with the
list, sort and filters it was made for. The next page is then the rows after that key,

    WHERE (sortkey, id) > (last, last_id) [OR sortkey IS NULL]
    ORDER BY sortkey, id LIMIT size + 1

which costs the same 2,000 pages in as on page 21: no OFFSET, no COUNT but the cached one.
Blanks (NULL) sort last in either direction, as ListPage.order_for orders them explicitly
on both databases, so the condition says where NULLs stand too; the id breaks ties.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core import signing
from django.db.models import F, Q
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan

# Pages up to this number keep their numbers (?page=N); links beyond carry a cursor.
NUMBERED_PAGES = 20
SALT = "casebook.listing.cursor"
NEXT, PREVIOUS = "n", "p"


class BadCursor(Exception):
    """A cursor that is not one of ours, or was made for another list, sort or filters."""


@dataclass(frozen=True)
class Key:
    """How a list is ordered: one column (by its ORM path), which way, whether it may hold
    NULLs (placed last either way), then the id the same way."""

    path: str
    descending: bool
    nullable: bool

    def ordering(self, reverse: bool = False) -> list:
        """ORDER BY for reading forwards, or backwards (for a "previous" page)."""
        descending = self.descending != reverse
        expression = F(self.path)
        # Forwards NULLs come last; read backwards they come first.
        if self.nullable:
            nulls = {"nulls_first": True} if reverse else {"nulls_last": True}
        else:
            nulls = {}  # no NULLs: a NULLS clause would stop an index giving the order
        if descending:
            return [expression.desc(**nulls), "-pk"]
        return [expression.asc(**nulls), "pk"]

    def beyond(self, value: Any, pk: Any, reverse: bool = False) -> Q:
        """The rows that come after (value, pk) when read forwards, or before it when
        `reverse`: the keyset condition, NULLs and ties included."""
        descending = self.descending != reverse
        after = "lt" if descending else "gt"
        nulls_after = not reverse  # forwards NULLs are last, so they follow any value
        same_then_id = Q(**{f"pk__{after}": pk})
        if value is None:
            if nulls_after:
                return Q(**{f"{self.path}__isnull": True}) & same_then_id
            return Q(**{f"{self.path}__isnull": False}) | (
                Q(**{f"{self.path}__isnull": True}) & same_then_id
            )
        # (sortkey, id) > (value, pk): a row comparison an index on (sortkey, id) can answer.
        compare = TupleLessThan if descending else TupleGreaterThan
        condition = Q(compare(Tuple(F(self.path), F("pk")), (value, pk)))
        if self.nullable and nulls_after:
            condition |= Q(**{f"{self.path}__isnull": True})
        return condition


# Sort values travel as [type, text] so a date, an exact decimal or a flag comes back as one.
def encode_value(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, bool):
        return ["b", int(value)]
    if isinstance(value, int):
        return ["i", value]
    if isinstance(value, Decimal):
        return ["n", str(value)]
    if isinstance(value, datetime.datetime):
        return ["t", value.isoformat()]
    if isinstance(value, datetime.date):
        return ["d", value.isoformat()]
    if isinstance(value, float):
        return ["f", value]
    return ["s", str(value)]


def decode_value(data: Any) -> Any:
    if data is None:
        return None
    try:
        kind, text = data
        match kind:
            case "b":
                return bool(text)
            case "i":
                return int(text)
            case "n":
                return Decimal(text)
            case "t":
                return datetime.datetime.fromisoformat(text)
            case "d":
                return datetime.date.fromisoformat(text)
            case "f":
                return float(text)
            case "s":
                return str(text)
    except (TypeError, ValueError, InvalidOperation):
        pass
    raise BadCursor("This page's cursor could not be read.")


@dataclass(frozen=True)
class Cursor:
    """Where a deep page starts: after (or, going back, before) one row of one ordering."""

    page: int  # the number of the page it leads to, for "page N of M"
    direction: str  # NEXT: the rows after the key; PREVIOUS: the rows before it
    value: Any
    pk: Any

    @property
    def reverse(self) -> bool:
        return self.direction == PREVIOUS


def scope(list_id: str, sort: str, filters: str) -> str:
    """What a cursor is only good for: one list, one sort, one set of filters."""
    return hashlib.sha256(repr((list_id, sort, filters)).encode()).hexdigest()[:16]


def dumps(cursor: Cursor, where: str) -> str:
    payload = [where, cursor.page, cursor.direction, encode_value(cursor.value), cursor.pk]
    return signing.dumps(payload, salt=SALT, compress=True)


STALE = (
    "The link you followed was made for a different sort or different filters of this list, "
    "or for another list"
)


def loads(text: str, where: str) -> Cursor:
    """The cursor in `text`, checked; BadCursor (with a message for the page) if not ours."""
    try:
        payload = signing.loads(text, salt=SALT)
    except signing.BadSignature:
        raise BadCursor(
            "This page's link has been changed or cut short, so it cannot say where the page "
            "starts; showing page 1."
        ) from None
    try:
        made_for, page, direction, value, pk = payload
    except (TypeError, ValueError):
        raise BadCursor("This page's cursor could not be read; showing page 1.") from None
    if made_for != where:
        raise BadCursor(f"{STALE}; showing page 1.")
    if (
        direction not in (NEXT, PREVIOUS)
        or not isinstance(page, int)
        or isinstance(page, bool)
        or page < 2
        or not isinstance(pk, int | str)
    ):
        raise BadCursor("This page's cursor could not be read; showing page 1.")
    try:
        value = decode_value(value)
    except BadCursor:
        raise BadCursor("This page's cursor could not be read; showing page 1.") from None
    return Cursor(page=page, direction=direction, value=value, pk=pk)
