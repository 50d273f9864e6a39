"""The open data at /data/: every published row as it is now, the same bytes on every host,
with a data dictionary and a licence, and loadable back into Casebook."""

import csv
import io
import json
import time
import zipfile
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection

from interventions.models import Intervention
from ratings import dataset, opendata
from ratings.models import SpendingLine

from . import factories as f
from .conftest import content_models

pytestmark = pytest.mark.django_db

DOWNLOAD = "/data/casebook-data.zip"


def empty_content_tables():
    # (with the lists' summary counts, derived from the content and pointing at councils)
    derived = [apps.get_model("interventions", "FactCount")]
    with connection.constraint_checks_disabled():
        for model in [*derived, *reversed(content_models())]:
            model.objects.all()._raw_delete(model.objects.db)


def download(client) -> bytes:
    response = client.get(DOWNLOAD)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith("attachment")
    return b"".join(response.streaming_content) if response.streaming else response.content


def archive_of(data: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(data))


def csv_rows(archive, name) -> list[list[str]]:
    return list(csv.reader(io.StringIO(archive.read(name).decode("utf-8-sig"))))


def test_export_loads_into_an_empty_database_and_exports_the_same(seeded, tmp_path):
    counts = {
        m._meta.label: m.objects.count()
        for m in [m for m in content_models() if not m._meta.auto_created]
    }
    with archive_of(opendata.build()) as archive:
        data = archive.read("casebook.json").decode("utf-8")
        package = json.loads(archive.read("datapackage.json"))
    empty_content_tables()
    assert not any(m.objects.exists() for m in content_models())
    dump = tmp_path / "casebook.json"
    dump.write_text(data, encoding="utf-8")
    call_command("loaddata", str(dump), verbosity=0)
    assert dataset.dataset_json() == data
    rows = {r["path"]: r["rows"] for r in package["resources"]}
    for model in [m for m in content_models() if not m._meta.auto_created]:
        assert rows[opendata.csv_name(model)] == counts[model._meta.label]
    assert counts["ratings.Judgement"] == 26


def test_export_has_one_csv_per_table_with_natural_keys(seeded):
    with archive_of(opendata.build()) as archive:
        names = set(archive.namelist())
        assert {"casebook.json", "datapackage.json", "ratings_spendingline.csv"} <= names
        assert len([n for n in names if n.endswith(".csv")]) == len(dataset.MODELS)
        rows = list(
            csv.DictReader(io.StringIO(archive.read("ratings_judgement.csv").decode("utf-8-sig")))
        )
    assert len(rows) == 26
    assert rows[0]["inspection"]  # a slug, not an id
    assert not rows[0]["inspection"].isdigit()


def test_export_leaves_out_drafts(db):
    f.InterventionFactory(title="Public case")
    f.InterventionFactory(title="Draft case", published=False)
    data = opendata.build()
    with archive_of(data) as archive:
        text = archive.read("casebook.json").decode() + archive.read(
            "interventions_intervention.csv"
        ).decode("utf-8-sig")
    assert "Public case" in text
    assert "Draft case" not in text


def test_unpublished_case_study_leaves_the_download_and_the_page_at_once(client, seeded):
    case = Intervention.objects.published().order_by("pk").first()
    before_page = client.get("/data/").content.decode()
    with archive_of(download(client)) as archive:
        assert case.title in archive.read("casebook.json").decode()
        header, *rows = csv_rows(archive, "interventions_intervention.csv")
        titles = [row[header.index("title")] for row in rows]
        assert case.title in titles
    published = Intervention.objects.published().count()
    assert f'<td>Interventions</td><td class="num">{published}</td>' in before_page

    case.published = False
    case.save()  # as a curator's edit does: nothing else is run

    with archive_of(download(client)) as archive:
        assert case.title not in archive.read("casebook.json").decode()
        header, *rows = csv_rows(archive, "interventions_intervention.csv")
        titles = [row[header.index("title")] for row in rows]
        assert case.title not in titles
        assert case.slug not in archive.read("interventions_phase.csv").decode("utf-8-sig")
    page = client.get("/data/").content.decode()
    assert f'<td>Interventions</td><td class="num">{published - 1}</td>' in page


def test_download_is_the_same_bytes_on_two_hosts_at_different_times(client, seeded, monkeypatch):
    first = client.get(DOWNLOAD)
    assert first.streaming  # built for this request
    first_bytes = b"".join(first.streaming_content)

    # Another host: nothing in its cache, and its clock says three days and a bit later.
    caches["casebook"].clear()
    caches["default"].clear()
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + 3 * 86400 + 7)
    second = client.get(DOWNLOAD)
    assert second.streaming
    assert b"".join(second.streaming_content) == first_bytes

    third = client.get(DOWNLOAD)  # this host again: from its cache, the same bytes
    assert not third.streaming
    assert third.content == first_bytes
    with archive_of(first_bytes) as archive:
        assert {info.date_time for info in archive.infolist()} == {opendata.ZIP_DATE}


