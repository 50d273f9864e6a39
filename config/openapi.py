"""The OpenAPI 3.1 description of every JSON answer the site gives: /api/openapi.json.

Every list page answers `?format=json`, and so does every detail page, version page, the
search, the corrections list and the comparison. The lists are described from the list pages
themselves: their query parameters from their FilterSets (with the choices of every filter
that has fixed ones) and the sort keys of their columns, their rows from the same columns
the JSON is made of, so a new filter or column is described the moment it exists. Column
types other than text are named once here (`COLUMN_SCHEMAS`). The detail pages' shapes are
written out below, beside the code that makes them; every object the site controls says
`additionalProperties: false`, so a key added to the JSON without being described here fails
the schema test (tests/test_openapi.py) rather than drifting.

The document depends on the code only, never on the data (no council or slug is listed), so
it is built once per process and may be cached by anyone for an hour.
"""

from __future__ import annotations

import functools
import json

import django_filters
from django.http import HttpResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from interventions.filter_fields import (
    AmountFilter,
    PublishedValuesFilter,
    TextFilter,
    YearFilter,
)
from ratings.opendata import LICENCE

OPENAPI_VERSION = "3.1.0"

# Small schemas ------------------------------------------------------------------------

STRING = {"type": "string"}
INTEGER = {"type": "integer"}
BOOLEAN = {"type": "boolean"}
URL = {"type": "string", "format": "uri"}
DATE = {"type": "string", "format": "date"}
DATETIME = {"type": "string", "format": "date-time"}
# Money and measured values are strings, exact to the penny: never a float.
DECIMAL = {"type": "string", "pattern": r"^-?[0-9]+(\.[0-9]+)?$"}


def nullable(schema: dict) -> dict:
    """The schema, or null (where the JSON answers null for unknown)."""
    if "$ref" in schema or "enum" in schema or "type" not in schema:
        extra = {"enum": [*schema["enum"], None]} if "enum" in schema else {}
        if extra:
            return {**schema, **extra, "type": [schema.get("type", "string"), "null"]}
        return {"anyOf": [schema, {"type": "null"}]}
    return {**schema, "type": [schema["type"], "null"]}


def strict(properties: dict, optional: tuple[str, ...] = ()) -> dict:
    """An object with exactly these keys (those in `optional` may be left out)."""
    return {
        "type": "object",
        "properties": properties,
        "required": [key for key in properties if key not in optional],
        "additionalProperties": False,
    }


def array(items: dict) -> dict:
    return {"type": "array", "items": items}


def choice(choices, blank: bool = False) -> dict:
    """One of a TextChoices' values (or "" where the field may be left blank)."""
    values = list(choices.values)
    return {"type": "string", "enum": [*values, ""] if blank else values}


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


# Shapes shared by the detail pages (interventions.views.details.base / .serialise) --------


