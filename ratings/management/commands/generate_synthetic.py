"""Build a synthetic, England-sized data set for benchmarks and scale tests.

Deterministic for a given --seed and --scale. Scale 1 is roughly England: 400 councils,
2,000 interventions with their parts, 10,000 inspections with 60,000 judgements, 1,000,000
spending lines and 100,000 statistics. Distributions are skewed, not uniform: a few councils
attract most interventions, grades follow each framework's era, amounts are log-normal.
Every synthetic row cites a synthetic source whose slug starts with "synthetic-", so the set
can be told apart from (and removed without touching) the real seed data.

The small tables go in by bulk_create. The big ones (inspections, judgements, spending lines,
statistics: 10,000,000 spending lines at scale 10) are written as plain rows of column values
by `Loader`: COPY on PostgreSQL, executemany of one plain INSERT inside one transaction on
SQLite (with the file's syncing relaxed for the build only), bulk_create elsewhere or with
--orm. Every path writes the same rows for a given seed and scale (tests/test_scale.py).
Every synthetic record is published, so each fact is written public; `refresh_all()` at the
end checks that against the rule and moves none.
"""

import contextlib
import datetime
import math
import random
import sys
import time
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from interventions import datacache, publishing
from interventions import models as im
from ratings import models as rm

PREFIX = "synthetic-"
BATCH = 5000
PLACES = [
    "Ash",
    "Bar",
    "Bex",
    "Brook",
    "Burn",
    "Castle",
    "Chester",
    "Cliff",
    "Dale",
    "Den",
    "Ely",
    "Fern",
    "Ford",
    "Gate",
    "Glen",
    "Ham",
    "Hart",
    "Hay",
    "Holm",
    "Hurst",
    "Kirk",
    "Lang",
    "Lea",
    "Leigh",
    "Low",
    "Marsh",
    "Mere",
    "Mill",
    "Moor",
    "Ness",
    "North",
    "Oak",
    "Over",
    "Pen",
    "Pool",
    "Port",
    "Rich",
    "Ridge",
    "Sand",
    "Shaw",
    "Stan",
    "Stoke",
    "Stow",
    "Thorn",
    "Wal",
    "Well",
    "West",
    "Wick",
    "Wold",
    "Worth",
]
ENDINGS = ["ton", "ham", "ford", "by", "wick", "field", "bury", "ley", "mouth", "bridge", "borough"]
COUNCIL_TYPES = [
    (im.CouncilType.SHIRE_DISTRICT, 0.62),
    (im.CouncilType.UNITARY, 0.16),
    (im.CouncilType.METROPOLITAN, 0.09),
    (im.CouncilType.LONDON_BOROUGH, 0.08),
    (im.CouncilType.COUNTY, 0.05),
]
FRAMEWORK_ERAS = [
    (rm.Framework.CSCI_STARS, 2002, 2008),
    (rm.Framework.OFSTED_APA, 2005, 2008),
    (rm.Framework.OFSTED_SLAC, 2009, 2012),
    (rm.Framework.OFSTED_SIF, 2013, 2024),
]
GRADE_WEIGHTS = {  # most councils are in the middle of each scale
    rm.Scale.STARS: [0.08, 0.27, 0.45, 0.20],
    rm.Scale.APA: [0.07, 0.33, 0.45, 0.15],
    rm.Scale.OFSTED_2009: [0.20, 0.45, 0.30, 0.05],
    rm.Scale.OFSTED_SIF: [0.22, 0.40, 0.30, 0.08],
}
AREAS = [
    "Overall effectiveness",
    "Children who need help and protection",
    "Children looked after and achieving permanence",
    "Adoption performance",
    "Experiences and progress of care leavers",
    "Leadership, management and governance",
    "Capacity for improvement",
    "Partnership working",
]
SPENDING_LINES = [
    "Children & Families Social Care Budget",
    "Total Children & Families (Budget)",
    "Total Children & Families (Spend)",
    "Looked after children placements",
    "Safeguarding and child protection",
    "Early help",
    "Adult social care (Budget)",
    "Adult social care (Spend)",
    "Education services",
    "Youth offending",
]
MEASURES = [
    ("Population aged 0-17", rm.Unit.COUNT),
    ("Total population", rm.Unit.COUNT),
    ("Percentage of children in low income families", rm.Unit.PERCENT),
    ("Unallocated cases", rm.Unit.COUNT),
    ("Social worker vacancy rate", rm.Unit.PERCENT),
    ("Spend per child in low income families", rm.Unit.GBP),
]


def weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights)[0]


def zipf_index(rng: random.Random, n: int, s: float = 1.1) -> int:
    """An index in [0, n) where low indices are much more likely (a few councils get most)."""
    return min(n - 1, int(n * (rng.random() ** (1 + s))))


class Table:
    """One big table as the generator writes it: the columns it gives on every row (`names`,
    attribute names, in order), then every other column at its default, the same for all rows.
    `prepare`: pass each value through its field's get_db_prep_save (dates, for SQLite)."""

    def __init__(self, model, names, prepare=False):
        fields = {f.attname: f for f in model._meta.concrete_fields if not f.primary_key}
        unknown = set(names) - set(fields)
        if unknown:
            raise ValueError(f"{model.__name__} has no column {', '.join(sorted(unknown))}")
        rest = [f for name, f in fields.items() if name not in names]
        self.model = model
        self.fields = [fields[name] for name in names] + rest
        self.attnames = [f.attname for f in self.fields]
        self.defaults = tuple(f.get_default() for f in rest)
        self.prepare = prepare

    def row(self, *values) -> tuple:
        return (*values, *self.defaults)

    def quoted(self) -> tuple[str, str]:
        qn = connection.ops.quote_name
        return qn(self.model._meta.db_table), ", ".join(qn(f.column) for f in self.fields)

    def prepared(self, chunk):
        if not self.prepare:
            return chunk
        fields = self.fields
        return [
            tuple(f.get_db_prep_save(v, connection) for f, v in zip(fields, row, strict=True))
            for row in chunk
        ]


class Loader:
    """Writes a big table from chunks of row tuples, in one transaction: COPY on PostgreSQL
    (psycopg 3's cursor.copy), executemany of a plain INSERT on SQLite, and bulk_create of
    model instances on any other database or when asked (`orm`, for comparison)."""

    def __init__(self, orm=False):
        fast = {"postgresql": "copy", "sqlite": "insert"}.get(connection.vendor)
        self.method = "orm" if orm or fast is None else fast

    def write(self, table: Table, chunks, bar=None) -> int:
        written = 0

        def counted():
            nonlocal written
            for chunk in chunks:
                yield chunk
                written += len(chunk)
                if bar:
                    bar.update(len(chunk))

        with transaction.atomic():
            getattr(self, self.method)(table, counted())
        if bar:
            bar.close()
        return written

    def copy(self, table, chunks):
        name, columns = table.quoted()
        with connection.cursor() as cursor:
            # A table with deferred foreign-key checks still pending in this transaction (rows
            # written earlier in an enclosing one, as in tests) cannot be altered: run them
            # now, and go back to deferring afterwards (Django's foreign keys are all
            # DEFERRABLE INITIALLY DEFERRED).
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            rebuild = set_aside(cursor, table.model._meta.db_table)
            with copy_in(cursor, name, columns) as copy:
                for chunk in chunks:
                    for row in table.prepared(chunk):
                        copy.write_row(row)
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            for statement in rebuild:
                cursor.execute(statement)
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")

    def insert(self, table, chunks):
        name, columns = table.quoted()
        marks = ", ".join(["%s"] * len(table.fields))
        sql = f"INSERT INTO {name} ({columns}) VALUES ({marks})"
        with connection.cursor() as cursor:
            # As for COPY: the table's own indexes are made again once the rows are in (one
            # sort each instead of 16 B-trees grown row by row); the statements are SQLite's
            # own record of them. Indexes that back a UNIQUE or PRIMARY KEY clause (no SQL of
            # their own) stay.
            cursor.execute(
                "SELECT name, sql FROM sqlite_master "
                "WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL ORDER BY name",
                [table.model._meta.db_table],
            )
            indexes = cursor.fetchall()
            for index, _ in indexes:
                cursor.execute(f"DROP INDEX {connection.ops.quote_name(index)}")
            for chunk in chunks:
                cursor.executemany(sql, table.prepared(chunk))
            for _, statement in indexes:
                cursor.execute(statement)

    def orm(self, table, chunks):
        model, attnames = table.model, table.attnames
        for chunk in chunks:
            model.objects.bulk_create(
                [model(**dict(zip(attnames, row, strict=True))) for row in chunk]
            )


