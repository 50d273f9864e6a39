"""The OpenAPI 3.1 description of every JSON answer the site gives: /api/openapi.json.

Every list page answers `?format=json`, and so does every record page, version page, the
search, the corrections list, the comparison and the health check. The paths are found by
walking the URLconf (`paths`), so each list page is described the moment it is routed: its
query parameters from its FilterSet (with the choices of every filter that has fixed ones)
and the sort keys of its columns, its rows from the same columns its JSON is made of
(`.lists`; column types other than text are named once there, in `COLUMN_SCHEMAS`). The
record pages' shapes are written out in `.records`, the others' in `.pages`, the shared ones
in `.components`. Every object the site controls says `additionalProperties: false`, so a key
added to an answer without being described fails the schema tests (tests/test_openapi.py)
rather than drifting, and so does a new route that answers JSON without being described.

The document depends on the code only, never on the data (no council or slug is listed), so
it is built once per process and may be cached by anyone for an hour.
"""

from __future__ import annotations

import functools
import json

from django.http import HttpResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from ratings.opendata import LICENCE

from .components import shared_schemas
from .lists import COLUMN_SCHEMAS, list_operation
from .pages import (
    SEARCH_BAD_REQUEST,
    changes_parameters,
    changes_schema,
    compare_parameters,
    compare_schema,
    health_schema,
    search_parameters,
    search_schema,
)
from .records import (
    council_schema,
    inspection_detail_schema,
    intervention_schema,
    organisation_schema,
    person_schema,
    source_schema,
    version_schema,
)
from .schema import (
    BAD_REQUEST,
    FORMAT_JSON,
    MOVED,
    NOT_FOUND,
    NUMBER,
    PLAIN_BAD_REQUEST,
    SLUG,
    URL,
    array,
    json_content,
    nullable,
    operation,
    path_of,
    ref,
    strict,
)

# /disagreements/?page=N (a page that is not a number, or past the last, gives the last)
PAGE = {
    "name": "page",
    "in": "query",
    "required": False,
    "description": "Which page of 50 disagreements.",
    "schema": {"type": "integer", "minimum": 1},
}

__all__ = ["COLUMN_SCHEMAS", "document", "openapi_json", "path_of", "routes"]

OPENAPI_VERSION = "3.1.0"


def detail_operations() -> dict:
    """The detail pages by their view class, each with its schema."""
    from interventions.views import (
        CouncilDetail,
        InterventionDetail,
        OrganisationDetail,
        PersonDetail,
        SourceDetail,
    )
    from ratings.views import InspectionDetail

    return {
        InterventionDetail: ("Case study", intervention_schema),
        CouncilDetail: ("Council", council_schema),
        OrganisationDetail: ("Organisation", organisation_schema),
        SourceDetail: ("Source", source_schema),
        PersonDetail: ("Person", person_schema),
        InspectionDetail: ("Inspection", inspection_detail_schema),
    }


def routes():
    """(route, URL pattern) for every route of the public site (not the admin)."""
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
    """Every route that answers JSON, by its OpenAPI path, with its one operation (GET)."""
    from interventions.corrections import change_list
    from interventions.listing import ListPage
    from interventions.versions import VersionPage
    from interventions.views import healthz, search
    from interventions.views.disagreements import DisagreementDetail, DisagreementList
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
        elif view is DisagreementList:
            found[path] = operation(
                "Disagreements",
                strict(
                    {
                        "next": nullable(URL),
                        "previous": nullable(URL),
                        "results": array(ref("Disagreement")),
                    }
                ),
                [FORMAT_JSON, PAGE],
                **{"400": PLAIN_BAD_REQUEST},
            )
        elif view is DisagreementDetail:
            found[path] = operation(
                "Disagreement",
                ref("Disagreement"),
                [SLUG, FORMAT_JSON],
                **{"400": PLAIN_BAD_REQUEST, "404": NOT_FOUND},
            )
        elif view is ComparePage:
            found[path] = operation(
                "Comparison", compare_schema(), compare_parameters(), **{"400": BAD_REQUEST}
            )
        elif pattern.callback is search:
            found[path] = operation(
                "Search", search_schema(), search_parameters(), **{"400": SEARCH_BAD_REQUEST}
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
                "come a page at a time with links to the next and previous page (size=all "
                "for every row at once); a query a page cannot answer is a 400 with what "
                "was wrong in words. Everything is public and read-only: no key is needed."
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
