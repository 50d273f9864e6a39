import pytest
from django.core.management import call_command


@pytest.fixture
def seeded(db):
    """The real seed data from fixtures/, loaded as `make run` loads it."""
    call_command("seed", verbosity=0)
