"""Search over every kind of record, through the index in `interventions.searchindex`.

SQLite matches with FTS5 (porter stemming over unicode61), PostgreSQL with a stored,
GIN-indexed `tsvector` (English stemming). Both read the same folded text
(`interventions.searchtext`), so a figure, an apostrophe or a slash is read the same way.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from django.db import connection
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from . import searchindex
from .searchtext import FIGURE, canonical, figure_value, fold, query_words, similarity

MAX_TERMS = 8
MAX_QUERY_LENGTH = 200
PER_PAGE = 20
SNIPPET_BEFORE = 60
SNIPPET_LENGTH = 240
SUGGESTION_THRESHOLD = 0.3  # pg_trgm's default similarity threshold
FTS = "interventions_searchdocument_fts"
TABLE = "interventions_searchdocument"
TOKEN = re.compile(rf"{FIGURE.pattern}|\w[\w'’]*", re.IGNORECASE)


@dataclass
class Hit:
    kind: str
    kind_label: str
    title: SafeString
    plain_title: str
    context: str
    snippet: SafeString
    url: str


@dataclass
class Results:
    query: str
    words: list[str]
    total: int = 0  # over every kind
    counts: list[tuple[str, str, int]] = field(default_factory=list)  # kind, label, n
    kind: str = ""
    matching: int = 0  # in the chosen kind (or all)
    page: int = 1
    pages: int = 1
    hits: list[Hit] = field(default_factory=list)
    suggestion: str = ""


def terms_of(query: str) -> list[str]:
    return query_words(query[:MAX_QUERY_LENGTH], MAX_TERMS)


# Matching -------------------------------------------------------------------------------


def match_sql(words: list[str], kind: str) -> tuple[str, str, list]:
    """FROM/WHERE clause, rank expression and parameters for the words on this database."""
    kind_clause = " AND d.kind = %s" if kind else ""
    kind_params = [kind] if kind else []
    if connection.vendor == "postgresql":
        return (
            f"FROM {TABLE} d, plainto_tsquery('english', %s) q "
            f"WHERE d.search_vector @@ q AND d.published{kind_clause}",
            "-ts_rank(d.search_vector, q)",
            [" ".join(words), *kind_params],
        )
    expression = " ".join(f'"{word}"' for word in words)
    return (
        f"FROM {FTS} f JOIN {TABLE} d ON d.id = f.rowid "
        f"WHERE {FTS} MATCH %s AND d.published{kind_clause}",
        f"bm25({FTS}, 10.0, 1.0)",
        [expression, *kind_params],
    )


def counts_of(words: list[str]) -> dict[str, int]:
    clause, _, params = match_sql(words, "")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT d.kind, COUNT(*) {clause} GROUP BY d.kind", params)
        return dict(cursor.fetchall())


def page_ids(words: list[str], kind: str, offset: int, limit: int) -> list[int]:
    clause, rank, params = match_sql(words, kind)
    sql = f"SELECT d.id {clause} ORDER BY {rank}, d.kind_order, d.id LIMIT %s OFFSET %s"
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit, offset])
        return [row[0] for row in cursor.fetchall()]


def matching_ids(words: list[str], kind: str = "") -> set[int]:
    """Every published document the words find (for tests and comparisons)."""
    clause, _, params = match_sql(words, kind)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT d.id {clause}", params)
        return {row[0] for row in cursor.fetchall()}


# Did you mean …? --------------------------------------------------------------------------


def name_vocabulary() -> list[str]:
    from .models import SearchDocument

    name_kinds = [p.kind for p in searchindex.providers() if p.names]
    titles = SearchDocument.objects.filter(published=True, kind__in=name_kinds).values_list(
        "title_terms", flat=True
    )
    return sorted({w for title in titles for w in title.split() if len(w) > 2 and w.isalpha()})


def closest_name(word: str, vocabulary: list[str]) -> str:
    if not vocabulary:
        return ""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT w FROM unnest(%s::text[]) AS w WHERE similarity(w, %s) >= %s "
                "ORDER BY similarity(w, %s) DESC, w LIMIT 1",
                [vocabulary, word, SUGGESTION_THRESHOLD, word],
            )
            row = cursor.fetchone()
            return row[0] if row else ""
    scored = [(similarity(word, w), w) for w in vocabulary]
    scored = [pair for pair in scored if pair[0] >= SUGGESTION_THRESHOLD]
    return min(scored, key=lambda pair: (-pair[0], pair[1]))[1] if scored else ""


def suggest(words: list[str]) -> str:
    """A query with misspelt names corrected, when it finds something; else ""."""
    vocabulary = name_vocabulary()
    corrected, changed = [], False
    for word in words:
        if word.isalpha() and not counts_of([word]):
            better = closest_name(word, vocabulary)
            if better and better != word:
                corrected.append(better)
                changed = True
                continue
        corrected.append(word)
    if changed and counts_of(corrected):
        return " ".join(corrected)
    return ""


# Snippets --------------------------------------------------------------------------------


def same_word(found: str, wanted: str) -> bool:
    """Close enough to have been matched by the stemmer ("partnerships" ~ "partnership")."""
    if found == wanted:
        return True
    shorter = min(len(found), len(wanted))
    if shorter < 4:
        return False
    prefix = max(4, shorter - 2)
    return found[:prefix] == wanted[:prefix]


def marked_spans(text: str, words: list[str]) -> list[tuple[int, int]]:
    spans = []
    for match in TOKEN.finditer(text):
        if match.group("number"):
            found = figure_value(match)
            forms = set()
            if found:
                value, printed = found
                forms = {canonical(value)} | ({canonical(printed)} if printed else set())
            if forms & set(words):
                spans.append(match.span())
            continue
        folded = fold(match.group(0))
        if folded and any(same_word(folded, w) for w in words if not w[0].isdigit()):
            spans.append(match.span())
    return spans


def render(text: str, spans: list[tuple[int, int]], start: int, end: int) -> str:
    out, position = [], start
    for a, b in spans:
        if a < start or b > end:
            continue
        out.append(escape(text[position:a]))
        out.append(f"<mark>{escape(text[a:b])}</mark>")
        position = b
    out.append(escape(text[position:end]))
    return "".join(out)


def highlight(text: str, words: list[str]) -> SafeString:
    return mark_safe(render(text, marked_spans(text, words), 0, len(text)))


def snippet(text: str, words: list[str]) -> SafeString:
    """A passage around the first match, matches in <mark>, everything else escaped."""
    spans = marked_spans(text, words)
    if not spans:
        short = text[:SNIPPET_LENGTH]
        return mark_safe(escape(short) + ("…" if len(text) > SNIPPET_LENGTH else ""))
    start = max(0, spans[0][0] - SNIPPET_BEFORE)
    if start:
        start = text.find(" ", start) + 1 or start
    end = min(len(text), start + SNIPPET_LENGTH)
    if end < len(text):
        end = text.rfind(" ", start, end) if text.rfind(" ", start, end) > spans[0][1] else end
    body = render(text, spans, start, end)
    return mark_safe(("…" if start else "") + body + ("…" if end < len(text) else ""))


# The search -----------------------------------------------------------------------------


def search(query: str, kind: str = "", page: int = 1, per_page: int = PER_PAGE) -> Results:
    from .models import SearchDocument

    words = terms_of(query)
    results = Results(query=query, words=words, kind=kind)
    if not words:
        return results
    counts = counts_of(words)
    labels = {p.kind: p.label for p in searchindex.providers()}
    results.counts = [(k, labels[k], counts[k]) for k in labels if counts.get(k)]
    results.total = sum(counts.values())
    results.matching = counts.get(kind, 0) if kind else results.total
    results.pages = max(1, math.ceil(results.matching / per_page))
    results.page = min(max(1, page), results.pages)
    ids = page_ids(words, kind, (results.page - 1) * per_page, per_page)
    documents = SearchDocument.objects.in_bulk(ids)
    for pk in ids:
        doc = documents[pk]
        results.hits.append(
            Hit(
                kind=doc.kind,
                kind_label=labels.get(doc.kind, doc.kind),
                title=highlight(doc.title, words),
                plain_title=doc.title,
                context=doc.context,
                snippet=snippet(doc.body, words) if doc.body else mark_safe(""),
                url=doc.url,
            )
        )
    if not results.total:
        results.suggestion = suggest(words)
    return results
