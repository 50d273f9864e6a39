"""The seed data: loads all or nothing, twice without change, every fact cited."""

import shutil
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db.models import Q

from interventions.models.common import Cited

pytestmark = pytest.mark.django_db

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
CONTENT_MODELS = [
    m
    for app in ("interventions", "ratings")
    for m in apps.get_app_config(app).get_models()
    if not m._meta.model_name.startswith("historical")
    # Not content: the data version, the search index rebuilt from the content, and the
    # numbered versions made from the content's history.
    # (nor the summary counts, recounted from the content on every write)
    and m._meta.model_name not in {"dataversion", "searchdocument", "recordversion", "factcount"}
]
HISTORY_MODELS = [m.history.model for m in CONTENT_MODELS]
CITED_MODELS = [m for m in CONTENT_MODELS if issubclass(m, Cited)]


def snapshot():
    """Every row of every content model, as values."""
    return {
        m._meta.label: sorted(map(repr, m.objects.order_by("pk").values())) for m in CONTENT_MODELS
    }


def test_seed_loads_every_fixture_file(seeded):
    from interventions.models import Council, Intervention, Source

    assert Source.objects.count() == 5
    assert (
        Council.objects.filter(slug__in=["swindon", "kent", "slough", "stoke-on-trent"]).count()
        == 4
    )
    assert Intervention.objects.exists()


def test_seeding_twice_leaves_the_same_rows(seeded):
    before = snapshot()
    history = sum(m.objects.count() for m in HISTORY_MODELS)
    call_command("seed", verbosity=0)
    assert snapshot() == before
    # Not even a history row: an unchanged row is not saved again.
    assert sum(m.objects.count() for m in HISTORY_MODELS) == history


def test_every_factual_row_has_a_source_and_a_locator(seeded):
    for model in CITED_MODELS:
        missing = model.objects.filter(Q(source__isnull=True) | Q(locator__regex=r"^\s*$"))
        assert not missing.exists(), f"{model._meta.label}: {list(missing[:5])}"


def test_no_council_is_recorded_twice_under_another_name(seeded):
    from interventions.models import Council

    seen = {}
    for council in Council.objects.all():
        names = {council.name, *(n.strip() for n in council.also_known_as.split(";"))}
        for name in names:
            key = name.split("(")[0].strip().lower()
            if not key or key in {"sbc"}:  # SBC means Swindon in one report, Slough in another
                continue
            assert key not in seen or seen[key] == council.slug, f"{name}: {seen.get(key)}"
            seen[key] = council.slug


# Councils a report names though no fact is about them, each with the reason.
NAMED_ONLY = {
    # "came to Stoke in June from Halton Council, Lancashire": the figure beside it (five and
    # a half years) is about Kath O'Dwyer (halton-turnaround-years), and no post title is
    # printed for her there.
    "halton": "Kath O'Dwyer's previous council, named in the Stoke article",
}


def test_no_orphan_council(seeded):
    """Every council is cited by at least one fact other than its own record, or is one the
    reports only name (NAMED_ONLY, each with its reason)."""
    from interventions.models import Council

    orphans = []
    for council in Council.objects.exclude(slug__in=NAMED_ONLY):
        related = [
            rel
            for rel in council._meta.related_objects
            if rel.related_model is not Council and rel.related_model._meta.app_label != "admin"
        ]
        used = any(getattr(council, rel.get_accessor_name()).exists() for rel in related)
        if not used:
            orphans.append(council.slug)
    assert orphans == []


def broken_copy(tmp_path, text):
    for path in FIXTURES.glob("0[0-3]_*.yaml"):
        shutil.copy(path, tmp_path / path.name)
    (tmp_path / "99_broken.yaml").write_text(text, encoding="utf-8")
    return tmp_path


BROKEN_ROW = """\
- model: interventions.servicearea
  fields: {slug: youth-justice, name: Youth justice}
- model: interventions.intervention
  fields:
    slug: broken-intervention
    title: Broken
    subject_council: [no-such-council]
    kind: partnership
    status: completed
    source: [opm-2014-slough-childrens-social-care]
    locator: para 1
"""


def test_a_bad_row_aborts_the_load_naming_file_and_row(db, tmp_path):
    from interventions.models import Council, ServiceArea

    call_command("seed", verbosity=0)
    before = snapshot()
    with pytest.raises(CommandError) as error:
        call_command("seed", fixtures_dir=broken_copy(tmp_path, BROKEN_ROW), verbosity=0)
    message = str(error.value)
    assert "99_broken.yaml, row 2" in message
    assert "broken-intervention" in message
    # Nothing from the failed load stays: not even the good row before the bad one.
    assert not ServiceArea.objects.filter(slug="youth-justice").exists()
    assert snapshot() == before
    assert Council.objects.exists()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("- model: interventions.council\n  fields: {slug: x, name: X, locator: a}\n", "row 1"),
        ("- model: ratings.statistic\n  fields: {ref: a, value: lots}\n", "row 1"),
        ("- model: interventions.nosuchmodel\n  fields: {}\n", "row 1"),
        ("- [unbalanced\n", "not valid YAML"),
        (
            "- model: ratings.spendingline\n  fields:\n    ref: negative\n    council: [slough]\n"
            "    line: Budget\n    kind: budget\n    amount_gbp: '-5'\n    as_printed: '-5'\n"
            "    source: [opm-2014-slough-childrens-social-care]\n    locator: table\n",
            "row 1",
        ),
    ],
)
def test_each_kind_of_bad_fixture_is_a_clear_error(db, tmp_path, text, expected):
    with pytest.raises(CommandError) as error:
        call_command("seed", fixtures_dir=broken_copy(tmp_path, text), verbosity=0)
    assert "99_broken.yaml" in str(error.value)
    assert expected in str(error.value)
    from interventions.models import Source

    assert not Source.objects.exists()


def test_natural_key_round_trip_gives_the_same_rows(seeded, tmp_path):
    """Dump with natural keys, empty the tables, load the dump: the same rows come back."""
    from io import StringIO

    from django.db import connection

    labels = [m._meta.label for m in CONTENT_MODELS]
    out = StringIO()
    call_command(
        "dumpdata", *labels, natural_foreign=True, natural_primary=True, format="json", stdout=out
    )

    def by_natural_key():
        result = {}
        for model in CONTENT_MODELS:
            rows = []
            for obj in model.objects.all():
                values = {
                    field.name: (
                        getattr(obj, field.name).natural_key()
                        if field.is_relation and getattr(obj, field.name) is not None
                        else getattr(obj, field.attname)
                    )
                    for field in model._meta.concrete_fields
                    if not field.primary_key
                }
                for m2m in model._meta.many_to_many:
                    values[m2m.name] = sorted(o.natural_key() for o in getattr(obj, m2m.name).all())
                rows.append(repr(sorted(values.items())))
            result[model._meta.label] = sorted(rows)
        return result

    before = by_natural_key()
    dump = tmp_path / "dump.json"
    dump.write_text(out.getvalue(), encoding="utf-8")
    # (the summary counts point at councils: emptied with them, as they are derived)
    derived = [apps.get_model("interventions", "FactCount")]
    with connection.constraint_checks_disabled():
        for model in [*derived, *reversed(CONTENT_MODELS)]:
            model.objects.all()._raw_delete(model.objects.db)
    for model in CONTENT_MODELS:
        for m2m in model._meta.many_to_many:
            m2m.remote_field.through.objects.all().delete()
    assert all(not m.objects.exists() for m in CONTENT_MODELS)
    call_command("loaddata", str(dump), verbosity=0)
    assert by_natural_key() == before
