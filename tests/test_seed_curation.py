"""Re-seeding never overwrites curation: the fixtures are the first import, not the master."""

import shutil
import subprocess
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management import ManagementUtility, call_command
from django.urls import reverse

from interventions.management.commands.seed import LOADED, OVERWRITTEN, describe
from interventions.models import Council, Intervention, Lesson, ServiceArea

from .test_curators import form_data
from .test_seed import HISTORY_MODELS, snapshot

pytestmark = pytest.mark.django_db

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
# The shared records and one report's case study: enough rows of every shape, and quick.
FILES = (
    "00_disagreements",  # the organisations and people name some
    "00_sources",
    "01_councils",
    "02_organisations",
    "03_service_areas",
    "05_people",
    "30_stoke_serco",
)
STOKE = "stoke-serco-partnership"
CASE_FILE = "30_stoke_serco.yaml"


@pytest.fixture
def fixtures_dir(tmp_path):
    for name in FILES:
        shutil.copy(FIXTURES / f"{name}.yaml", tmp_path / f"{name}.yaml")
    return tmp_path


@pytest.fixture
def seeded_small(fixtures_dir):
    """A database seeded by the command from a few of the fixtures, history included."""
    seed(fixtures_dir)
    return fixtures_dir


@pytest.fixture
def editor():
    return User.objects.create_user("editor", password="not-used-here-xyz", is_staff=True)


def seed(fixtures_dir, *args) -> str:
    out = StringIO()
    call_command("seed", *args, fixtures_dir=fixtures_dir, stdout=out, no_color=True)
    return out.getvalue()


def row_label(file: str, model: str, **match) -> str:
    """How the command names a row: its file, its number there, and what it is."""
    rows = yaml.safe_load((FIXTURES / file).read_text(encoding="utf-8"))
    for number, row in enumerate(rows, start=1):
        if row["model"] == model and all(row["fields"].get(k) == v for k, v in match.items()):
            return f"{file}, row {number} ({describe(row)})"
    raise LookupError(match)


def edit_fixture(fixtures_dir, file: str, old: str, new: str) -> None:
    path = fixtures_dir / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")


def history_rows() -> int:
    return sum(model.objects.count() for model in HISTORY_MODELS)


def curate(obj, editor, **changes):
    for name, value in changes.items():
        setattr(obj, name, value)
    obj._history_user = editor
    obj.save()


def test_a_curators_admin_edit_survives_a_reseed_and_is_reported(seeded_small, client):
    curator = User.objects.create_user("curator", password="not-used-here-xyz", is_staff=True)
    curator.groups.add(Group.objects.get(name="Curator"))
    client.force_login(curator)
    council = Council.objects.get(slug="stoke-on-trent")
    url = reverse("admin:interventions_council_change", args=[council.pk])
    form = client.get(url).context["adminform"].form
    data = {**form_data(form), "also_known_as": "The Potteries; SOTCC"}
    response = client.post(url, {**data, "change_reason": "Both names are in the report"})
    assert response.status_code == 302
    history = history_rows()

    out = seed(seeded_small)

    council.refresh_from_db()
    assert council.also_known_as == "The Potteries; SOTCC"
    label = row_label("01_councils.yaml", "interventions.council", slug="stoke-on-trent")
    assert f"{label}: also_known_as: curated since seeding: kept" in out
    assert "0 created, 0 updated, 1 kept as curated" in out
    assert history_rows() == history  # nothing written for a kept row


def test_a_curators_edit_survives_while_an_uncurated_row_takes_the_corrected_fixture(
    seeded_small, editor
):
    intervention = Intervention.objects.get(slug=STOKE)
    curate(intervention, editor, summary="A curator's corrected summary.")
    edit_fixture(seeded_small, CASE_FILE, "No final outcome\n      is reported.", "No outcome.")
    edit_fixture(seeded_small, "01_councils.yaml", "KCC; Kent Council", "KCC; Kent")

    out = seed(seeded_small)

    intervention.refresh_from_db()
    assert intervention.summary == "A curator's corrected summary."
    assert "No final outcome" in intervention.outcome  # a curated row is kept whole
    label = row_label(CASE_FILE, "interventions.intervention", slug=STOKE)
    assert f"{label}: summary: curated since seeding: kept" in out
    assert f"{label}: outcome: changed in the fixtures, row curated since seeding: kept" in out
    kent = Council.objects.get(slug="kent")
    assert kent.also_known_as == "KCC; Kent"
    assert kent.history.latest().history_change_reason == LOADED
    kent_label = row_label("01_councils.yaml", "interventions.council", slug="kent")
    assert f"{kent_label}: also_known_as: not curated since seeding: updated" in out
    assert "0 created, 1 updated, 1 kept as curated" in out