def shared_schemas() -> dict:
    from interventions.citations import CITATION_FORMATS
    from interventions.models import DatePrecision, Qualifier
    from ratings.models import SpendingKind, Unit

    source = {
        "anyOf": [
            strict({"slug": STRING, "title": STRING, "url": URL}),
            strict(
                {
                    "slug": {"type": "null"},
                    "title": {"type": "null"},
                    "url": {"type": "null"},
                    "not_yet_published": {"const": True},
                }
            ),
        ]
    }
    facts_cited = {
        "source": ref("Source"),
        "locator": nullable(STRING),
        "sources_differ": nullable(STRING),
    }
    return {
        "Errors": strict(
            {"errors": array(STRING), "csv": URL},
            optional=("csv",),
        ),
        "PartialDate": nullable(
            strict(
                {
                    "date": DATE,
                    "precision": choice(DatePrecision),
                    "display": STRING,
                }
            )
        ),
        "Source": source,
        # A related record, or blanks marked `not_yet_published` for one the public may not
        # see yet (DetailPage.body); null where there is none.
        "Body": nullable(
            strict(
                {
                    "name": nullable(STRING),
                    "slug": nullable(STRING),
                    "url": nullable(URL),
                    "not_yet_published": {"const": True},
                },
                optional=("not_yet_published",),
            )
        ),
        "Citation": strict(dict.fromkeys(CITATION_FORMATS, URL)),
        "Disagreement": strict(
            {
                "slug": STRING,
                "title": STRING,
                "note": STRING,
                "versions": array(
                    strict(
                        {
                            "what": STRING,
                            "says": STRING,
                            "url": URL,
                            "source": strict({"slug": STRING, "title": STRING, "url": URL}),
                            "locator": STRING,
                        }
                    )
                ),
            }
        ),
        "Inspection": strict(inspection_properties()),
        "SpendingLine": strict(
            {
                "url": URL,
                "ref": STRING,
                "council": ref("Body"),
                "intervention": ref("Body"),
                "line": STRING,
                "kind": choice(SpendingKind),
                "kind_label": STRING,
                "period": STRING,
                "year": nullable(INTEGER),
                "amount_gbp": DECIMAL,
                "qualifier": choice(Qualifier, blank=True),
                "as_printed": STRING,
                "payer": ref("Body"),
                "payee": ref("Body"),
                "note": STRING,
                **facts_cited,
            }
        ),
        "Statistic": strict(
            {
                "url": URL,
                "ref": STRING,
                "council": ref("Body"),
                "measure": STRING,
                "period": STRING,
                "year": nullable(INTEGER),
                "value": DECIMAL,
                "unit": choice(Unit),
                "qualifier": choice(Qualifier, blank=True),
                "as_printed": STRING,
                "comparator_group": STRING,
                "comparator_label": STRING,
                "comparator_value": nullable(DECIMAL),
                "comparator_as_printed": STRING,
                "note": STRING,
                **facts_cited,
            }
        ),
    }


def cited() -> dict:
    return {
        "source": ref("Source"),
        "locator": nullable(STRING),
        "sources_differ": nullable(STRING),
    }


def inspection_properties() -> dict:
    """inspection_json()'s keys (interventions.views.details.serialise)."""
    from ratings.models import Framework, ServiceScope

    return {
        "url": URL,
        "slug": STRING,
        "title": STRING,
        "framework": choice(Framework),
        "framework_label": STRING,
        "inspectorate": ref("Body"),
        "service": STRING,
        "service_rated": nullable(choice(ServiceScope)),
        "service_rated_label": STRING,
        "period": STRING,
        "year": nullable(INTEGER),
        "overall_grade": STRING,
        "overall_score": nullable(INTEGER),
        "overall_as_printed": STRING,
        **cited(),
    }


def inspection(**extra) -> dict:
    """inspection_json() with a page's own keys, and nothing else."""
    return strict({**inspection_properties(), **extra})


def detail_common() -> dict:
    return {"sources_differ": array(ref("Disagreement")), "citation": ref("Citation")}


# The detail pages ---------------------------------------------------------------------


