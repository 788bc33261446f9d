"""Fixtures of the portal's tests: a database that is down, and the browser.

Browser fixtures: Playwright driving the system Chromium against pytest-django's live_server.

The browser is Debian's Chromium (`apt-get install chromium`), not one downloaded by
`playwright install`. Set CHROMIUM_PATH to use another binary. Tests using these fixtures
are marked `browser`; scripts/test deselects them when Chromium is missing.
"""

import os
from pathlib import Path

import pytest
from django.core.cache import caches
from django.db import OperationalError, connections

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH") or "/usr/bin/chromium"

# Playwright adds --headless itself, and a fresh temporary --user-data-dir per launch
# (it refuses one passed in `args`), so neither is listed here.
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root, where Chromium's sandbox cannot start
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Fail fast: a missing element should not cost Playwright's default 30 seconds.
TIMEOUT_MS = 10_000


@pytest.fixture(scope="session")
def playwright():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop running in this thread for as long as it
    # is started, and Django refuses ORM calls while a loop runs (SynchronousOnlyOperation),
    # also in the tests that happen to run after the browser tests. The calls are in fact
    # synchronous, so the check is switched off while Playwright is up.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as p:
        yield p
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def browser(playwright):
    if not (Path(CHROMIUM_PATH).is_file() and os.access(CHROMIUM_PATH, os.X_OK)):
        pytest.fail(
            f"Chromium not found at {CHROMIUM_PATH}: install it (apt-get install chromium), "
            "set CHROMIUM_PATH, or deselect these tests with -m 'not browser'.",
            pytrace=False,
        )
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM_PATH, headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


@pytest.fixture
def page(browser):
    """A page in a fresh browser context (own cookies and cache) for each test."""
    context = browser.new_context(locale="ru-RU")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def console_errors(page):
    """Console errors and uncaught exceptions of `page`, collected from the first navigation."""
    errors: list[str] = []

    def on_console(message):
        if message.type == "error":
            errors.append(f"console.error at {message.location.get('url', '?')}: {message.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(f"uncaught exception: {error}"))
    return errors


@pytest.fixture
def broken_database(db):
    """The database refuses every connection, as when its server is down."""

    def cursor(*args, **kwargs):
        raise OperationalError("connection refused")

    # Its own patch, not the monkeypatch fixture: that one is undone only after the
    # test database's teardown, which needs a working cursor to roll back.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(connections["default"], "cursor", cursor)
        yield


@pytest.fixture
def cache_on(settings):
    """The page cache on, in a local-memory cache only these tests use, empty at the start."""
    settings.PAGE_CACHE = True
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "page-cache-under-test",
        }
    }
    caches["default"].clear()
