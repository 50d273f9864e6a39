"""The open data export: every published row, and it loads back to the same rows."""

import csv
import io
import json
import zipfile

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from ratings import dataset

from . import factories as f
from .conftest import content_models

pytestmark = pytest.mark.django_db


def empty_content_tables():
    with connection.constraint_checks_disabled():
        for model in reversed(content_models()):
            model.objects.all()._raw_delete(model.objects.db)


def test_export_loads_into_an_empty_database_and_exports_the_same(seeded, tmp_path):
    counts = {m._meta.label: m.objects.count() for m in content_models()[:-1]}
    with override_settings(DATA_EXPORT_DIR=tmp_path):
        first = dataset.build()
        with zipfile.ZipFile(first) as archive:
            data = archive.read("casebook.json").decode("utf-8")
            metadata = json.loads(archive.read("metadata.json"))
        empty_content_tables()
        assert not any(m.objects.exists() for m in content_models())
        dump = tmp_path / "casebook.json"
        dump.write_text(data, encoding="utf-8")
        call_command("loaddata", str(dump), verbosity=0)
        assert dataset.dataset_json() == data
    assert metadata["rows"] == counts
    assert counts["ratings.Judgement"] == 26
    assert metadata["version"].startswith(metadata["date"])


def test_export_has_one_csv_per_table_with_natural_keys(seeded, tmp_path):
    with override_settings(DATA_EXPORT_DIR=tmp_path):
        path = dataset.build()
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        assert {"casebook.json", "metadata.json", "ratings_spendingline.csv"} <= names
        assert len([n for n in names if n.endswith(".csv")]) == len(dataset.MODELS)
        rows = list(
            csv.DictReader(io.StringIO(archive.read("ratings_judgement.csv").decode("utf-8-sig")))
        )
    assert rows[0]["inspection"]  # a slug, not an id
    assert not rows[0]["inspection"].isdigit()


def test_export_leaves_out_drafts(db, tmp_path):
    f.InterventionFactory(title="Public case")
    f.InterventionFactory(title="Draft case", published=False)
    with override_settings(DATA_EXPORT_DIR=tmp_path):
        data = dataset.dataset_json()
    assert "Public case" in data
    assert "Draft case" not in data


def test_data_page_offers_the_latest_export(client, seeded, tmp_path):
    with override_settings(DATA_EXPORT_DIR=tmp_path):
        assert "No export has been made yet" in client.get("/data/").content.decode()
        assert client.get("/data/?download=1").status_code == 404
        path = dataset.build()
        page = client.get("/data/").content.decode()
        assert path.name in page
        response = client.get("/data/?download=1")
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment")
        assert b"".join(response.streaming_content)[:2] == b"PK"