def intervention_schema() -> dict:
    from interventions.models import (
        InterventionKind,
        LessonKind,
        ParticipantRole,
        Status,
        TargetMet,
    )

    return strict(
        {
            "url": URL,
            "slug": STRING,
            "title": STRING,
            "subject_council": ref("Body"),
            "kind": choice(InterventionKind),
            "kind_label": STRING,
            "status": choice(Status),
            "status_label": STRING,
            "mentioned_in_passing": BOOLEAN,
            "service_areas": array(STRING),
            "start": ref("PartialDate"),
            "end": ref("PartialDate"),
            "summary": STRING,
            "trigger": STRING,
            "target": STRING,
            "outcome": STRING,
            "status_reported_in": ref("Body"),
            "cost": strict(
                {
                    "low_gbp": nullable(DECIMAL),
                    "high_gbp": nullable(DECIMAL),
                    "sources_differ": BOOLEAN,
                    "spending_lines": array(STRING),
                }
            ),
            "target_met": nullable(choice(TargetMet)),
            "target_met_label": nullable(STRING),
            **cited(),
            "participants": array(
                strict(
                    {
                        "position": INTEGER,
                        "council": ref("Body"),
                        "organisation": ref("Body"),
                        "person": STRING,
                        "post": STRING,
                        "role": choice(ParticipantRole),
                        "role_label": STRING,
                        "description": STRING,
                        **cited(),
                    }
                )
            ),
            "phases": array(
                strict(
                    {
                        "position": INTEGER,
                        "name": STRING,
                        "start": ref("PartialDate"),
                        "end": ref("PartialDate"),
                        "led_by": STRING,
                        "description": STRING,
                        **cited(),
                    }
                )
            ),
            "milestones": array(
                strict(
                    {
                        "position": INTEGER,
                        "date": ref("PartialDate"),
                        "end_date": ref("PartialDate"),
                        "description": STRING,
                        **cited(),
                    }
                )
            ),
            "workstreams": array(
                strict(
                    {
                        "position": INTEGER,
                        "name": STRING,
                        "objective": STRING,
                        "lead": STRING,
                        **cited(),
                    }
                )
            ),
            "lessons": array(
                strict(
                    {
                        "position": INTEGER,
                        "kind": choice(LessonKind),
                        "kind_label": STRING,
                        "text": STRING,
                        **cited(),
                    }
                )
            ),
            "spending_lines": array(ref("SpendingLine")),
            "statistics": array(ref("Statistic")),
            "subject_council_inspections_truncated": BOOLEAN,
            "subject_council_inspections": array(
                inspection(
                    timing=STRING,
                    timing_label=STRING,
                    timing_detail=STRING,
                    led_to_this_intervention=BOOLEAN,
                    judgements=array(
                        strict(
                            {
                                "position": INTEGER,
                                "section": STRING,
                                "area": STRING,
                                "grade": STRING,
                                "grade_as_printed": STRING,
                                **cited(),
                            }
                        )
                    ),
                )
            ),
            "related_interventions": array(
                strict(
                    {
                        "relation": STRING,
                        "intervention": ref("Body"),
                        "mentioned_in_passing": BOOLEAN,
                        "note": STRING,
                        **cited(),
                    }
                )
            ),
            **detail_common(),
        }
    )


def council_schema() -> dict:
    from interventions.models import CouncilType, InterventionKind, ParticipantRole, Region, Status

    def named(**extra):
        return strict({"name": STRING, "slug": STRING, "url": URL, **extra})

    return strict(
        {
            "url": URL,
            "slug": STRING,
            "name": STRING,
            "also_known_as": STRING,
            "council_type": choice(CouncilType, blank=True),
            "council_type_label": STRING,
            "region": choice(Region, blank=True),
            "region_label": STRING,
            "gss_code": STRING,
            "start_date": nullable(DATE),
            "end_date": nullable(DATE),
            "successor": ref("Body"),
            "predecessors": array(ref("Body")),
            **cited(),
            "interventions": array(
                named(
                    kind=choice(InterventionKind),
                    status=choice(Status),
                    mentioned_in_passing=BOOLEAN,
                    start=ref("PartialDate"),
                    end=ref("PartialDate"),
                    **cited(),
                )
            ),
            "participations": array(
                strict(
                    {
                        "intervention": ref("Body"),
                        "subject_council": ref("Body"),
                        "role": choice(ParticipantRole),
                        "role_label": STRING,
                        "person": STRING,
                        "post": STRING,
                        "description": STRING,
                        **cited(),
                    }
                )
            ),
            "organisations": array(ref("Body")),
            "inspections": array(inspection(judgement_count=INTEGER)),
            "spending_lines": array(ref("SpendingLine")),
            "statistics": array(ref("Statistic")),
            "truncated": strict(
                {
                    "interventions": BOOLEAN,
                    "participations": BOOLEAN,
                    "inspections": BOOLEAN,
                    "spending_lines": BOOLEAN,
                    "statistics": BOOLEAN,
                    "listed_at_most": INTEGER,
                }
            ),
            "lists": strict({"interventions": URL, "judgements": URL, "spending_lines": URL}),
            "comparisons": array(
                strict(
                    {
                        "comparator_group": STRING,
                        "measures": array(STRING),
                        "councils": array(
                            strict(
                                {
                                    "council": ref("Body"),
                                    "values": array(nullable(ref("Statistic"))),
                                }
                            )
                        ),
                    }
                )
            ),
            **detail_common(),
        }
    )


