"""The proof of "a draft is invisible everywhere", on the real seed data.

Each kind of record with a draft state is unpublished in turn (one real record of each,
chosen because its name and slug appear in no other record's own text), then every public
address is requested, in every format: the home page, every list (HTML, CSV, JSON), every
published detail page (HTML, JSON, BibTeX, RIS) and every version of it, search for the
record's name, the sitemap, the open-data page and the file it offers, and the record's own
addresses, old slug and versions. Not one of them may name the record or give its slug.
"""

import html
import io
import json
import zipfile

import pytest
from django.core.management import call_command
from django.urls import reverse

from interventions.models import Council, Intervention, Organisation, Person, Source
from interventions.versions import record_versions
from ratings.models import Inspection

pytestmark = pytest.mark.django_db

LISTS = [
    "interventions:intervention-list",
    "interventions:council-list",
    "interventions:workstream-list",
    "interventions:source-list",
    "ratings:judgement-list",
    "ratings:spending-list",
    "ratings:inspection-list",
    "ratings:statistic-list",
    "interventions:organisation-list",
    "interventions:person-list",
]
DETAIL_FORMATS = ("", "?format=json", "?format=bibtex", "?format=ris")

# One record of each kind with a `published` flag (organisations have none), reached from
# others through as many relations as the seed data offers:
# - Kingston upon Thames: a participant in Richmond's trust, with statistics of its own;
# - the Stoke article: first names three councils and several organisations, and is the
#   source of the Stoke case study, its parts, money and inspection;
# - Slough's option of an independent children's services organisation: linked from eight
#   other case studies (related interventions);
# - Slough's 2011 inspection: twenty judgements, the subject of a council page's chart.
DRAFTS = {
    "council": (Council, "kingston-upon-thames", "Royal Borough of Kingston upon Thames"),
    "source": (
        Source,
        "community-care-stoke-serco-partnership",
        "Innovative partnership turns around children's services in Stoke",
    ),
    "intervention": (
        Intervention,
        "slough-option-independent-cso",
        "Option: independent children's services organisation (CSO) for Slough",
    ),
    "inspection": (
        Inspection,
        "slough-ofsted-2011-slac",
        "Inspection of safeguarding and looked after children services in Slough (2011)",
    ),
}


def search_results(response) -> str:
    """What a search found: the results, not the search box repeating what was typed."""
    if response["Content-Type"].startswith("application/json"):
        return json.dumps(response.json()["results"], ensure_ascii=False)
    page = response.content.decode()
    start = page.find('<ol class="search-results">')
    return page[start : page.index("</ol>", start)] if start >= 0 else ""


def text_of(response) -> str:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    if raw[:2] == b"PK":  # the open-data download: every file in it
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            return "\n".join(archive.read(n).decode("utf-8-sig") for n in archive.namelist())
    return raw.decode("utf-8-sig")


def public_addresses() -> list[str]:
    """Every public address of the site as it stands (lists, details, versions, others)."""
    urls = ["/", "/sitemap.xml", "/data/", "/data/casebook-data.zip"]
    for name in LISTS:
        urls += [reverse(name), f"{reverse(name)}?format=csv", f"{reverse(name)}?format=json"]
    for model in (Intervention, Council, Source, Inspection, Organisation, Person):
        for record in model.objects.published().order_by("pk"):
            page = record.get_absolute_url()
            urls += [page + suffix for suffix in DETAIL_FORMATS]
            for number in record_versions(record).values_list("number", flat=True):
                urls += [f"{page}versions/v{number}/", f"{page}versions/v{number}/?format=json"]
    return urls


@pytest.mark.parametrize("kind", DRAFTS)
def test_an_unpublished_record_is_named_nowhere_on_the_public_site(client, seeded, tmp_path, kind):
    model, slug, name = DRAFTS[kind]
    call_command("populate_history", auto=True, stdout=io.StringIO())  # every record a version
    call_command("rebuild_versions", verbosity=0)
    record = model.objects.get(slug=slug)
    assert record.published
    old_url = record.get_absolute_url()
    record.slug = f"{slug}-renamed"  # so that it has an old slug too
    record.save()
    record.published = False
    record.save()
    secrets = (name, slug, record.slug)

    urls = public_addresses()
    searches = [f"/search/?q={name}", f"/search/?q={name}&format=json", f"/search/?q={slug}"]
    leaks = []
    for url in urls + searches:
        response = client.get(url)
        assert response.status_code == 200, url
        text = search_results(response) if url in searches else text_of(response)
        unescaped = html.unescape(text)
        leaks += [(url, s) for s in secrets if s in text or s in unescaped]
    assert leaks == []

    # Its own addresses, old and new, and every version of it: not found, never a redirect.
    versions = [*record.history.values_list("history_id", flat=True)]
    versions += [f"v{n}" for n in record_versions(record).values_list("number", flat=True)]
    own = [old_url, record.get_absolute_url()]
    own += [f"{url}versions/{v}/" for url in own for v in versions]
    for url in own:
        for suffix in ("", "?format=json"):
            assert client.get(url + suffix).status_code == 404, url + suffix


def test_the_crawl_finds_a_published_record_by_name(client, seeded, tmp_path):
    """The crawl can fail: with the record published, its name is found where expected."""
    _model, slug, name = DRAFTS["council"]
    participant_page = "/interventions/achieving-for-children-richmond-kingston/"
    assert name in text_of(client.get(participant_page))
    assert slug in text_of(client.get("/councils/?format=csv"))
    assert name in search_results(client.get(f"/search/?q={name}"))
    assert name in search_results(client.get(f"/search/?q={name}&format=json"))
    assert slug in text_of(client.get("/data/casebook-data.zip"))
