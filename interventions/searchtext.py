"""Folding text for search: the same function reads the records and the reader's query.

- Apostrophes are dropped, so "children's", "childrens" and "children" all stem alike.
- Everything that is not a letter or digit becomes a space, so SQLite's and PostgreSQL's
  tokenizers see the same plain words ("Kent/Swindon" is two words on both).
- A figure is written in a canonical form: "£3.6 million", "£3.6m", "3.6m" and "£3,600,000"
  all become "3600000"; "£820k" becomes "820000"; a decimal such as 3.6 becomes "3dot6".
  In a record a scaled figure is also indexed by its printed number ("3dot6"), so a reader
  who types "3.6" finds "£3.6 million" too.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

APOSTROPHES = re.compile(r"['’‘`]")
SCALES = {
    "k": 1000,
    "thousand": 1000,
    "m": 1_000_000,
    "mn": 1_000_000,
    "million": 1_000_000,
    "bn": 1_000_000_000,
    "billion": 1_000_000_000,
}
FIGURE = re.compile(
    r"(?<![\w.])£?\s?(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?:\s?(?P<scale>k|thousand|mn|m|million|bn|billion)\b)?",
    re.IGNORECASE,
)
WORD = re.compile(r"\w+")

# PostgreSQL's English stop words (its english.stop): dropped from every query on both
# databases, because PostgreSQL ignores them and SQLite's FTS5 would demand them.
STOP_WORDS = frozenset(
    """i me my myself we our ours ourselves you your yours yourself yourselves he him his
    himself she her hers herself it its itself they them their theirs themselves what which
    who whom this that these those am is are was were be been being have has had having do
    does did doing a an the and but if or because as until while of at by for with about
    against between into through during before after above below to from up down in out on
    off over under again further then once here there when where why how all any both each
    few more most other some such no nor not only own same so than too very s t can will
    just don should now""".split()  # noqa: SIM905
)


def canonical(value: Decimal) -> str:
    value = value.normalize()
    if value == value.to_integral_value():
        return str(int(value))
    return format(value, "f").rstrip("0").replace(".", "dot")


def figure_value(match: re.Match) -> tuple[Decimal, Decimal | None] | None:
    """The figure a match stands for, and the printed number when a scale word followed."""
    try:
        number = Decimal(match.group("number").replace(",", ""))
    except InvalidOperation:
        return None
    scale = match.group("scale")
    if scale:
        return number * SCALES[scale.lower()], number
    return number, None


def fold(text: str, *, record: bool = True) -> str:
    """Folded words, space-separated. In a record, a scaled figure also keeps its number."""
    text = APOSTROPHES.sub("", text or "")

    def replace(match: re.Match) -> str:
        found = figure_value(match)
        if found is None:
            return " "
        value, printed = found
        tokens = [canonical(value)]
        if record and printed is not None:
            tokens.append(canonical(printed))
        return f" {' '.join(tokens)} "

    text = FIGURE.sub(replace, text)
    return " ".join(WORD.findall(text.replace("_", " "))).lower()


def query_words(query: str, limit: int = 8) -> list[str]:
    """The words of a query that must all match (stop words left out, at most `limit`)."""
    words = [w for w in fold(query, record=False).split() if w not in STOP_WORDS]
    return list(dict.fromkeys(words))[:limit]


def trigrams(word: str) -> set[str]:
    """pg_trgm's trigrams: the word lower-cased, two spaces before and one after."""
    padded = f"  {word.lower()} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def similarity(a: str, b: str) -> float:
    """pg_trgm's similarity(): shared trigrams over all trigrams."""
    ta, tb = trigrams(a), trigrams(b)
    return len(ta & tb) / len(ta | tb) if ta and tb else 0.0