def organisation_schema() -> dict:
    from interventions.models import OrganisationKind, ParticipantRole

    return strict(
        {
            "url": URL,
            "slug": STRING,
            "name": STRING,
            "abbreviation": STRING,
            "kind": choice(OrganisationKind),
            "kind_label": STRING,
            "description": STRING,
            "council": ref("Body"),
            "successor": ref("Body"),
            "predecessors": array(ref("Body")),
            **cited(),
            "participations": array(
                strict(
                    {
                        "intervention": ref("Body"),
                        "subject_council": ref("Body"),
                        "role": choice(ParticipantRole),
                        "role_label": STRING,
                        "person": STRING,
                        "post": STRING,
                        "description": STRING,
                        "start": ref("PartialDate"),
                        "end": ref("PartialDate"),
                        **cited(),
                    }
                )
            ),
            "inspections": array(inspection(council=ref("Body"), judgement_count=INTEGER)),
            "payments_received": array(ref("SpendingLine")),
            "payments_made": array(ref("SpendingLine")),
            "truncated": strict(
                {
                    "participations": BOOLEAN,
                    "inspections": BOOLEAN,
                    "payments_received": BOOLEAN,
                    "payments_made": BOOLEAN,
                    "listed_at_most": INTEGER,
                }
            ),
            **detail_common(),
        }
    )


def source_schema() -> dict:
    from interventions.models import SourceKind

    return strict(
        {
            "url": URL,
            "slug": STRING,
            "title": STRING,
            "kind": choice(SourceKind),
            "kind_label": STRING,
            "publisher": STRING,
            "authors": array(STRING),
            "prepared_for": STRING,
            "pages": STRING,
            "date": ref("PartialDate"),
            "date_as_printed": STRING,
            "web_address": nullable(URL),
            "summary": STRING,
            "notes": STRING,
            # One group per kind of fact the source supports, keyed by that kind.
            "facts": {
                "type": "object",
                "additionalProperties": strict(
                    {
                        "heading": STRING,
                        "truncated_at": nullable(INTEGER),
                        "items": array(
                            strict(
                                {
                                    "says": STRING,
                                    "record": STRING,
                                    "url": nullable(URL),
                                    "locator": STRING,
                                    "sources_differ": nullable(STRING),
                                }
                            )
                        ),
                    }
                ),
            },
            "citation": ref("Citation"),
        }
    )


def inspection_detail_schema() -> dict:
    return inspection(
        council=ref("Body"),
        start=ref("PartialDate"),
        end=ref("PartialDate"),
        published=ref("PartialDate"),
        summary=STRING,
        judgements=array(
            strict(
                {
                    "position": INTEGER,
                    "section": STRING,
                    "area": STRING,
                    "grade": STRING,
                    "score": nullable(INTEGER),
                    "grade_as_printed": STRING,
                    **cited(),
                }
            )
        ),
        other_inspections=array(strict({"title": STRING, "url": URL, "year": nullable(INTEGER)})),
        **detail_common(),
    )


def version_schema() -> dict:
    """interventions.versions.VersionPage: a record as it stood at one version."""
    return strict(
        {
            "version": INTEGER,
            "recorded": DATETIME,
            "current": BOOLEAN,
            "reason": STRING,
            "changed_since": array(
                strict({"version": INTEGER, "changed": array(STRING), "reason": STRING})
            ),
            "url": URL,
            "current_url": URL,
            # Each field as the page shows it, by its label.
            "fields": {"type": "object", "additionalProperties": STRING},
            # Each kind of part (workstreams, lessons …), each part in words.
            "parts": {"type": "object", "additionalProperties": array(STRING)},
        }
    )