def test_export_dataset_writes_the_bytes_the_site_serves(client, seeded, tmp_path):
    path = tmp_path / "casebook-data.zip"
    call_command("export_dataset", output=str(path), stdout=io.StringIO())
    assert path.read_bytes() == download(client)


def test_data_dictionary_explains_every_exported_column(client, seeded):
    with archive_of(download(client)) as archive:
        package = json.loads(archive.read("datapackage.json"))
        readme = archive.read("README.txt").decode()
        csv_names = sorted(n for n in archive.namelist() if n.endswith(".csv"))
        headers = {name: csv_rows(archive, name)[0] for name in csv_names}
    resources = {r["path"]: r for r in package["resources"]}
    assert sorted(resources) == csv_names
    page = client.get("/data/").content.decode()
    for name, header in headers.items():
        fields = resources[name]["schema"]["fields"]
        assert [field["name"] for field in fields] == header
        assert resources[name]["description"]
        for field in fields:
            # A meaning, not only the column's name.
            assert len(field["description"]) > len(field["title"]) + 10, (name, field)
            assert field["type"] in {"string", "integer", "number", "date", "boolean"}
            assert f"- {field['name']} ({field['type']}): {field['description']}" in readme
            assert f'<th scope="row"><code>{field["name"]}</code></th>' in page
        assert f'id="table-{name}"' in page
    amount = next(
        field
        for field in resources["ratings_spendingline.csv"]["schema"]["fields"]
        if field["name"] == "amount_gbp"
    )
    assert amount["unit"].startswith("pounds sterling")


def test_licence_and_attribution_are_in_the_download_and_on_the_page(client, seeded):
    with archive_of(download(client)) as archive:
        package = json.loads(archive.read("datapackage.json"))
        readme = archive.read("README.txt").decode()
    assert package["licenses"] == [
        {
            "name": "CC-BY-4.0",
            "title": "Creative Commons Attribution 4.0 International",
            "path": "https://creativecommons.org/licenses/by/4.0/",
        }
    ]
    attribution = (
        "Contains data compiled by Casebook, licensed under CC BY 4.0; "
        "facts are drawn from the reports cited in each row."
    )
    assert package["attribution"] == attribution
    assert attribution in readme
    assert "keeps its own copyright" in readme
    page = client.get("/data/").content.decode()
    assert attribution in page
    assert 'href="https://creativecommons.org/licenses/by/4.0/" rel="license"' in page
    assert "keeps its own copyright" in page


@pytest.mark.parametrize("payload", ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)"])
def test_download_csvs_neutralise_spreadsheet_formulas(client, db, payload):
    case = f.InterventionFactory(title=payload, summary=payload)
    f.SpendingLineFactory(council=case.subject_council, note=payload, line=payload)
    f.StatisticFactory(council=case.subject_council, value=Decimal("-250.5"))
    with archive_of(download(client)) as archive:
        cells = [
            cell
            for name in archive.namelist()
            if name.endswith(".csv")
            for row in csv_rows(archive, name)
            for cell in row
        ]
        data = json.loads(archive.read("casebook.json"))
        statistics = csv_rows(archive, "ratings_statistic.csv")
    assert cells.count("'" + payload) == 4  # title, summary, line, note
    assert payload not in cells
    value = statistics[0].index("value")
    assert [row[value] for row in statistics[1:]] == ["-250.5000"]  # a number, left alone
    # The JSON is data, not a spreadsheet: it keeps the text as written.
    assert payload in [row["fields"].get("title") for row in data]


def test_data_page_says_when_the_data_changed_and_what_the_download_holds(client, seeded):
    page = client.get("/data/").content.decode()
    assert "Data last changed" in page
    assert 'href="/data/casebook-data.zip"' in page
    for name in ("casebook.json", "datapackage.json", "README.txt", "ratings_spendingline.csv"):
        assert name in page
    lines = SpendingLine.objects.published().count()
    assert f'<td class="num">{lines}</td>' in page


def test_head_of_the_download_builds_nothing(client, seeded, django_assert_num_queries):
    with django_assert_num_queries(1):  # the data version, to look in the cache
        response = client.head(DOWNLOAD)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert opendata.cached() is None


def test_old_download_address_redirects_to_the_file(client, db):
    response = client.get("/data/?download=1")
    assert response.status_code == 301
    assert response["Location"] == DOWNLOAD


def test_data_page_queries(client, seeded, django_assert_num_queries):
    # The data version, when it last changed, and one count per table; then all from cache.
    with django_assert_num_queries(2 + len(dataset.MODELS)):
        assert client.get("/data/").status_code == 200
    with django_assert_num_queries(1):
        assert client.get("/data/").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_download_outside_a_transaction_reads_one_snapshot_and_ends_it():
    f.InterventionFactory(title="Snapshot case")
    assert not connection.in_atomic_block
    with archive_of(opendata.build()) as archive:
        assert "Snapshot case" in archive.read("casebook.json").decode()
    assert not connection.in_atomic_block
