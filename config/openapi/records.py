"""The record pages' JSON: each case study, council, organisation, source and inspection
(interventions.views.details, ratings.views.details) and each version of one
(interventions.versions)."""

from __future__ import annotations

from .components import cited, detail_common, inspection
from .schema import (
    BOOLEAN,
    DATE,
    DATETIME,
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
            "status_as_of": ref("PartialDate"),
            "status_note": STRING,
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
            "target_met_note": STRING,
            **cited(),
            "participants": array(
                strict(
                    {
                        "position": INTEGER,
                        "council": ref("Body"),
                        "organisation": ref("Body"),
                        "person": STRING,
                        "person_record": ref("Body"),
                        "post": STRING,
                        "described_as": STRING,
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
            # which of them are listed (the years around the case study) and the rest counted
            "subject_council_inspections_window": strict(
                {
                    "years_shown": nullable(array(INTEGER)),
                    "shown": INTEGER,
                    "total": INTEGER,
                    "earlier": INTEGER,
                    "later": INTEGER,
                    "undated": INTEGER,
                    "in_years_shown_not_listed": INTEGER,
                    "undated_not_listed": INTEGER,
                    "all": URL,
                    "earlier_list": nullable(URL),
                    "later_list": nullable(URL),
                }
            ),
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
                        "person_record": ref("Body"),
                        "post": STRING,
                        "description": STRING,
                        **cited(),
                    }
                )
            ),
            # its boards and units and the bodies it owns, each with all its owners
            "organisations": array(
                strict(
                    {
                        "name": nullable(STRING),
                        "slug": nullable(STRING),
                        "url": nullable(URL),
                        "owners": array(ref("Body")),
                        "owners_not_yet_published": INTEGER,
                    }
                )
            ),
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
            "totals": strict(
                {
                    "interventions": INTEGER,
                    "participations": INTEGER,
                    "inspections": INTEGER,
                    "spending_lines": INTEGER,
                    "statistics": INTEGER,
                }
            ),
            "spending_by_year": array(
                strict({"year": nullable(INTEGER), "figures": INTEGER, "list": nullable(URL)})
            ),
            "lists": strict(
                {
                    "interventions": URL,
                    "inspections": URL,
                    "judgements": URL,
                    "spending_lines": URL,
                    "statistics": URL,
                }
            ),
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
            "owners": array(ref("Body")),
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
                        "person_record": ref("Body"),
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
            "statistics": array(ref("Statistic")),
            "truncated": strict(
                {
                    "participations": BOOLEAN,
                    "inspections": BOOLEAN,
                    "payments_received": BOOLEAN,
                    "payments_made": BOOLEAN,
                    "statistics": BOOLEAN,
                    "listed_at_most": INTEGER,
                }
            ),
            **detail_common(),
        }
    )


def person_schema() -> dict:
    from interventions.models import ParticipantRole

    return strict(
        {
            "url": URL,
            "slug": STRING,
            "name": STRING,
            "variants": array(STRING),
            "note": STRING,
            **cited(),
            "posts": array(
                strict(
                    {
                        "position": INTEGER,
                        "title": STRING,
                        "council": ref("Body"),
                        "organisation": ref("Body"),
                        "start": ref("PartialDate"),
                        "end": ref("PartialDate"),
                        **cited(),
                    }
                )
            ),
            "participations": array(
                strict(
                    {
                        "intervention": ref("Body"),
                        "subject_council": ref("Body"),
                        "role": choice(ParticipantRole),
                        "role_label": STRING,
                        "post": STRING,
                        "council": ref("Body"),
                        "organisation": ref("Body"),
                        "description": STRING,
                        "start": ref("PartialDate"),
                        "end": ref("PartialDate"),
                        **cited(),
                    }
                )
            ),
            "statistics": array(ref("Statistic")),
            "truncated": strict(
                {
                    "posts": BOOLEAN,
                    "participations": BOOLEAN,
                    "statistics": BOOLEAN,
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
                                    "disagreements": array(ref("DisagreementFlag")),
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