# The other JSON pages -------------------------------------------------------------------


def search_schema() -> dict:
    hit = strict(
        {"kind": STRING, "title": STRING, "context": STRING, "snippet": STRING, "url": URL}
    )
    return strict(
        {
            "query": STRING,
            "kind": STRING,
            "count": INTEGER,
            "total": INTEGER,
            "counts": {"type": "object", "additionalProperties": INTEGER},
            "page": INTEGER,
            "pages": INTEGER,
            "per_page": INTEGER,
            "suggestion": nullable(STRING),
            "errors": array(STRING),
            "results": array(hit),
        }
    )


def changes_schema() -> dict:
    entry = strict(
        {
            "date": DATETIME,
            "record": strict({"kind": STRING, "slug": STRING, "title": STRING, "url": URL}),
            "version": INTEGER,
            "version_url": URL,
            "changed": array(STRING),
            "reason": STRING,
        }
    )
    return strict(
        {"count": INTEGER, "next": nullable(URL), "errors": array(STRING), "results": array(entry)}
    )


def outcome_grades() -> dict:
    from ratings.models import Framework

    return array(
        strict(
            {
                "service": STRING,
                "grade": STRING,
                "year": nullable(INTEGER),
                "period": STRING,
                "framework": choice(Framework),
                "placement": STRING,
                "inspection": URL,
            }
        )
    )


def compare_schema() -> dict:
    from interventions.models import InterventionKind, Status, TargetMet
    from ratings.models import SpendingKind

    fact_source = {
        "source": nullable(
            {
                "anyOf": [
                    strict({"slug": STRING, "title": STRING, "url": URL}),
                    strict({"not_yet_published": {"const": True}}),
                ]
            }
        ),
        "locator": nullable(STRING),
    }
    councils = strict(
        {
            "url": URL,
            "councils": array(strict({"slug": STRING, "name": STRING, "url": URL})),
            "key_facts": array(
                strict(
                    {
                        "label": STRING,
                        "values": array(
                            strict(
                                {"council": STRING, "value": STRING, "period": STRING} | fact_source
                            )
                        ),
                    }
                )
            ),
            "frameworks_warning": nullable(STRING),
            "grades": array(
                strict(
                    {
                        "service": STRING,
                        "council": STRING,
                        "inspections": array(
                            strict(
                                {
                                    "year": nullable(INTEGER),
                                    "period": STRING,
                                    "framework": STRING,
                                    "grade": STRING,
                                    "url": URL,
                                }
                                | fact_source
                            )
                        ),
                    }
                )
            ),
            "spending": array(
                strict(
                    {
                        "council": STRING,
                        "year": nullable(INTEGER),
                        "period": STRING,
                        "line": STRING,
                        "kind": choice(SpendingKind),
                        "amount_gbp": DECIMAL,
                        "as_printed": STRING,
                        "qualifier": STRING,
                        "per_head_gbp": nullable(DECIMAL),
                    }
                    | fact_source
                )
            ),
            "interventions": array(
                strict(
                    {
                        "council": STRING,
                        "kind": choice(InterventionKind),
                        "kind_label": STRING,
                        "slug": STRING,
                        "title": STRING,
                        "url": URL,
                        "status": choice(Status),
                        "target_met": nullable(choice(TargetMet)),
                    }
                    | fact_source
                )
            ),
            "citation": ref("Citation"),
        }
    )
    interventions = strict(
        {
            "url": URL,
            "interventions": array(
                strict(
                    {
                        "slug": STRING,
                        "title": STRING,
                        "url": URL,
                        "council": STRING,
                        "kind": choice(InterventionKind),
                        "kind_label": STRING,
                        "service_areas": array(STRING),
                        "start": nullable(STRING),
                        "end": nullable(STRING),
                        "duration": nullable(STRING),
                        "cost": strict(
                            {
                                "low_gbp": nullable(DECIMAL),
                                "high_gbp": nullable(DECIMAL),
                                "sources_differ": BOOLEAN,
                                "text": nullable(STRING),
                            }
                        ),
                        "target": STRING,
                        "target_met": nullable(choice(TargetMet)),
                        "target_met_label": nullable(STRING),
                        "grades_before": outcome_grades(),
                        "grades_after": outcome_grades(),
                    }
                )
            ),
            "citation": ref("Citation"),
        }
    )
    return {"oneOf": [councils, interventions]}