def set_aside(cursor, db_table: str) -> list[str]:
    """Before a COPY into `db_table` on PostgreSQL: drop its plain indexes and its foreign
    keys, and return the statements that make them again exactly as they were (from
    pg_get_indexdef and pg_get_constraintdef), as pg_restore does. Building an index once over
    10,000,000 rows is much quicker than growing sixteen of them row by row, and a foreign
    key added afterwards is checked by one join instead of a trigger for every row. Indexes
    that back a constraint (the primary key, unique constraints) stay. All of it happens in
    the load's transaction: if the load fails, nothing was dropped."""
    qn = connection.ops.quote_name
    cursor.execute(
        "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x "
        "JOIN pg_class i ON i.oid = x.indexrelid WHERE x.indrelid = %s::regclass "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid) "
        "ORDER BY i.relname",
        [db_table],
    )
    indexes = cursor.fetchall()
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname",
        [db_table],
    )
    keys = cursor.fetchall()
    for name, _ in keys:
        cursor.execute(f"ALTER TABLE {qn(db_table)} DROP CONSTRAINT {qn(name)}")
    for name, _ in indexes:
        cursor.execute(f"DROP INDEX {qn(name)}")
    return [definition for _, definition in indexes] + [
        f"ALTER TABLE {qn(db_table)} ADD CONSTRAINT {qn(name)} {definition}"
        for name, definition in keys
    ]


def copy_in(cursor, name: str, columns: str):
    """psycopg 3's COPY … FROM STDIN on Django's cursor (its own cursor, below the wrapper)."""
    return cursor.cursor.copy(f"COPY {name} ({columns}) FROM STDIN")


class SqliteBuild:
    """For a bulk load into SQLite: no fsync and the rollback journal in memory (a crash
    mid-build leaves a file to delete and build again), a larger page cache; the file's own
    settings come back afterwards. Nothing changes inside a transaction (tests) or on a file
    in WAL mode."""

    SETTINGS = {"synchronous": "OFF", "journal_mode": "MEMORY", "cache_size": "-200000"}

    def __enter__(self):
        self.before = {}
        if connection.vendor != "sqlite" or connection.in_atomic_block:
            return self
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            if cursor.fetchone()[0].lower() == "wal":
                return self
            for name, value in self.SETTINGS.items():
                cursor.execute(f"PRAGMA {name}")
                self.before[name] = cursor.fetchone()[0]
                cursor.execute(f"PRAGMA {name} = {value}")
        return self

    def __exit__(self, *exc):
        if self.before:
            with connection.cursor() as cursor:
                for name, value in self.before.items():
                    cursor.execute(f"PRAGMA {name} = {value}")
        return False