def test_a_curators_unpublish_survives_a_reseed(seeded_small, editor):
    intervention = Intervention.objects.get(slug=STOKE)
    curate(intervention, editor, published=False)

    out = seed(seeded_small)

    intervention.refresh_from_db()
    assert intervention.published is False
    assert not Intervention.objects.published().filter(slug=STOKE).exists()
    label = row_label(CASE_FILE, "interventions.intervention", slug=STOKE)
    assert f"{label}: published: curated since seeding: kept" in out


def test_an_edit_that_left_no_history_is_kept_too(seeded_small):
    # A queryset update (or a bulk load) writes no version: the values still differ from
    # what the seed saved, so the row is the curators'.
    Council.objects.filter(slug="kent").update(region="london")

    out = seed(seeded_small)

    assert Council.objects.get(slug="kent").region == "london"
    label = row_label("01_councils.yaml", "interventions.council", slug="kent")
    assert f"{label}: region: curated since seeding: kept" in out


def test_a_row_with_no_seed_version_in_its_history_is_kept(seeded, tmp_path):
    # `seeded` restores rows without their history, as a restore from elsewhere might.
    for path in FIXTURES.glob("0[0-3]_*.yaml"):
        shutil.copy(path, tmp_path / path.name)
    edit_fixture(tmp_path, "01_councils.yaml", "KCC; Kent Council", "KCC; Kent")

    out = seed(tmp_path)

    assert Council.objects.get(slug="kent").also_known_as == "KCC; Kent Council"
    label = row_label("01_councils.yaml", "interventions.council", slug="kent")
    assert f"{label}: also_known_as: changed outside the seed (no seed version): kept" in out


def test_a_row_a_curator_deleted_is_not_recreated(seeded_small, editor):
    lesson = Lesson.objects.get(intervention__slug=STOKE, position=3)
    lesson._history_user = editor
    lesson.delete()
    count = Lesson.objects.count()

    out = seed(seeded_small)

    assert Lesson.objects.count() == count
    assert not Lesson.objects.filter(intervention__slug=STOKE, position=3).exists()
    label = row_label(CASE_FILE, "interventions.lesson", position=3)
    assert f"{label}: deleted by a curator since seeding: not recreated" in out


def test_a_case_study_a_curator_deleted_is_not_recreated_nor_its_parts(seeded_small, editor):
    intervention = Intervention.objects.get(slug=STOKE)
    for relation in intervention._meta.related_objects:
        if relation.one_to_many and relation.related_model._meta.app_label != "admin":
            for part in getattr(intervention, relation.get_accessor_name()).all():
                part._history_user = editor
                part.delete()
    intervention._history_user = editor
    intervention.delete()
    before = snapshot()

    out = seed(seeded_small)

    assert snapshot() == before
    label = row_label(CASE_FILE, "interventions.intervention", slug=STOKE)
    assert f"{label}: deleted by a curator since seeding: not recreated" in out
    assert f"not created: its intervention ['{STOKE}'] was deleted by a curator" in out


def test_a_record_a_curator_renamed_is_not_seeded_again_under_its_old_slug(seeded_small, editor):
    council = Council.objects.get(slug="stoke-on-trent")
    curate(council, editor, slug="stoke")
    councils = Council.objects.count()

    out = seed(seeded_small)

    assert Council.objects.count() == councils
    assert not Council.objects.filter(slug="stoke-on-trent").exists()
    # The case study still belongs to the renamed council.
    assert Intervention.objects.get(slug=STOKE).subject_council == council
    label = row_label("01_councils.yaml", "interventions.council", slug="stoke-on-trent")
    assert f"{label}: slug: curated since seeding: kept" in out


