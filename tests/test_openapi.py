"""/api/openapi.json describes every JSON answer, and the answers keep to it.

Three checks: the document is valid OpenAPI that schemathesis loads; every route that
answers JSON is in it (found by walking the URLconf, so a new JSON page without a
description fails here); and the real answers on the seed data keep to it, both for every
record of every kind (validated with jsonschema) and for the odd queries schemathesis makes
up (no server error, no answer outside its own schema).
"""

from __future__ import annotations

import copy
import re
import time
from collections import Counter

import jsonschema_rs
import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from django.urls import URLPattern
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import response_schema_conformance

from config import openapi
from config.wsgi import application
from interventions.corrections import record_kinds
from interventions.models import Intervention
from interventions.versions import record_versions

pytestmark = pytest.mark.django_db

DOCUMENT = openapi.document()
PATHS = sorted(DOCUMENT["paths"])
# Routes that never answer JSON, each with why (anything else that does must be described).
NOT_JSON = {
    "/api/openapi.json": "the description itself",
}


def model_of(pattern: URLPattern):
    view = getattr(pattern.callback, "view_class", None)
    initkwargs = getattr(pattern.callback, "view_initkwargs", {})
    return initkwargs.get("model") or getattr(view, "model", None)


def validator(schema: dict):
    """A JSON Schema validator for one response schema, its $refs resolved in the document."""
    return jsonschema_rs.Draft202012Validator(
        {**schema, "components": DOCUMENT["components"]}, validate_formats=True
    )


def response_schema(path: str, status: int = 200) -> dict:
    responses = DOCUMENT["paths"][path]["get"]["responses"]
    return responses[str(status)]["content"]["application/json"]["schema"]


def assert_valid(path: str, response) -> None:
    assert response["Content-Type"] == "application/json", (path, response.status_code)
    errors = [
        f"{'/'.join(map(str, e.instance_path))}: {e.message}"
        for e in validator(response_schema(path, response.status_code)).iter_errors(response.json())
    ]
    assert errors == [], (path, errors[:5])


@pytest.fixture
def corrected(seeded):
    """The seed data with a version of one record of each kind and a correction to a case
    study, so /changes/ and the version pages have rows (the seeded fixture restores records
    without their history): a record's first save makes its version 1."""
    for model in record_kinds().values():
        record = model._default_manager.published().first()
        record._change_reason = "Published"
        record.save()
    intervention = Intervention.objects.published().first()
    intervention.summary += " (Corrected.)"
    intervention._change_reason = "A correction for the test"
    intervention.save()
    assert record_versions(intervention).count() == 2
    return intervention


def first_of(model):
    """The record of this kind that the fixture gave versions."""
    return model._default_manager.published().first()


# The document --------------------------------------------------------------------------


