"""Pages cost the same number of queries on a small and a ten-times-larger data set.

Both sets come from the synthetic generator that the benchmarks use at England scale.
"""

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
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


# The generator's loaders --------------------------------------------------------------

from ratings.management.commands import generate_synthetic  # noqa: E402
from ratings.models import Judgement, SpendingLine, Statistic  # noqa: E402

BIG_TABLES = (Inspection, Judgement, SpendingLine, Statistic)


def big_rows() -> dict:
    """Every column of every row of the big tables, the ids of other rows replaced by their
    slugs (the ids differ from one build to the next), in a fixed order."""
    slugs = {
        "council_id": dict(Council.objects.values_list("pk", "slug")),
        "source_id": dict(Source.objects.values_list("pk", "slug")),
        "inspection_id": dict(Inspection.objects.values_list("pk", "slug")),
    }
    found = {}
    for model in BIG_TABLES:
        names = [f.attname for f in model._meta.concrete_fields if not f.primary_key]
        rows = []
        for values in model.objects.values_list(*names):
            row = dict(zip(names, values, strict=True))
            for name, by_id in slugs.items():
                if row.get(name) is not None:
                    row[name] = by_id[row[name]]
            rows.append(tuple(sorted(row.items())))
        found[model._meta.label] = sorted(rows)
    return found


def test_the_fast_loader_writes_the_rows_bulk_create_writes():
    call_command("generate_synthetic", scale=0.005, seed=7, no_progress=True, verbosity=0)
    fast = big_rows()
    call_command(
        "generate_synthetic", scale=0.005, seed=7, replace=True, orm=True, no_progress=True,
        verbosity=0,
    )  # fmt: skip
    orm = big_rows()
    assert {label: len(rows) for label, rows in fast.items()} == {
        "ratings.Inspection": 50,
        "ratings.Judgement": len(orm["ratings.Judgement"]),
        "ratings.SpendingLine": 5000,
        "ratings.Statistic": 500,
    }
    assert len(fast["ratings.Judgement"]) > 150  # three to nine an inspection
    assert fast == orm


def test_a_seed_gives_the_same_rows_and_another_seed_others():
    call_command("generate_synthetic", scale=0.002, seed=3, no_progress=True, verbosity=0)
    first = big_rows()
    call_command(
        "generate_synthetic", scale=0.002, seed=3, replace=True, no_progress=True, verbosity=0
    )
    assert big_rows() == first
    call_command(
        "generate_synthetic", scale=0.002, seed=4, replace=True, no_progress=True, verbosity=0
    )
    assert big_rows()["ratings.SpendingLine"] != first["ratings.SpendingLine"]


def test_every_synthetic_fact_is_written_public_as_the_rule_says():
    from interventions import publishing

    call_command("generate_synthetic", scale=0.002, seed=5, no_progress=True, verbosity=0)
    for model in BIG_TABLES:
        assert model.objects.filter(public=True).count() == model.objects.count() > 0
        assert publishing.mismatches(model) == 0
    assert publishing.refresh_all() == 0  # nothing left for the publishing service to move


def test_the_big_tables_go_in_by_copy_on_postgresql_and_plain_inserts_on_sqlite(monkeypatch):
    copied = []
    real_copy_in = generate_synthetic.copy_in

    def spy(cursor, name, columns):
        copied.append(name.strip('"'))
        return real_copy_in(cursor, name, columns)

    monkeypatch.setattr(generate_synthetic, "copy_in", spy)
    with CaptureQueriesContext(connection) as queries:
        call_command("generate_synthetic", scale=0.002, seed=1, no_progress=True, verbosity=0)
    tables = [model._meta.db_table for model in BIG_TABLES]
    inserts = {
        table: [q["sql"] for q in queries if f'INSERT INTO "{table}"' in q["sql"]]
        for table in tables
    }
    assert SpendingLine.objects.count() == 2000
    if connection.vendor == "postgresql":
        assert copied == tables  # one COPY each, in the order built
        assert inserts == {table: [] for table in tables}
    else:
        assert copied == []
        for table in tables:
            # Django logs an executemany as "<n> times: <statement>": one statement per chunk,
            # each a plain INSERT of one row's values.
            assert inserts[table], table
            assert all(" times: INSERT INTO" in sql for sql in inserts[table]), table
            assert all(sql.count("VALUES (") == 1 for sql in inserts[table]), table
        assert sum(int(sql.split(" times: ")[0]) for sql in inserts["ratings_spendingline"]) == 2000


def test_the_big_tables_keep_every_index_and_foreign_key_through_a_build():
    """On PostgreSQL the loader drops a table's plain indexes and foreign keys for its COPY
    and makes them again afterwards: the same ones, with the same definitions."""

    def schema():
        with connection.cursor() as cursor:
            return {
                model._meta.db_table: connection.introspection.get_constraints(
                    cursor, model._meta.db_table
                )
                for model in BIG_TABLES
            }

    before = schema()
    assert any(c["foreign_key"] for c in before["ratings_spendingline"].values())
    assert sum(c["index"] for c in before["ratings_spendingline"].values()) > 5
    call_command("generate_synthetic", scale=0.002, seed=2, no_progress=True, verbosity=0)
    assert schema() == before
    if connection.vendor == "postgresql":  # the foreign key made again holds
        line = SpendingLine.objects.first()
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            moved = SpendingLine.objects.filter(pk=line.pk)
            with pytest.raises(IntegrityError), transaction.atomic():
                moved.update(council_id=10**9)