def health_schema() -> dict:
    return strict({"status": {"enum": ["ok", "unavailable"]}, "database": {"enum": ["up", "down"]}})


# The list pages ---------------------------------------------------------------------------

# Every column is text unless named here (by its key, the same in every list that has it).
NULLABLE_DATE = nullable(DATE)
NULLABLE_YEAR = nullable(INTEGER)
COLUMN_SCHEMAS = {
    # Dates (a partial date is its first day, with its precision beside it).
    "start": NULLABLE_DATE,
    "end": NULLABLE_DATE,
    "date": NULLABLE_DATE,
    "published": NULLABLE_DATE,
    # Years and positions.
    "year": NULLABLE_YEAR,
    "position": INTEGER,
    # Counts of related rows.
    "interventions": INTEGER,
    "participations": INTEGER,
    "inspections": INTEGER,
    "statistics": INTEGER,
    "facts": INTEGER,
    "payments": INTEGER,
    # Flags.
    "mentioned_only": BOOLEAN,
    # Money and measured values, exact.
    "amount_gbp": DECIMAL,
    "value": DECIMAL,
    "comparator_value": nullable(DECIMAL),
    "cost_low_gbp": nullable(DECIMAL),
    "cost_high_gbp": nullable(DECIMAL),
}


def column_schema(column) -> dict:
    return COLUMN_SCHEMAS.get(column.key, STRING)


def list_row_schema(view) -> dict:
    """One row of a list's JSON: its columns (ListPage.record) and the row's own address."""
    return strict({**{c.key: column_schema(c) for c in view.columns}, "url": URL})


def filter_parameter(name: str, field) -> dict:
    """A FilterSet's filter as a query parameter (a new kind of filter must be added here)."""
    if isinstance(field, YearFilter):
        schema = {
            "type": "integer",
            "minimum": field.extra["min_value"],
            "maximum": field.extra["max_value"],
        }
    elif isinstance(field, AmountFilter):
        schema = {
            "type": "number",
            "minimum": field.extra["min_value"],
            "maximum": field.extra["max_value"],
        }
    elif isinstance(field, TextFilter):
        schema = {"type": "string", "maxLength": field.extra["max_length"]}
    elif isinstance(field, django_filters.ModelMultipleChoiceFilter | PublishedValuesFilter):
        # Slugs of related records, or values the data holds: not fixed, so not listed.
        schema = array(STRING)
    elif isinstance(field, django_filters.MultipleChoiceFilter):
        schema = array({"type": "string", "enum": [value for value, _ in field.extra["choices"]]})
    elif isinstance(field, django_filters.ChoiceFilter):
        schema = {"type": "string", "enum": [value for value, _ in field.extra["choices"]]}
    else:
        raise TypeError(f"Describe the {type(field).__name__} filter {name!r} in config.openapi.")
    parameter = {
        "name": name,
        "in": "query",
        "required": False,
        "description": str(field.label or name),
        "schema": schema,
    }
    if schema.get("type") == "array":
        parameter |= {"style": "form", "explode": True}
    return parameter


FORMAT_JSON = {
    "name": "format",
    "in": "query",
    "required": True,
    "description": "json for this answer (the page itself is html; lists also give csv).",
    "schema": {"type": "string", "enum": ["json"]},
}


