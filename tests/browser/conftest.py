"""Browser tests: headless Debian Chromium driven by Playwright against a live server.

CI installs Chromium (see .ci/run) and sets CI=true, which makes a missing browser a failure
rather than a skip. On a developer's machine without /usr/bin/chromium they are skipped, saying so.
"""

import os
import shutil

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM must still be usable.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CASEBOOK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(config, items):
    if shutil.which(CHROMIUM) or os.path.exists(CHROMIUM):
        return
    if os.environ.get("CI"):
        raise pytest.UsageError(f"Browser tests need Chromium at {CHROMIUM}; CI must install it.")
    skip = pytest.mark.skip(reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": CHROMIUM_FLAGS,
        "headless": True,
    }


@pytest.fixture
def site(live_server, transactional_db, seed_rows, settings):
    """The live site with the real seed data; returns its base URL (its configured address)."""
    from tests.conftest import restore

    restore(seed_rows)
    settings.CASEBOOK_SITE_URL = live_server.url
    return live_server.url


@pytest.fixture
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()
