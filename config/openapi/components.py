"""The shapes several JSON answers share (interventions.views.details.base and .serialise),
named once in the document's components."""

from __future__ import annotations

from .schema import (
    BOOLEAN,
    DATE,
    DECIMAL,
    INTEGER,
    STRING,
    URL,
    array,
    choice,
    nullable,
    ref,
    strict,
)


def shared_schemas() -> dict:
    from interventions.citations import CITATION_FORMATS
    from interventions.models import DateKind, DatePrecision, DisagreementScope, Qualifier
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
    return {
        "Errors": strict(
            {"errors": array(STRING), "csv": URL},
            optional=("csv",),
        ),
        # A date as printed (interventions.models.common.PartialDate): each part known or
        # not; `date` is the first possible day, null when the year is not known.
        "PartialDate": nullable(
            strict(
                {
                    "date": nullable(DATE),
                    "precision": choice(DatePrecision, blank=True),
                    "year": nullable(INTEGER),
                    "month": nullable({"type": "integer", "minimum": 1, "maximum": 12}),
                    "day": nullable({"type": "integer", "minimum": 1, "maximum": 31}),
                    "year_inferred": BOOLEAN,
                    "kind": choice(DateKind),
                    "note": STRING,
                    "edtf": STRING,
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
        # A disagreement a fact is part of: between reports, or within one report.
        "DisagreementFlag": disagreement_flag(),
        "Disagreement": strict(
            {
                "slug": STRING,
                "title": STRING,
                "scope": choice(DisagreementScope),
                "flag": STRING,
                "url": URL,
                "note": STRING,
                "versions": array(
                    strict(
                        {
                            "what": STRING,
                            "says": STRING,
                            "url": nullable(URL),  # none for a version with no page of its own
                            "source": strict({"slug": STRING, "title": STRING, "url": URL}),
                            "locator": STRING,
                        }
                    )
                ),
            }
        ),
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
                **cited(),
            }
        ),
        "Statistic": strict(
            {
                "url": URL,
                "ref": STRING,
                # what the figure is about: exactly one of the three is set
                "council": ref("Body"),
                "organisation": ref("Body"),
                "person": ref("Body"),
                "measure": STRING,
                "period": STRING,
                "year": nullable(INTEGER),
                "year_inferred": BOOLEAN,  # read from context, not printed: shown "[2011]"
                "year_note": STRING,
                "value": DECIMAL,
                "unit": choice(Unit),
                "qualifier": choice(Qualifier, blank=True),
                "as_printed": STRING,
                "comparator_group": STRING,
                "comparator_label": STRING,
                "comparator_value": nullable(DECIMAL),
                "comparator_as_printed": STRING,
                "note": STRING,
                **cited(),
            }
        ),
    }


def cited() -> dict:
    """Where a fact comes from (DetailPage.cited): its source, the place in it, and the
    disagreement it belongs to, if any."""
    return {
        "source": ref("Source"),
        "locator": nullable(STRING),
        "sources_differ": nullable(STRING),
        "disagreements": array(ref("DisagreementFlag")),
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
        "equivalent_grade": STRING,
        "equivalent_framework": nullable(choice(Framework)),
        "equivalent_framework_label": STRING,
        **cited(),
    }


def inspection(**extra) -> dict:
    """inspection_json() with a page's own keys, and nothing else."""
    return strict({**inspection_properties(), **extra})


def disagreement_flag() -> dict:
    from interventions.models import DisagreementScope

    return strict(
        {
            "slug": STRING,
            "title": STRING,
            "scope": choice(DisagreementScope),
            "flag": STRING,
            "url": URL,
        }
    )


def detail_common() -> dict:
    return {"sources_differ": array(ref("Disagreement")), "citation": ref("Citation")}
