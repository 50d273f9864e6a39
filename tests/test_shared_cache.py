"""Several hosts, one cache: CASEBOOK_CACHE_URL, and a page key that ignores what no view reads."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.cache import CacheHandler
from django.core.cache.backends.redis import RedisCache
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from config.caches import SparingRedisCache, caches_from_url
from interventions import datacache

from . import factories as f

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
SPENDING = reverse("ratings:spending-list")
LOCMEM = "django.core.cache.backends.locmem.LocMemCache"
REDIS = "config.caches.SparingRedisCache"


# CASEBOOK_CACHE_URL ---------------------------------------------------------------------


@pytest.mark.parametrize("url", [None, "", "  "])
def test_without_a_cache_url_each_process_caches_in_memory(url):
    caches = caches_from_url(url)
    assert {alias: c["BACKEND"] for alias, c in caches.items()} == {
        "default": LOCMEM,
        "casebook": LOCMEM,
    }
    assert caches["casebook"]["TIMEOUT"] is None  # retired by the data version


@pytest.mark.parametrize(
    "url",
    ["redis://127.0.0.1:6379/0", "redis://:secret@cache.example:6380", "rediss://cache.example/2"],
)
def test_a_redis_url_puts_every_cache_in_redis_under_its_own_prefix(url):
    caches = caches_from_url(url)
    assert {alias: c["BACKEND"] for alias, c in caches.items()} == {
        "default": REDIS,
        "casebook": REDIS,
    }
    assert caches["casebook"]["LOCATION"] == url
    assert issubclass(SparingRedisCache, RedisCache)  # Django's own backend underneath
    assert caches["default"]["KEY_PREFIX"] != caches["casebook"]["KEY_PREFIX"]
    assert caches["casebook"]["TIMEOUT"] == 24 * 60 * 60  # old versions lapse in a day


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("memcached://127.0.0.1:11211", 'not "memcached:"'),
        ("127.0.0.1:6379", "must start with redis://"),
        ("redis://", "it names no host"),
        ("redis://127.0.0.1:port", "its port is not a number"),
        ("redis://127.0.0.1:6379/cache", "must be a database number"),
        ("unix://", "needs the path of the socket"),
    ],
)
def test_a_bad_cache_url_is_refused_with_a_message_saying_what_is_wrong(url, problem):
    with pytest.raises(ImproperlyConfigured) as error:
        caches_from_url(url)
    message = str(error.value)
    assert message.startswith(f"CASEBOOK_CACHE_URL={url!r} is not a Redis address")
    assert problem in message
    assert "redis://127.0.0.1:6379/0" in message  # an example of a good one


def test_the_site_refuses_to_start_with_a_bad_cache_url():
    env = {**os.environ, "CASEBOOK_CACHE_URL": "memcached://127.0.0.1"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "CASEBOOK_CACHE_URL='memcached://127.0.0.1' is not a Redis address" in result.stderr


# The page key ---------------------------------------------------------------------------


def test_a_junk_parameter_is_served_from_the_cache(client, django_assert_num_queries):
    f.SpendingLineFactory(council=f.CouncilFactory())
    first = client.get(SPENDING)
    assert first["X-Casebook-Cache"] == "miss"
    with django_assert_num_queries(1):  # the data version, nothing else
        junk = client.get(SPENDING, {"utm_source": "newsletter", "_": "1733140000"})
    assert junk["X-Casebook-Cache"] == "hit"
    assert junk.content == first.content


def test_a_junk_parameter_changes_nothing_on_the_page_it_renders(client):
    f.SpendingLineFactory(council=f.CouncilFactory())
    junk = client.get(SPENDING, {"utm_source": "newsletter", "sort": "-amount_gbp"})
    assert junk["X-Casebook-Cache"] == "miss"
    html = junk.content.decode()
    assert "utm_source" not in html  # not in the canonical address, nor in any link
    plain = client.get(SPENDING, {"sort": "-amount_gbp"})
    assert plain["X-Casebook-Cache"] == "hit"
    assert plain.content == junk.content


def test_the_order_of_the_parameters_does_not_matter(client):
    f.SpendingLineFactory(council=f.CouncilFactory())
    first = client.get(f"{SPENDING}?sort=-amount_gbp&year_from=2000")
    again = client.get(f"{SPENDING}?year_from=2000&sort=-amount_gbp")
    assert (first["X-Casebook-Cache"], again["X-Casebook-Cache"]) == ("miss", "hit")
    assert again.content == first.content


def test_a_filter_the_page_knows_still_changes_the_page(client):
    council = f.CouncilFactory()
    f.SpendingLineFactory(council=council, year=2010, line="Early line")
    f.SpendingLineFactory(council=council, year=2020, line="Late line")
    client.get(SPENDING)
    filtered = client.get(SPENDING, {"year_from": "2015", "utm_source": "x"})
    assert filtered["X-Casebook-Cache"] == "miss"
    assert "Late line" in filtered.content.decode()
    assert "Early line" not in filtered.content.decode()
    json = client.get(SPENDING, {"format": "json", "year_from": "2015", "junk": "1"}).json()
    assert json["count"] == 1
    assert "junk" not in (json["next"] or "")


def test_a_detail_page_ignores_junk_but_not_its_format(client):
    intervention = f.InterventionFactory()
    url = intervention.get_absolute_url()
    page = client.get(url)
    assert client.get(url, {"fbclid": "abc"})["X-Casebook-Cache"] == "hit"
    assert client.get(url, {"fbclid": "abc"}).content == page.content
    as_json = client.get(url, {"format": "json", "fbclid": "abc"})
    assert as_json["Content-Type"].startswith("application/json")


def test_a_search_keeps_its_words_and_drops_the_rest(client):
    f.InterventionFactory(title="Children's services partnership")
    words = client.get(reverse("interventions:search"), {"q": "partnership", "ref": "x"})
    assert words["X-Casebook-Cache"] == "miss"
    other = client.get(reverse("interventions:search"), {"q": "commissioners"})
    assert other["X-Casebook-Cache"] == "miss"
    assert client.get(reverse("interventions:search"), {"q": "partnership"})[
        "X-Casebook-Cache"
    ] == ("hit")


def test_a_signed_in_curator_still_sees_the_address_as_typed(client, admin_user):
    client.force_login(admin_user)
    response = client.get(SPENDING, {"utm_source": "x"})
    assert "X-Casebook-Cache" not in response
    assert "utm_source=x" in response.content.decode()  # its canonical link, uncached


# HEAD -----------------------------------------------------------------------------------


def test_head_is_answered_from_the_entry_get_made(client, django_assert_num_queries):
    f.SpendingLineFactory(council=f.CouncilFactory())
    page = client.get(SPENDING)
    with django_assert_num_queries(1):
        head = client.head(SPENDING, {"utm_campaign": "x"})
    assert head.status_code == 200
    assert head["X-Casebook-Cache"] == "hit"
    assert head.content == b""
    assert head["Content-Length"] == str(len(page.content))
    assert head["Content-Type"] == page["Content-Type"]


def test_a_head_first_caches_the_page_for_get(client, django_assert_num_queries):
    f.SpendingLineFactory(council=f.CouncilFactory(), line="Shown to GET")
    head = client.head(SPENDING)
    assert (head["X-Casebook-Cache"], head.content) == ("miss", b"")
    with django_assert_num_queries(1):
        page = client.get(SPENDING)
    assert page["X-Casebook-Cache"] == "hit"
    assert "Shown to GET" in page.content.decode()
    assert head["Content-Length"] == str(len(page.content))


def test_head_of_the_data_download_is_not_cached_as_its_page(client):
    f.SpendingLineFactory(council=f.CouncilFactory())
    download = reverse("ratings:data-download")
    assert "X-Casebook-Cache" not in client.head(download)
    response = client.get(download)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body.startswith(b"PK")  # a zip, not the empty answer to HEAD


# Two hosts on one Redis -----------------------------------------------------------------


@pytest.fixture
def redis_url():
    """A Redis to share: CASEBOOK_TEST_REDIS_URL, else the local one's database 15.

    Skipped only where none answers outside CI; under CI (CI=true) it must be there."""
    import redis

    url = os.environ.get("CASEBOOK_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.exceptions.ConnectionError as error:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI needs a Redis at {url} (CASEBOOK_TEST_REDIS_URL): {error}")
        pytest.skip(f"no Redis answers at {url}")
    return url


@pytest.fixture
def two_hosts(redis_url, monkeypatch):
    """The "casebook" caches of two hosts configured alike: two clients, one Redis."""
    config = caches_from_url(redis_url, timeout=300)
    for alias in config.values():
        alias["KEY_PREFIX"] = f"casebook-test-{uuid.uuid4().hex}"  # this test's keys only
    config["casebook"]["KEY_PREFIX"] = config["default"]["KEY_PREFIX"]
    hosts = {name: CacheHandler(config)["casebook"] for name in ("a", "b")}
    assert hosts["a"] is not hosts["b"]
    current = {"host": "a"}
    monkeypatch.setattr(datacache, "cache", lambda: hosts[current["host"]])

    def through(host, client, *args, **kwargs):
        current["host"] = host
        return client.get(*args, **kwargs)

    return through


def test_a_page_cached_by_one_host_is_served_by_the_other(client, two_hosts):
    f.SpendingLineFactory(council=f.CouncilFactory(), line="Rendered once")
    first = two_hosts("a", client, SPENDING)
    assert first["X-Casebook-Cache"] == "miss"
    second = two_hosts("b", client, SPENDING, {"utm_source": "x"})
    assert second["X-Casebook-Cache"] == "hit"
    assert second.content == first.content


def test_an_edit_through_one_host_retires_the_page_on_both(client, two_hosts):
    line = f.SpendingLineFactory(council=f.CouncilFactory(), line="Before the edit")
    assert "Before the edit" in two_hosts("a", client, SPENDING).content.decode()
    assert two_hosts("b", client, SPENDING)["X-Casebook-Cache"] == "hit"
    line.line = "After the edit"
    line.save()  # as host a's admin would: the data version moves on
    on_b = two_hosts("b", client, SPENDING)
    assert on_b["X-Casebook-Cache"] == "miss"
    assert "After the edit" in on_b.content.decode()
    on_a = two_hosts("a", client, SPENDING)
    assert on_a["X-Casebook-Cache"] == "hit"  # the page b rendered after the edit
    assert "After the edit" in on_a.content.decode()


def test_counts_are_shared_too(client, two_hosts, django_assert_num_queries):
    """A count worked out from the rows (here: free text, which the lists' summary table
    cannot answer) is counted once, by one host, and read by the other from the cache."""
    council = f.CouncilFactory()
    f.SpendingLineFactory(council=council, line="Shared count")
    query = {"format": "json", "q": "Shared"}
    assert two_hosts("a", client, SPENDING, query).json()["count"] == 1
    with django_assert_num_queries(3):  # the version, one page of ids, its rows: no COUNT
        assert two_hosts("b", client, SPENDING, {**query, "page": "1"}).json()["count"] == 1


def test_a_summarised_count_needs_no_cache(client, two_hosts, django_assert_num_queries):
    """Unfiltered, the spending list's count is one SUM over the summary table on any host:
    no COUNT of the lines, nothing to share."""
    f.SpendingLineFactory(council=f.CouncilFactory())
    assert two_hosts("a", client, SPENDING, {"format": "json"}).json()["count"] == 1
    with django_assert_num_queries(4):  # the version, the SUM, one page of ids, its rows
        assert (
            two_hosts("b", client, SPENDING, {"format": "json", "page": "1"}).json()["count"] == 1
        )


def test_pages_are_still_served_while_redis_is_away(client, monkeypatch, caplog):
    """A Redis that does not answer (here, a port nobody listens on) slows pages, no more."""
    config = caches_from_url("redis://127.0.0.1:1/0")
    away = CacheHandler(config)["casebook"]
    monkeypatch.setattr(datacache, "cache", lambda: away)
    f.SpendingLineFactory(council=f.CouncilFactory(), line="Served without a cache")
    for _ in range(2):
        response = client.get(SPENDING)
        assert response.status_code == 200
        assert "Served without a cache" in response.content.decode()
    assert "Cache unavailable (get)" in caplog.text
