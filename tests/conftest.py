import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Tests that commit (transactional ones, live servers) run last, as Django orders them.

    pytest-django sorts them so, but pytest then regroups tests by Playwright's session-wide
    browser parameter, which put browser tests (whose teardown empties every table, rows made by
    migrations such as the Curator group included) before ordinary ones that need those rows.
    """

    def commits(item) -> bool:
        marker = item.get_closest_marker("django_db")
        if marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
            return True
        fixtures = getattr(item, "fixturenames", ())
        return "transactional_db" in fixtures or "live_server" in fixtures

    items.sort(key=commits)


def content_models():
    """Every content table, in an order where references come first, plus m2m tables."""
    from ratings.dataset import MODELS

    models = [apps.get_model(label) for label in MODELS]
    return [
        *models,
        apps.get_model("interventions", "Intervention").service_areas.through,
        apps.get_model("ratings", "Inspection").led_to.through,
        # Each fact's disagreements (interventions.memberships).
        *(
            model.discrepancies.through
            for model in models
            if any(f.name == "discrepancies" for f in model._meta.many_to_many)
        ),
    ]


@pytest.fixture(autouse=True)
def fresh_caches():
    """Cached pages and counts are keyed by the data version, which a rolled-back test
    transaction can bring round again: start every test with empty caches."""
    from django.core.cache import caches

    for alias in ("default", "casebook"):
        caches[alias].clear()


@pytest.fixture(autouse=True)
def site_address(settings):
    """Absolute URLs come from CASEBOOK_SITE_URL, never the Host: here, the test client's."""
    settings.CASEBOOK_SITE_URL = "http://testserver"


@pytest.fixture(scope="session")
def seed_rows(django_db_setup, django_db_blocker):
    """Run the real `seed` command once, remember the rows it made, and roll it back."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed", verbosity=0)
        # The search index and the lists' counts too, as the seed command writes them
        # (restoring sends no signals).
        models = [
            *content_models(),
            apps.get_model("interventions", "SearchDocument"),
            apps.get_model("interventions", "FactCount"),
        ]
        rows = [(model, list(model.objects.order_by("pk"))) for model in models]
        transaction.set_rollback(True)
    return rows


def restore(rows):
    for model, objects in rows:
        model.objects.bulk_create(objects)
    # PostgreSQL's id sequences do not move for rows inserted with their ids: move them on.
    statements = connection.ops.sequence_reset_sql(no_style(), [model for model, _ in rows])
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


@pytest.fixture
def seeded(db, seed_rows):
    """The real seed data from fixtures/, as `make run` loads it (made once per session)."""
    restore(seed_rows)