class Command(BaseCommand):
    help = "Generate a deterministic synthetic data set (scale 1 ≈ England)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="1 ≈ England (default 1).")
        parser.add_argument("--seed", type=int, default=2005, help="Random seed (default 2005).")
        parser.add_argument(
            "--replace", action="store_true", help="Delete an existing synthetic set first."
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")
        parser.add_argument(
            "--orm",
            action="store_true",
            help="Write the big tables with bulk_create, not COPY or plain INSERTs (slower; "
            "the same rows, for comparison).",
        )

    def handle(self, *args, scale, seed, replace, no_progress, orm=False, **options):
        if scale <= 0 or scale > 20:
            raise CommandError("--scale must be more than 0 and at most 20.")
        self.rng = random.Random(seed)
        self.scale = scale
        self.progress_enabled = not no_progress
        self.loader = Loader(orm=orm)
        self.verbosity = options.get("verbosity", 1)
        if im.Source.objects.filter(slug__startswith=PREFIX).exists():
            if not replace:
                raise CommandError("A synthetic data set exists already; use --replace.")
            self.delete_synthetic()
        with SqliteBuild():
            with self.timed("councils and interventions"), transaction.atomic():
                self.sources = self.make_sources()
                self.councils = self.make_councils()
                self.make_interventions()
            with self.timed("inspections and judgements"):
                self.make_inspections()
            with self.timed("spending lines"):
                self.make_spending()
            with self.timed("statistics"):
                self.make_statistics()
        # Bulk inserts skip the publishing service: check every public flag against the rule.
        with self.timed("publishing.refresh_all"):
            publishing.refresh_all()
        datacache.bump()
        self.stdout.write(
            self.style.SUCCESS(f"Synthetic data set built (scale {scale}, seed {seed}).")
        )

    # helpers -------------------------------------------------------------------

    @contextlib.contextmanager
    def timed(self, label: str):
        """With -v 2, how long each part of the build took (on stderr)."""
        started = time.monotonic()
        yield
        if self.verbosity >= 2:
            self.stderr.write(f"{label}: {time.monotonic() - started:.1f} s")

    def n(self, base: int) -> int:
        return max(1, round(base * self.scale))

    def progress(self, total: int, label: str):
        if not self.progress_enabled:
            return None
        from tqdm import tqdm

        return tqdm(total=total, desc=label, unit="rows", file=sys.stderr, mininterval=0.5)

    def bulk(self, model, rows, label=""):
        bar = self.progress(len(rows), label or model._meta.verbose_name_plural)
        created = []
        for start in range(0, len(rows), BATCH):
            chunk = rows[start : start + BATCH]
            for row in chunk:
                if hasattr(row, "derive_partial_dates"):
                    row.derive_partial_dates()  # bulk_create does not call save()
            created.extend(model.objects.bulk_create(chunk))
            if bar:
                bar.update(len(chunk))
        if bar:
            bar.close()
        return created

    def delete_synthetic(self):
        synthetic = {"source__slug__startswith": PREFIX}
        with transaction.atomic():
            # The lists' summary counts point at the councils about to go: all recounted by
            # publishing.refresh_all() once the new set is in.
            im.FactCount.objects.all()._raw_delete(im.FactCount.objects.db)
            for model in (
                rm.Statistic,
                rm.SpendingLine,
                rm.Judgement,
                rm.Inspection,
                im.Lesson,
                im.Workstream,
                im.Phase,
                im.Participant,
                im.Milestone,
                im.InterventionLink,
            ):
                model.objects.filter(**synthetic)._raw_delete(model.objects.db)
            through = im.Intervention.service_areas.through
            through.objects.filter(intervention__source__slug__startswith=PREFIX).delete()
            for model in (im.Intervention, im.Organisation, im.Council):
                model.objects.filter(**synthetic)._raw_delete(model.objects.db)
            im.Source.objects.filter(slug__startswith=PREFIX)._raw_delete(im.Source.objects.db)

    # builders ------------------------------------------------------------------

    def make_sources(self):
        rows = [
            im.Source(
                slug=f"{PREFIX}report-{i:04d}",
                title=f"Synthetic report {i}",
                kind=self.rng.choice(im.SourceKind.values),
                publisher="Casebook synthetic data",
                date_year=2005 + i % 20,
                date_month=1 + i % 12,
            )
            for i in range(self.n(50))
        ]
        return self.bulk(im.Source, rows, "sources")

    def source(self):
        return self.rng.choice(self.sources)

    def make_councils(self):
        rows, names = [], set()
        for i in range(self.n(400)):
            while True:
                name = self.rng.choice(PLACES) + self.rng.choice(ENDINGS)
                if name not in names or len(names) > 400:
                    break
            names.add(name)
            kind = weighted(self.rng, COUNCIL_TYPES)
            rows.append(
                im.Council(
                    slug=f"{PREFIX}{i:05d}-{name.lower()}",
                    name=f"{name} {kind.label} {i}",
                    council_type=kind,
                    region=self.rng.choice(im.Region.values),
                    source=self.source(),
                    locator="synthetic",
                )
            )
        return self.bulk(im.Council, rows, "councils")

    def council(self):
        return self.councils[zipf_index(self.rng, len(self.councils))]

    def partial_date(self, year_low=2000, year_high=2024):
        year = min(year_high, max(year_low, int(self.rng.gauss(2012, 5))))
        return datetime.date(year, self.rng.randint(1, 12), 1)

    def make_interventions(self):
        kinds = [
            (im.InterventionKind.IMPROVEMENT_NOTICE, 0.35),
            (im.InterventionKind.PARTNERSHIP, 0.2),
            (im.InterventionKind.SECTOR_SUPPORT, 0.15),
            (im.InterventionKind.DIRECTION, 0.1),
            (im.InterventionKind.REVIEW, 0.08),
            (im.InterventionKind.OUTSOURCING, 0.06),
            (im.InterventionKind.TRUST, 0.04),
            (im.InterventionKind.MENTOR, 0.02),
        ]
        statuses = [
            (im.Status.COMPLETED, 0.6),
            (im.Status.ACTIVE, 0.2),
            (im.Status.RECOMMENDED, 0.08),
            (im.Status.REJECTED, 0.07),
            (im.Status.PROPOSED, 0.05),
        ]
        rows = []
        for i in range(self.n(2000)):
            start = self.partial_date()
            end = start + datetime.timedelta(days=self.rng.randint(180, 1500))
            end = end.replace(day=1)
            council = self.council()
            rows.append(
                im.Intervention(
                    slug=f"{PREFIX}intervention-{i:05d}",
                    title=f"Improvement programme {i} for {council.name}",
                    subject_council=council,
                    kind=weighted(self.rng, kinds),
                    status=weighted(self.rng, statuses),
                    mentioned_only=self.rng.random() < 0.15,
                    start_date_year=start.year,
                    start_date_month=start.month,
                    end_date_year=end.year,
                    end_date_month=end.month,
                    summary="A synthetic intervention for load and scale testing.",
                    source=self.source(),
                    locator=f"para {i % 40 + 1}",
                )
            )
        interventions = self.bulk(im.Intervention, rows, "interventions")
        areas = list(im.ServiceArea.objects.all())
        if not areas:
            areas = [
                im.ServiceArea.objects.create(
                    slug="childrens-social-care", name="Children's social care"
                )
            ]
        through = im.Intervention.service_areas.through
        self.bulk(
            through,
            [
                through(intervention_id=i.pk, servicearea_id=area.pk)
                for i in interventions
                for area in self.rng.sample(areas, k=min(len(areas), self.rng.randint(1, 2)))
            ],
            "service areas",
        )
        phases, workstreams, participants, lessons = [], [], [], []
        for intervention in interventions:
            source = intervention.source
            for p in range(1, self.rng.randint(2, 5) + 1):
                phases.append(
                    im.Phase(
                        intervention=intervention,
                        position=p,
                        name=f"Phase {p}",
                        source=source,
                        locator="synthetic",
                    )
                )
            for w in range(1, self.rng.randint(2, 8) + 1):
                workstreams.append(
                    im.Workstream(
                        intervention=intervention,
                        position=w,
                        name=self.rng.choice(
                            ["Workforce", "Finance", "Practice", "Data", "Partners"]
                        )
                        + f" workstream {w}",
                        objective="Synthetic objective.",
                        source=source,
                        locator="synthetic",
                    )
                )
            for p in range(1, self.rng.randint(2, 6) + 1):
                participants.append(
                    im.Participant(
                        intervention=intervention,
                        position=p,
                        council=self.council(),
                        role=self.rng.choice(im.ParticipantRole.values),
                        source=source,
                        locator="synthetic",
                    )
                )
            for n in range(1, self.rng.randint(0, 5) + 1):
                lessons.append(
                    im.Lesson(
                        intervention=intervention,
                        position=n,
                        kind=self.rng.choice(im.LessonKind.values),
                        text="A synthetic lesson.",
                        source=source,
                        locator="synthetic",
                    )
                )
        self.bulk(im.Phase, phases, "phases")
        self.bulk(im.Workstream, workstreams, "workstreams")
        self.bulk(im.Participant, participants, "participants")
        self.bulk(im.Lesson, lessons, "lessons")

    def make_inspections(self):
        table = Table(rm.Inspection, [], prepare=True)  # every column: its dates are derived
        inspections = []  # (slug, framework, source id) for the judgements

        def chunks():
            chunk = []
            for i in range(self.n(10000)):
                framework, low, high = self.rng.choice(FRAMEWORK_ERAS)
                grades = list(rm.grades_for(framework).items())
                weights = GRADE_WEIGHTS[rm.FRAMEWORK_SCALES[framework]]
                grade, score = self.rng.choices(grades, weights)[0]
                year = self.rng.randint(low, high)
                row = rm.Inspection(
                    slug=f"{PREFIX}inspection-{i:06d}",
                    council=self.council(),
                    framework=framework,
                    title=f"Synthetic {framework.label} {year}",
                    year=year,
                    period=str(year),
                    overall_grade=grade,
                    overall_score=score,
                    source=self.source(),
                    locator="synthetic",
                    public=True,
                )
                row.derive_partial_dates()  # as save() would
                inspections.append((row.slug, framework, row.source_id))
                chunk.append(tuple(getattr(row, name) for name in table.attnames))
                if len(chunk) == BATCH:
                    yield chunk
                    chunk = []
            if chunk:
                yield chunk

        self.loader.write(table, chunks(), self.progress(self.n(10000), "inspections"))
        ids = dict(
            rm.Inspection.objects.filter(slug__startswith=f"{PREFIX}inspection-").values_list(
                "slug", "pk"
            )
        )
        table = Table(
            rm.Judgement,
            [
                "inspection_id",
                "position",
                "area",
                "framework",
                "grade",
                "score",
                "grade_as_printed",
                "source_id",
                "locator",
                "public",
            ],
        )

        def judgements():
            chunk = []
            for slug, framework, source_id in inspections:
                grades = list(rm.grades_for(framework).items())
                weights = GRADE_WEIGHTS[rm.FRAMEWORK_SCALES[framework]]
                inspection_id = ids[slug]
                for position in range(1, self.rng.randint(3, 9) + 1):
                    grade, score = self.rng.choices(grades, weights)[0]
                    area = AREAS[(position - 1) % len(AREAS)]
                    chunk.append(
                        table.row(
                            inspection_id,
                            position,
                            area,
                            str(framework),
                            grade,
                            score,
                            grade,
                            source_id,
                            "synthetic",
                            True,
                        )
                    )
                if len(chunk) >= BATCH:
                    yield chunk
                    chunk = []
            if chunk:
                yield chunk

        self.loader.write(table, judgements(), self.progress(self.n(60000), "judgements"))

    def make_spending(self):
        total = self.n(1_000_000)
        table = Table(
            rm.SpendingLine,
            [
                "ref",
                "council_id",
                "line",
                "kind",
                "period",
                "year",
                "amount_gbp",
                "as_printed",
                "source_id",
                "locator",
                "public",
            ],
        )
        sources = [s.pk for s in self.sources]
        kinds = [rm.SpendingKind.BUDGET, rm.SpendingKind.SPEND]
        rng, council = self.rng, self.council

        def chunks():
            for start in range(0, total, BATCH):
                chunk = []
                for index in range(start, min(total, start + BATCH)):
                    year = 2005 + index % 20
                    amount = Decimal(int(math.exp(rng.gauss(15.5, 1.3)) // 1000 * 1000))
                    chunk.append(
                        table.row(
                            f"line-{index:08d}",
                            council().pk,
                            rng.choice(SPENDING_LINES),
                            str(rng.choice(kinds)),
                            f"{year}/{(year + 1) % 100:02d}",
                            year,
                            amount,
                            f"{amount / 1000:,.0f} (£'000)",
                            sources[index % len(sources)],
                            "synthetic budget table",
                            True,
                        )
                    )
                yield chunk

        self.loader.write(table, chunks(), self.progress(total, "spending lines"))

    def make_statistics(self):
        total = self.n(100_000)
        table = Table(
            rm.Statistic,
            [
                "ref",
                "measure",
                "period",
                "year",
                "value",
                "unit",
                "as_printed",
                "council_id",
                "source_id",
                "locator",
                "public",
            ],
        )
        sources = [s.pk for s in self.sources]

        def chunks():
            for start in range(0, total, BATCH):
                chunk = []
                for i in range(start, min(total, start + BATCH)):
                    measure, unit = self.rng.choice(MEASURES)
                    value = Decimal(round(self.rng.lognormvariate(8, 1.5), 0))
                    if unit == rm.Unit.PERCENT:
                        value = Decimal(self.rng.randint(5, 45))
                    year = self.rng.randint(2005, 2024)
                    chunk.append(
                        table.row(
                            f"stat-{i:07d}",
                            measure,
                            str(year),
                            year,
                            value,
                            str(unit),
                            f"{value:,}",
                            self.council().pk,
                            sources[i % len(sources)],
                            "synthetic",
                            True,
                        )
                    )
                yield chunk

        self.loader.write(table, chunks(), self.progress(total, "statistics"))
