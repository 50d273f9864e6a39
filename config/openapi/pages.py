"""The other JSON pages: the search, the corrections list, the comparison and the health
check."""

from __future__ import annotations

from .schema import (
    BOOLEAN,
    DATETIME,
    DECIMAL,
    FORMAT_JSON,
    INTEGER,
    STRING,
    URL,
    array,
    choice,
    json_content,
    nullable,
    ref,
    strict,
)


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
            # What each section shows of each council, and every group of rows it leaves out,
            # counted, with the list that holds them.
            "window": strict({"inspections": STRING, "spending": STRING, "interventions": STRING}),
            "not_shown": array(
                strict({"council": STRING, "what": STRING, "count": INTEGER, "url": URL})
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
                        "target_met_note": STRING,
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


def compare_parameters() -> list[dict]:
    return [
        FORMAT_JSON,
        *(
            {
                "name": name,
                "in": "query",
                "required": False,
                "description": f"The slug of a {name} to compare (two or more; councils or "
                "interventions, not both).",
                "schema": array(STRING),
                "style": "form",
                "explode": True,
            }
            for name in ("council", "intervention")
        ),
        {
            "name": "add",
            "in": "query",
            "required": False,
            "description": "A council to compare as well, by its name or a part of the name "
            "that only it has.",
            "schema": array(STRING),
            "style": "form",
            "explode": True,
        },
    ]


SEARCH_BAD_REQUEST = {
    "description": "A kind or page the search cannot give: the answer for every kind or page "
    "1, with what was wrong in errors (for an unknown format, the errors alone).",
    "content": json_content({"anyOf": [search_schema(), ref("Errors")]}),
}
