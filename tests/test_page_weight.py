"""Pages stay small: a source page shows a window of its facts, HTML leaves without blank lines."""

import html
import re

import pytest
from django.http import HttpResponse
from django.urls import reverse

from config.middleware import PublicPageCacheMiddleware
from interventions.models import Council, Source
from interventions.views.details.source import FACTS_PER_KIND, KIND_PAGE

from .test_drafts_crawl import LISTS

LIMIT = 100 * 1024


@pytest.mark.django_db
def test_council_and_source_pages_and_lists_of_the_seed_are_under_100_kb(client, seeded, settings):
    """The pages whose size the data drives most: the councils' (their inspections and money)
    and the reports' (every fact citing them), and every list."""
    settings.CASEBOOK_CACHE = False
    urls = ["/", "/changes/", "/compare/?council=slough&council=swindon"]
    urls += [reverse(name) for name in LISTS]
    for model in (Council, Source):
        urls += [record.get_absolute_url() for record in model.objects.published()]
    sizes = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        sizes[url] = len(response.content)
    assert {url: size for url, size in sizes.items() if size >= LIMIT} == {}


@pytest.mark.django_db
def test_a_source_page_shows_the_first_facts_of_each_kind_and_pages_through_one_kind(
    client, seeded, settings
):
    settings.CASEBOOK_CACHE = False
    source = Source.objects.get(slug="opm-2014-slough-childrens-social-care")
    lessons = source.interventions_lesson_facts.count()
    assert lessons > FACTS_PER_KIND
    page = client.get(source.get_absolute_url()).content.decode()
    assert "See every one of the lessons citing this report" in page
    assert 'href="?facts=lesson"' in page
    one_kind = client.get(f"{source.get_absolute_url()}?facts=lesson").content.decode()
    rows = re.findall(r'<th scope="row">', one_kind)
    assert len(rows) == min(lessons, KIND_PAGE)
    assert f"{lessons} lessons in Casebook cite this report" in one_kind
    bad = client.get(f"{source.get_absolute_url()}?facts=nonsense").content.decode()
    assert "“nonsense” is not a kind of fact on this page" in html.unescape(bad)


def test_compacting_drops_only_blank_lines_and_indentation_never_a_space_between_words():
    html = "<p>Slough\n      <a href=/x>Borough</a>\n\n\n   Council</p>\n  \t\n"
    response = PublicPageCacheMiddleware.compact(HttpResponse(html))
    assert response.content == b"<p>Slough\n<a href=/x>Borough</a>\nCouncil</p>\n"
    words = lambda text: " ".join(re.sub(r"<[^>]+>", " ", text).split())  # noqa: E731
    assert words(response.content.decode()) == words(html)
    # Preformatted text is left as it is, and so is anything that is not HTML.
    kept = "<pre>  two\n\n  lines</pre>"
    assert PublicPageCacheMiddleware.compact(HttpResponse(kept)).content == kept.encode()
    csv = HttpResponse("a,b\n\n  c", content_type="text/csv")
    assert PublicPageCacheMiddleware.compact(csv).content == b"a,b\n\n  c"


@pytest.mark.django_db
def test_a_served_page_has_no_blank_lines(client, seeded, settings):
    settings.CASEBOOK_CACHE = False
    text = client.get("/councils/slough/").content.decode()
    assert "\n\n" not in text
    assert not re.search(r"\n[ \t]+<", text)
    assert "Slough Borough Council" in text