def list_parameters(view) -> list[dict]:
    filters = view.filterset_class.base_filters
    sorts = list(view().sort_columns())
    return [
        FORMAT_JSON,
        *(filter_parameter(name, field) for name, field in filters.items()),
        {
            "name": "sort",
            "in": "query",
            "required": False,
            "description": f"A column, or -column for the reverse; {view.default_sort} unless "
            "given.",
            "schema": {"type": "string", "enum": [*sorts, *(f"-{key}" for key in sorts)]},
        },
        {
            "name": "page",
            "in": "query",
            "required": False,
            "description": f"Which page of {view.paginate_by} rows (a page past the last is a "
            "400).",
            "schema": {"type": "integer", "minimum": 1},
        },
        {
            "name": "size",
            "in": "query",
            "required": False,
            "description": f"all for every row at once, up to {view.json_all_max:,} (leave page "
            "out); a longer list answers 400 with the address of its CSV.",
            "schema": {"type": "string", "enum": ["all"]},
        },
    ]


def json_content(schema: dict) -> dict:
    return {"application/json": {"schema": schema}}


BAD_REQUEST = {
    "description": "A query the page cannot answer, with what was wrong in words.",
    "content": json_content(ref("Errors")),
}
PLAIN_BAD_REQUEST = {
    "description": "A format the page does not give (answered in plain text).",
}
NOT_FOUND = {"description": "No such record, or not published."}
MOVED = {"description": "A renamed record: its old address points, for ever, to the new one."}


def operation(summary: str, schema: dict, parameters: list, **responses) -> dict:
    return {
        "get": {
            "summary": summary,
            "operationId": summary.lower().replace(" ", "-").replace("'", ""),
            "parameters": parameters,
            "responses": {
                "200": {"description": summary, "content": json_content(schema)},
                **responses,
            },
        }
    }


def path_of(route: str) -> str:
    """/interventions/<slug:slug>/ as OpenAPI writes it: /interventions/{slug}/."""
    import re

    return re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)


SLUG = {
    "name": "slug",
    "in": "path",
    "required": True,
    "description": "The record's address name.",
    "schema": {"type": "string", "pattern": "^[-a-zA-Z0-9_]+$"},
}
NUMBER = {
    "name": "number",
    "in": "path",
    "required": True,
    "description": "The version's number (1 is the first).",
    "schema": {"type": "integer", "minimum": 0},
}


def list_operation(view) -> dict:
    page = strict(
        {
            "count": {"type": "integer", "minimum": 0},
            "next": nullable(URL),
            "previous": nullable(URL),
            "results": array(list_row_schema(view)),
        }
    )
    return operation(f"{view.title} (list)", page, list_parameters(view), **{"400": BAD_REQUEST})


def detail_operations() -> dict:
    """The detail pages by their view class, each with its schema."""
    from interventions.views import (
        CouncilDetail,
        InterventionDetail,
        OrganisationDetail,
        SourceDetail,
    )
    from ratings.views import InspectionDetail

    return {
        InterventionDetail: ("Case study", intervention_schema),
        CouncilDetail: ("Council", council_schema),
        OrganisationDetail: ("Organisation", organisation_schema),
        SourceDetail: ("Source", source_schema),
        InspectionDetail: ("Inspection", inspection_detail_schema),
    }


def routes():
    """(route, view, callback) for every URL pattern of the public site (not the admin)."""
    from django.urls import URLPattern, URLResolver, get_resolver

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.app_name == "admin":
                    continue
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern), pattern

    yield from walk(get_resolver().url_patterns)