def test_the_document_is_served_as_cacheable_json(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "public" in response["Cache-Control"]
    assert "max-age=3600" in response["Cache-Control"]
    assert response.json() == DOCUMENT
    assert client.post("/api/openapi.json").status_code == 405


def test_the_document_needs_no_query(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert client.get("/api/openapi.json").status_code == 200


def test_the_document_is_valid_openapi_that_schemathesis_loads():
    assert DOCUMENT["openapi"].startswith("3.1")
    schema = schemathesis.openapi.from_dict(copy.deepcopy(DOCUMENT))
    operations = [result.ok() for result in schema.get_all_operations()]
    assert sorted(op.path for op in operations) == PATHS
    assert all(op.method == "get" for op in operations)


def test_every_list_parameter_comes_from_its_filterset_with_fixed_choices():
    get = DOCUMENT["paths"]["/interventions/"]["get"]
    params = {p["name"]: p for p in get["parameters"]}
    from interventions.filters import InterventionFilter

    expected = {*InterventionFilter.base_filters, "sort", "page", "cursor", "size", "format"}
    assert set(params) == expected
    assert params["status"]["schema"]["items"]["enum"][:2] == ["proposed", "recommended"]
    assert params["council"]["schema"] == {"type": "array", "items": {"type": "string"}}
    assert params["year_from"]["schema"] == {"type": "integer", "minimum": 1900, "maximum": 2100}
    assert "-start" in params["sort"]["schema"]["enum"]
    assert params["format"]["required"] is True


def test_every_list_row_is_its_columns_and_nothing_else():
    from interventions.views import CouncilList

    row = response_schema("/councils/")["properties"]["results"]["items"]
    assert list(row["properties"]) == [c.key for c in CouncilList.columns] + ["url"]
    assert row["additionalProperties"] is False
    assert row["properties"]["interventions"] == {"type": "integer"}


def test_every_named_column_type_is_used_by_some_list():
    used = {
        key
        for path in PATHS
        if "results" in response_schema(path).get("properties", {})
        # (a list's rows are its columns; /disagreements/ gives whole records, by reference)
        for key in response_schema(path)["properties"]["results"]["items"].get("properties", {})
    }
    assert set(openapi.COLUMN_SCHEMAS) <= used


def test_every_route_that_answers_json_is_described(client, corrected):
    """Each route of the URLconf, asked for ?format=json with real values in its address:
    an answer in JSON means the route must be in the document."""
    answered = set()
    for route, pattern in openapi.routes():
        path = "/" + openapi.path_of(route)
        url = "/" + route
        for name in re.findall(r"<(?:\w+:)?(\w+)>", route):
            if name == "slug":
                model = model_of(pattern)
                assert model is not None, f"{route}: no model to take a slug from"
                record = first_of(model)
                value = record.slug
            elif name == "number":
                value = record_versions(record).latest("number").number
            else:  # the history id of the addresses before versions were numbered
                value = record.history.earliest("history_date").history_id
            url = re.sub(rf"<(?:\w+:)?{name}>", str(value), url, count=1)
        response = client.get(url, {"format": "json"})
        if response.get("Content-Type", "").startswith("application/json"):
            answered.add(path)
            if path not in NOT_JSON:
                assert path in DOCUMENT["paths"], f"{path} answers JSON but is not described"
    assert answered - set(NOT_JSON) == set(PATHS)


def test_the_data_and_about_pages_link_to_the_document(client, seeded):
    for page in ("/data/", "/about/"):
        assert 'href="/api/openapi.json"' in client.get(page).content.decode()


# Real answers keep to it -----------------------------------------------------------------


def detail_urls(corrected) -> dict[str, list[str]]:
    """Every record of every kind with a page, and its versions, by described path."""
    urls: dict[str, list[str]] = {}
    for route, pattern in openapi.routes():
        path = "/" + openapi.path_of(route)
        if path not in DOCUMENT["paths"] or "{slug}" not in path:
            continue
        model = model_of(pattern)
        records = model._default_manager.published()
        if "{number}" in path:
            urls[path] = [
                f"{record.get_absolute_url()}versions/v{version.number}/"
                for record in records
                for version in record_versions(record)
            ]
        else:
            urls[path] = [record.get_absolute_url() for record in records]
    return urls


def test_every_record_page_answer_keeps_to_the_schema(client, corrected):
    urls = detail_urls(corrected)
    assert all(urls.values()), [path for path, found in urls.items() if not found]
    for path, found in urls.items():
        for url in found:
            assert_valid(path, client.get(url, {"format": "json"}))


LIST_QUERIES = [{}, {"size": "all"}, {"page": "2"}, {"sort": "-start"}, {"page": "999"}]


@pytest.mark.parametrize("path", [p for p in PATHS if "{" not in p])
def test_every_list_answer_keeps_to_the_schema(client, corrected, path):
    assert_valid(path, client.get(path, {"format": "json"}))
    if "sort" in {p["name"] for p in DOCUMENT["paths"][path]["get"]["parameters"]}:
        for query in LIST_QUERIES:
            response = client.get(path, {"format": "json", **query})
            assert response.status_code in (200, 400)
            assert_valid(path, response)


def test_the_search_and_comparisons_keep_to_the_schema(client, corrected):
    assert_valid("/search/", client.get("/search/", {"format": "json", "q": "Children"}))
    assert_valid("/search/", client.get("/search/", {"format": "json", "kind": "nothing"}))
    councils = list(
        Intervention.objects.published().values_list("subject_council__slug", flat=True)
    )[:3]
    both = client.get("/compare/", {"format": "json", "council": councils})
    assert both.status_code == 200
    assert "key_facts" in both.json()
    assert_valid("/compare/", both)
    slugs = list(Intervention.objects.published().values_list("slug", flat=True)[:3])
    cases = client.get("/compare/", {"format": "json", "intervention": slugs})
    assert cases.status_code == 200
    assert_valid("/compare/", cases)
    assert_valid("/compare/", client.get("/compare/", {"format": "json"}))
    changes = client.get("/changes/", {"format": "json"})
    assert changes.json()["count"] >= 1
    assert_valid("/changes/", changes)


# schemathesis -----------------------------------------------------------------------------

EXAMPLES = 25


@pytest.fixture
def api(corrected):
    """Every operation, called through the site's own WSGI application. As Django's test
    client does, requests leave the database connection open: closing it at the end of each
    request would end the test's transaction (on PostgreSQL; SQLite's test database is kept)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
        yield {op.path: op for op in (result.ok() for result in schema.get_all_operations())}
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def real_values(path: str, corrected) -> list[dict]:
    """Path parameters that name real records (the rest schemathesis makes up)."""
    urls = detail_urls(corrected).get(path, [])
    found = []
    for url in urls[:20]:
        parts = re.match(r"^/[^/]+/(?P<slug>[^/]+)/(?:versions/v(?P<number>\d+)/)?$", url)
        found.append({k: int(v) if k == "number" else v for k, v in parts.groupdict().items() if v})
    return found


@pytest.mark.parametrize("path", PATHS)
def test_schemathesis_finds_no_server_error_and_no_answer_outside_its_schema(api, corrected, path):
    """Queries that fit the description, and (where there are parameters to get wrong) some
    that do not, the path's slug often a real record's: never a 500, and every answer that
    says it is JSON keeps to its own schema."""
    operation = api[path]
    real = real_values(path, corrected)
    cases = operation.as_strategy()
    if DOCUMENT["paths"][path]["get"]["parameters"]:
        cases |= operation.as_strategy(GenerationMode.NEGATIVE)
    statuses = Counter()
    started = time.monotonic()

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=cases, named=st.sampled_from(real) if real else st.none())
    def check(case, named):
        if named and case.path_parameters and set(named) <= set(case.path_parameters):
            case.path_parameters = {**case.path_parameters, **named}
        response = case.call_and_validate(checks=[not_a_server_error, response_schema_conformance])
        statuses[response.status_code] += 1

    check()
    assert statuses[200] > 0, statuses  # some answers were real pages, not only errors
    assert time.monotonic() - started < 60


def test_an_inspection_page_lists_its_disagreements_like_every_other_page(client):
    """Found by the schema: the inspection's own citation overwrote the page's list of
    disagreements with one slug (or null) under the same key."""
    from . import factories as f

    disagreement = f.DiscrepancyFactory()
    inspection = f.InspectionFactory()
    f.JudgementFactory(inspection=inspection, grade="Good", discrepancy=disagreement)
    f.JudgementFactory(
        inspection=inspection, grade="Adequate", discrepancy=disagreement, locator="page 4"
    )
    response = client.get(inspection.get_absolute_url(), {"format": "json"})
    assert [d["slug"] for d in response.json()["sources_differ"]] == [disagreement.slug]
    assert_valid("/inspections/{slug}/", response)
    plain = f.InspectionFactory()
    assert client.get(plain.get_absolute_url(), {"format": "json"}).json()["sources_differ"] == []


# Odd queries found to be server errors on PostgreSQL (a NUL byte sent to the database) ------


def test_a_record_that_cannot_be_a_slug_on_changes_is_a_clear_error(client, corrected):
    for fmt in ("json", "html"):
        response = client.get(
            "/changes/", {"format": fmt, "kind": "intervention", "record": "a\x00b"}
        )
        assert response.status_code == 200
        if fmt == "json":
            data = response.json()
            assert data["errors"] == [
                "A record is named by the last part of its address: letters, digits, hyphens "
                "and underscores only. Showing every record of that kind."
            ]
            assert data["count"] == 1  # every correction to a case study, as for no record
            assert_valid("/changes/", response)


def test_a_slug_that_cannot_be_one_on_compare_is_a_clear_400(client, seeded):
    slugs = list(Intervention.objects.published().values_list("slug", flat=True)[:2])
    response = client.get("/compare/", {"format": "json", "intervention": ["\x00", *slugs]})
    assert response.status_code == 200  # the two real ones are compared; the odd one said
    response = client.get("/compare/", {"format": "json", "council": ["\x00x", "kent"]})
    assert response.status_code == 400
    assert response.json()["errors"][0] == (
        "A council is named by the last part of its address: letters, digits, hyphens and "
        'underscores only, not "\N{REPLACEMENT CHARACTER}x".'
    )
    assert_valid("/compare/", response)
    assert client.get("/compare/", {"council": ["\x00", "kent"]}).status_code == 200


def test_the_disagreements_keep_to_the_schema(client, corrected):
    """/disagreements/ and each disagreement's page answer JSON as described: every version
    with its report and place, and no address for a version with no page of its own."""
    listing = client.get("/disagreements/", {"format": "json"})
    assert_valid("/disagreements/", listing)
    results = listing.json()["results"]
    assert {d["scope"] for d in results} == {"between", "within"}
    for item in results:
        one = client.get(f"/disagreements/{item['slug']}/", {"format": "json"})
        assert_valid("/disagreements/{slug}/", one)
        assert one.json() == item
    assert client.get("/disagreements/", {"format": "csv"}).status_code == 400
