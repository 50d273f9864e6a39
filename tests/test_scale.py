"""Pages cost the same number of queries on a small and a ten-times-larger data set.

Both sets come from the synthetic generator that the benchmarks use at England scale.
"""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from interventions.models import Council, Intervention, Source
from ratings.models import Inspection

pytestmark = pytest.mark.django_db

LISTS = [
    "/",
    "/interventions/",
    "/interventions/?kind=partnership&sort=-start",
    "/councils/",
    "/workstreams/",
    "/sources/",
    "/judgements/?framework=ofsted-sif",
    "/spending/?sort=-amount_gbp",
    "/spending/?format=json",
    "/search/?q=improvement",
]


def detail_urls():
    """The busiest record of each kind: the one with the most rows hanging off it."""
    from django.db.models import Count

    council = Council.objects.annotate(n=Count("spending_lines")).order_by("-n").first()
    intervention = Intervention.objects.annotate(n=Count("phases")).order_by("-n").first()
    inspection = Inspection.objects.annotate(n=Count("judgements")).order_by("-n").first()
    source = Source.objects.filter(slug__startswith="synthetic-").first()
    return [o.get_absolute_url() for o in (council, intervention, inspection, source)]


def costs(client, urls) -> list[int]:
    result = []
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        result.append(len(queries))
    return result


def test_every_page_costs_the_same_at_ten_times_the_size(client):
    call_command("generate_synthetic", scale=0.002, seed=1, no_progress=True, verbosity=0)
    small_lists = costs(client, LISTS)
    small_details = costs(client, detail_urls())
    call_command(
        "generate_synthetic", scale=0.02, seed=1, replace=True, no_progress=True, verbosity=0
    )
    assert Intervention.objects.count() == 40
    assert costs(client, LISTS) == small_lists
    assert costs(client, detail_urls()) == small_details