def test_overwrite_curated_overwrites_names_each_row_and_records_why(seeded_small, editor):
    intervention = Intervention.objects.get(slug=STOKE)
    seeded_summary = intervention.summary
    curate(intervention, editor, summary="A curator's summary.", published=False)
    Council.objects.filter(slug="kent").update(region="london")

    out = seed(seeded_small, "--overwrite-curated")

    intervention.refresh_from_db()
    assert intervention.summary == seeded_summary
    assert intervention.published is False  # publication stays as its curator set it
    latest = intervention.history.latest()
    assert (latest.history_change_reason, latest.history_user) == (OVERWRITTEN, None)
    assert latest.summary == seeded_summary
    assert Council.objects.get(slug="kent").region != "london"
    label = row_label(CASE_FILE, "interventions.intervention", slug=STOKE)
    assert f"{label}: summary: curated since seeding: overwritten" in out
    kent_label = row_label("01_councils.yaml", "interventions.council", slug="kent")
    assert f"{kent_label}: region: curated since seeding: overwritten" in out
    assert "2 overwritten" in out
    # The overwritten rows are the seed's own again, and the publication still the curator's:
    # a later run writes nothing.
    history = history_rows()
    again = seed(seeded_small)
    assert history_rows() == history
    assert Intervention.objects.get(slug=STOKE).published is False
    assert "0 created, 0 updated, 1 kept as curated" in again
    assert f"{label}: published: differs from the fixtures: kept" in again


def test_overwrite_curated_recreates_a_deleted_row(seeded_small, editor):
    lesson = Lesson.objects.get(intervention__slug=STOKE, position=3)
    text = lesson.text
    lesson._history_user = editor
    lesson.delete()

    out = seed(seeded_small, "--overwrite-curated")

    again = Lesson.objects.get(intervention__slug=STOKE, position=3)
    assert again.text == text
    assert again.history.latest().history_change_reason == OVERWRITTEN
    assert "deleted by a curator since seeding: recreated" in out


def test_reseeding_a_curated_database_writes_nothing_and_ends_normally(seeded_small, editor):
    curate(Intervention.objects.get(slug=STOKE), editor, summary="Curated.")
    before, history = snapshot(), history_rows()

    seed(seeded_small)  # returns normally: the command exits 0
    out = seed(seeded_small)

    assert snapshot() == before
    assert history_rows() == history
    assert "1 kept as curated" in out


def test_if_empty_seeds_an_empty_database(fixtures_dir):
    out = seed(fixtures_dir, "--if-empty")

    assert Intervention.objects.filter(slug=STOKE).exists()
    assert "0 updated, 0 kept as curated, 0 unchanged" in out


def test_if_empty_leaves_a_database_with_records_alone(seeded_small, editor):
    curate(Intervention.objects.get(slug=STOKE), editor, published=False)
    new_row = (
        "- model: interventions.servicearea\n  fields: {slug: youth-justice, name: Youth justice}\n"
    )
    (seeded_small / "99_new.yaml").write_text(new_row, encoding="utf-8")
    before, history = snapshot(), history_rows()

    out = seed(seeded_small, "--if-empty")

    assert snapshot() == before
    assert history_rows() == history
    assert not ServiceArea.objects.filter(slug="youth-justice").exists()
    assert "The database already holds records: not seeding it." in out


def test_make_run_seeds_only_an_empty_database():
    if shutil.which("make") is None:
        pytest.fail("make is needed to read the Makefile's run target")
    plan = subprocess.run(
        ["make", "-n", "run"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    seeds = [line for line in plan.splitlines() if "manage.py seed" in line]
    assert seeds
    assert all("--if-empty" in line for line in seeds)


def test_the_command_exits_0_when_it_keeps_curated_rows(seeded_small, editor, capsys):
    """Run as from the shell: a failure would exit with a status (SystemExit), success returns."""
    curate(Council.objects.get(slug="kent"), editor, region="london")

    ManagementUtility(["manage.py", "seed", "--fixtures-dir", str(seeded_small)]).execute()

    out = capsys.readouterr().out
    assert "region: curated since seeding: kept" in out
    assert "1 kept as curated" in out
