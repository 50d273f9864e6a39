"""One search over councils, interventions, workstreams, lessons, organisations and sources.

On PostgreSQL it uses full-text search (stemmed English, ranked with field weights); on SQLite
it falls back to matching every word somewhere in the record, scored by where it matched.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection
from django.db.models import Case, F, IntegerField, Q, QuerySet, TextField, Value, When
from django.db.models.functions import Replace

from .models import Council, Intervention, Lesson, Organisation, Source, Workstream

MAX_TERMS = 8
MAX_QUERY_LENGTH = 200
PER_KIND = 25
WEIGHT_SCORES = {"A": 8, "B": 4, "C": 2, "D": 1}


@dataclass(frozen=True)
class Target:
    kind: str
    queryset: Callable[[], QuerySet]
    fields: tuple[tuple[str, str], ...]  # (field path, weight A–D)
    title: Callable
    context: Callable


@dataclass
class Hit:
    kind: str
    title: str
    context: str
    url: str
    score: float


TARGETS = (
    Target(
        "Intervention",
        lambda: Intervention.objects.published().select_related("subject_council"),
        (("title", "A"), ("subject_council__name", "B"), ("summary", "C"), ("outcome", "D")),
        lambda o: o.title,
        lambda o: o.subject_council.name,
    ),
    Target(
        "Council",
        lambda: Council.objects.published(),
        (("name", "A"), ("also_known_as", "B")),
        lambda o: o.name,
        lambda o: o.get_council_type_display(),
    ),
    Target(
        "Workstream",
        lambda: Workstream.objects.published().select_related("intervention"),
        (("name", "A"), ("objective", "C"), ("lead", "C")),
        lambda o: o.name,
        lambda o: o.intervention.title,
    ),
    Target(
        "Lesson",
        lambda: Lesson.objects.published().select_related("intervention"),
        (("text", "B"),),
        lambda o: o.text,
        lambda o: f"{o.get_kind_display()}, {o.intervention.title}",
    ),
    Target(
        "Organisation",
        lambda: Organisation.objects.all(),
        (("name", "A"), ("abbreviation", "A"), ("description", "C")),
        lambda o: str(o),
        lambda o: o.get_kind_display(),
    ),
    Target(
        "Source",
        lambda: Source.objects.published(),
        (("title", "A"), ("publisher", "B"), ("authors", "B"), ("summary", "C")),
        lambda o: o.title,
        lambda o: o.publisher,
    ),
)


def terms_of(query: str) -> list[str]:
    return re.findall(r"\w[\w'’-]*", query[:MAX_QUERY_LENGTH])[:MAX_TERMS]


def organisation_url(organisation) -> str:
    # Organisations have no page of their own yet: send readers to the search for their name.
    from urllib.parse import urlencode

    from django.urls import reverse

    return f"{reverse('interventions:search')}?{urlencode({'q': organisation.name})}"


def url_of(obj) -> str:
    if isinstance(obj, Organisation):
        return organisation_url(obj)
    return obj.get_absolute_url()


def search_postgres(target: Target, query: str) -> list[tuple[object, float]]:
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

    vector = None
    for field, weight in target.fields:
        # "Kent/Swindon" would otherwise be read as one file-path token.
        text = Replace(F(field), Value("/"), Value(" "), output_field=TextField())
        part = SearchVector(text, weight=weight, config="english")
        vector = part if vector is None else vector + part
    search_query = SearchQuery(query, search_type="websearch", config="english")
    rows = (
        target.queryset()
        .annotate(document=vector, rank=SearchRank(vector, search_query))
        .filter(document=search_query)
        .order_by("-rank", "pk")[:PER_KIND]
    )
    return [(row, float(row.rank)) for row in rows]


def search_fallback(target: Target, terms: list[str]) -> list[tuple[object, float]]:
    queryset = target.queryset()
    score = Value(0, output_field=IntegerField())
    for term in terms:
        matches_somewhere = Q()
        for field, weight in target.fields:
            matches = Q(**{f"{field}__icontains": term})
            matches_somewhere |= matches
            score = score + Case(
                When(matches, then=Value(WEIGHT_SCORES[weight])),
                default=Value(0),
                output_field=IntegerField(),
            )
        queryset = queryset.filter(matches_somewhere)
    rows = queryset.annotate(score=score).order_by(F("score").desc(), "pk")[:PER_KIND]
    return [(row, float(row.score)) for row in rows]


def run_search(query: str) -> list[Hit]:
    terms = terms_of(query)
    if not terms:
        return []
    postgres = connection.vendor == "postgresql"
    hits = []
    for order, target in enumerate(TARGETS):
        found = (
            search_postgres(target, " ".join(terms)) if postgres else search_fallback(target, terms)
        )
        for obj, score in found:
            hits.append(
                Hit(
                    kind=target.kind,
                    title=target.title(obj),
                    context=target.context(obj),
                    url=url_of(obj),
                    # Earlier kinds win ties: an intervention before a lesson that mentions it.
                    score=score - order * 1e-6,
                )
            )
    hits.sort(key=lambda hit: -hit.score)
    return hits
