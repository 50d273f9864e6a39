"""Arbitrary input never makes a server error, and a refused edit writes nothing."""

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interventions.models import Intervention
from ratings.models import Judgement, SpendingLine

from . import factories as f

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
LIST_URLS = [
    "/interventions/",
    "/councils/",
    "/workstreams/",
    "/sources/",
    "/judgements/",
    "/spending/",
    "/search/",
]
KNOWN_KEYS = [
    "q",
    "council",
    "council_type",
    "region",
    "kind",
    "status",
    "service_area",
    "mentioned",
    "year_from",
    "year_to",
    "framework",
    "grade",
    "inspectorate",
    "intervention",
    "amount_min",
    "amount_max",
    "publisher",
    "sort",
    "page",
    "cursor",
    "format",
]
odd_text = st.text(
    alphabet=st.characters(blacklist_categories=["Cs"]),  # no lone surrogates: not valid UTF-8
    max_size=60,
)
values = st.one_of(
    odd_text,
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["", "-", "1e400", "0x10", "2011/12", "csv", "json", "html", "xml", "-title"]),
    st.just("9" * 5000),
)
query = st.lists(st.tuples(st.one_of(st.sampled_from(KNOWN_KEYS), odd_text), values), max_size=8)


@pytest.fixture
def data(db):
    intervention = f.InterventionFactory()
    f.WorkstreamFactory(intervention=intervention)
    f.JudgementFactory()
    f.SpendingLineFactory(council=intervention.subject_council)
    return intervention


@pytest.mark.parametrize("url", LIST_URLS)
def test_no_query_string_makes_a_list_page_fail(client, data, url):
    @FUZZ
    @given(pairs=query)
    def check(pairs):
        response = client.get(url, data=_multi(pairs))
        assert response.status_code < 500, (url, pairs)
        if response.status_code == 400:
            assert response.content  # says what was wrong

    check()


def test_no_query_string_makes_a_detail_page_fail(client, data):
    urls = [
        data.get_absolute_url(),
        data.subject_council.get_absolute_url(),
        data.source.get_absolute_url(),
        Judgement.objects.first().inspection.get_absolute_url(),
    ]

    @FUZZ
    @given(pairs=query, which=st.sampled_from(urls))
    def check(pairs, which):
        response = client.get(which, data=_multi(pairs))
        assert response.status_code < 500, (which, pairs)

    check()


@FUZZ
@given(slug=odd_text)
def test_no_slug_makes_a_detail_url_fail(client, data, slug):
    from urllib.parse import quote

    for prefix in ("/interventions/", "/councils/", "/sources/", "/inspections/"):
        response = client.get(prefix + quote(slug, safe="") + "/")
        assert response.status_code in (200, 301, 302, 404), (prefix, slug)


def _multi(pairs):
    data = {}
    for key, value in pairs:
        data.setdefault(key, []).append(value.replace("\x00", ""))
    return data


@pytest.fixture
def curator(client):
    user = User.objects.create_user("fuzzer", is_staff=True)
    user.groups.add(Group.objects.get(name="Curator"))
    client.force_login(user)
    return client


@FUZZ
@given(
    title=odd_text,
    slug=odd_text,
    start=values,
    precision=values,
    status=values,
    kind=values,
)
def test_arbitrary_admin_input_is_a_form_error_or_a_whole_save(
    curator, data, title, slug, start, precision, status, kind
):
    before = Intervention.objects.count()
    payload = {
        "title": title,
        "slug": slug,
        "subject_council": str(data.subject_council.pk),
        "kind": kind,
        "status": status,
        "start_date_year": start,
        "start_date_month": precision,
        "start_date_kind": "actual",
        "end_date_kind": "actual",
        "status_as_of_kind": "actual",
        "source": str(data.source.pk),
        "locator": "para 1",
    }
    for prefix in ("participants", "phases", "workstreams", "lessons", "milestones", "links_from"):
        payload |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    response = curator.post(reverse("admin:interventions_intervention_add"), payload)
    assert response.status_code in (200, 302)
    after = Intervention.objects.count()
    if response.status_code == 200:
        assert after == before  # a form error writes nothing
    else:
        assert after == before + 1


@FUZZ
@given(rows=st.lists(st.lists(values, min_size=1, max_size=14), max_size=5))
def test_arbitrary_csv_import_never_fails_and_never_half_imports(curator, data, rows):
    import csv
    import io

    header = (
        "source,ref,council,intervention,line,kind,period,year,amount_gbp,qualifier,"
        "as_printed,note,locator"
    )
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow(row)
    body = header + "\n" + out.getvalue()
    before = SpendingLine.objects.count()
    upload = SimpleUploadedFile("fuzz.csv", body.encode("utf-8"), content_type="text/csv")
    response = curator.post(
        reverse("admin:ratings_spendingline_import"),
        {"import_file": upload, "format": "0", "resource": "0"},
    )
    assert response.status_code == 200
    assert SpendingLine.objects.count() == before  # a preview never writes
