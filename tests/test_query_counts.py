"""Every public page costs a fixed number of queries, however many rows the data holds.

Each page without a slug in its address is pinned here, with the page cache off (each
request computes its page afresh, as after an edit). The count is pinned on the seed data with a
round of new records of every kind (so that no list is empty), and must not move when another
round is added: a query per row would show at once. Detail and version
pages are pinned in tests/test_sections.py, admin change lists in tests/test_admin_queries.py.
"""

import pytest
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver

from interventions.models import Council, DisagreementScope, Source
from tests import factories as f

# On PostgreSQL each facet's count runs under a time limit set and restored in a savepoint:
# five statements more per facet than on SQLite.
PER_FACET = {"sqlite": 1, "postgresql": 6}
# Lists whose count and facets are sums over the summary table (interventions.summaries):
# one query per facet on either database, with no time limit to set.
SUMMARISED = {"/judgements/", "/spending/", "/statistics/"}

# url -> (queries apart from facet counts, facet counts). A list: its count, the page's ids,
# its rows and what they show (service areas, councils, cost lines), and one count per facet.
# The home page: the counts of each kind and the latest changes. /data/: one count per
# downloadable table. The sitemap: one query per kind of page it lists.
PAGES = {
    "/": (11, 0),
    "/interventions/": (4, 6),
    "/councils/": (3, 2),
    "/workstreams/": (3, 3),
    # + every owner of the page's bodies (one prefetch) and the "Belongs to" filter's councils
    "/organisations/": (5, 1),
    "/people/": (4, 2),
    "/sources/": (4, 2),
    "/inspections/": (3, 6),
    "/judgements/": (3, 6),
    "/spending/": (3, 4),
    "/statistics/": (4, 7),  # + the organisation and person facets (a statistic's subject)
    "/outcomes/": (7, 7),
    "/search/?q=partnership": (3, 0),
    # + the counts of inspections, judgements and money figures behind its windows; the
    # chooser lists only the compared councils (tests/test_compare.py)
    "/compare/?council=slough&council=swindon": (9, 0),
    "/changes/": (4, 0),
    "/disagreements/": (3, 0),
    "/changes/feed/": (3, 0),
    "/data/": (20, 0),  # + the owning-councils table (interventions_ownership)
    "/sitemap.xml": (12, 0),
}

# Addresses with a slug (pinned in tests/test_sections.py and test_browse.py) and addresses that
# serve no page of data.
ELSEWHERE = {
    "healthz",
    "about",
    "accessibility",
    "robots-txt",
    "favicon",
    "openapi",
    "data-download",
}


def public_routes():
    """The name and address of every route outside the admin, as the site declares them."""

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.app_name == "admin" or str(pattern.pattern).startswith("admin"):
                    continue
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield pattern.name, prefix + str(pattern.pattern)

    return list(walk(get_resolver().url_patterns))


def test_every_page_without_a_slug_is_pinned():
    pinned = {url.split("?")[0] for url in PAGES}
    unpinned = [
        (name, route)
        for name, route in public_routes()
        if "<" not in route
        and name not in ELSEWHERE
        and f"/{route}" not in pinned
        and not route.startswith(("static", "media"))
    ]
    assert unpinned == []


def more_of_everything():
    """Three more councils, each with two more published records of every listed kind."""
    source = Source.objects.order_by("pk").first()
    councils = f.CouncilFactory.create_batch(3, source=source)
    for council in councils:
        for intervention in f.InterventionFactory.create_batch(
            2, subject_council=council, source=source
        ):
            f.ParticipantFactory(intervention=intervention, council=council, source=source)
            f.WorkstreamFactory(intervention=intervention, source=source)
        inspection = f.InspectionFactory(council=council, source=source)
        # two readings of one figure in one report: a disagreement within it
        disagreement = f.DiscrepancyFactory(scope=DisagreementScope.WITHIN)
        f.JudgementFactory.create_batch(
            2, inspection=inspection, source=source, discrepancies=[disagreement]
        )
        f.SpendingLineFactory.create_batch(2, council=council, source=source)
        f.StatisticFactory.create_batch(2, council=council, source=source)
        f.PersonFactory(source=source)


def count(client, url) -> int:
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured)


@pytest.mark.parametrize("url", sorted(PAGES))
def test_each_page_takes_a_fixed_number_of_queries(
    client, seeded, settings, django_assert_num_queries, url
):
    settings.CASEBOOK_CACHE = False
    base, facets = PAGES[url]
    expected = base + facets * (1 if url in SUMMARISED else PER_FACET[connection.vendor])
    more_of_everything()
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200
    councils = Council.objects.count()
    more_of_everything()
    assert Council.objects.count() == councils + 3
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200