def paths() -> dict:
    from interventions.corrections import change_list
    from interventions.listing import ListPage
    from interventions.versions import VersionPage
    from interventions.views import healthz, search
    from ratings.views import ComparePage

    details = detail_operations()
    found = {}
    for route, pattern in routes():
        view = getattr(pattern.callback, "view_class", None)
        view_initkwargs = getattr(pattern.callback, "view_initkwargs", {})
        path = "/" + path_of(route)
        if isinstance(view, type) and issubclass(view, ListPage):
            found[path] = list_operation(view)
        elif view in details:
            label, schema = details[view]
            found[path] = operation(
                label,
                schema(),
                [SLUG, FORMAT_JSON],
                **{"301": MOVED, "400": PLAIN_BAD_REQUEST, "404": NOT_FOUND},
            )
        elif view is VersionPage:
            kind = view_initkwargs["kind"]
            found[path] = operation(
                f"{kind} version",
                version_schema(),
                [SLUG, NUMBER, FORMAT_JSON],
                **{"301": MOVED, "400": BAD_REQUEST, "404": NOT_FOUND},
            )
        elif view is ComparePage:
            found[path] = operation(
                "Comparison",
                compare_schema(),
                [
                    FORMAT_JSON,
                    *(
                        {
                            "name": name,
                            "in": "query",
                            "required": False,
                            "description": f"The slug of a {name} to compare (two or more; "
                            "councils or interventions, not both).",
                            "schema": array(STRING),
                            "style": "form",
                            "explode": True,
                        }
                        for name in ("council", "intervention")
                    ),
                ],
                **{"400": BAD_REQUEST},
            )
        elif pattern.callback is search:
            found[path] = operation(
                "Search",
                search_schema(),
                search_parameters(),
                **{
                    "400": {
                        "description": "A kind or page the search cannot give: the answer for "
                        "every kind or page 1, with what was wrong in errors (an unknown format: "
                        "the errors alone).",
                        "content": json_content({"anyOf": [search_schema(), ref("Errors")]}),
                    }
                },
            )
        elif pattern.callback is change_list:
            found[path] = operation(
                "Changes", changes_schema(), changes_parameters(), **{"400": BAD_REQUEST}
            )
        elif pattern.callback is healthz:
            found[path] = operation(
                "Health",
                health_schema(),
                [],
                **{
                    "503": {
                        "description": "The database is down.",
                        "content": json_content(health_schema()),
                    }
                },
            )
    return found


def search_parameters() -> list[dict]:
    from interventions import searchindex

    return [
        FORMAT_JSON,
        {
            "name": "q",
            "in": "query",
            "required": False,
            "description": "Words to look for.",
            "schema": STRING,
        },
        {
            "name": "kind",
            "in": "query",
            "required": False,
            "description": "One kind of record only.",
            "schema": {"type": "string", "enum": list(searchindex.kinds())},
        },
        {
            "name": "page",
            "in": "query",
            "required": False,
            "description": "Which page.",
            "schema": {"type": "integer", "minimum": 1},
        },
    ]


def changes_parameters() -> list[dict]:
    from interventions.corrections import record_kinds

    return [
        FORMAT_JSON,
        {
            "name": "kind",
            "in": "query",
            "required": False,
            "description": "Corrections to one kind of record only.",
            "schema": {"type": "string", "enum": list(record_kinds())},
        },
        {
            "name": "record",
            "in": "query",
            "required": False,
            "description": "Corrections to one record only (its slug; with kind).",
            "schema": STRING,
        },
        {
            "name": "page",
            "in": "query",
            "required": False,
            "description": "Which page.",
            "schema": {"type": "integer", "minimum": 1},
        },
    ]


@functools.cache
def document() -> dict:
    """The whole OpenAPI document (built once: it depends on the code only)."""
    return {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": "Casebook",
            "version": "1",
            "summary": "Case studies of interventions in failing English council services.",
            "description": (
                "Every list and record page of Casebook also answers ?format=json. Lists "
                "page by 50 rows with links to the next and previous page (size=all for "
                "every row at once); a query a page cannot answer is a 400 with what was "
                "wrong in words. Everything is public and read-only: no key is needed."
            ),
            # Casebook's own text and the compilation; the cited reports keep their own terms.
            "license": {"name": LICENCE["title"], "identifier": LICENCE["name"]},
        },
        "paths": paths(),
        "components": {"schemas": shared_schemas()},
    }


@require_safe
@cache_control(max_age=3600, public=True)
def openapi_json(request):
    body = json.dumps(document(), ensure_ascii=False, indent=1)
    return HttpResponse(body, content_type="application/json")
