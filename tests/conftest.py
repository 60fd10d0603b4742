"""Fixtures and rules shared by the whole suite.

Rules for optional real parts: a missing Chromium or PostgreSQL skips the tests that need it
with the reason, except in CI (CI=true), where it fails them.
"""

import os
import shutil
import sys

import pytest

IN_CI = os.environ.get("CI", "").lower() == "true"
CHROMIUM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome")


def missing(reason):
    """Skip outside CI, fail in CI: real parts are never optional there."""
    if IN_CI:
        pytest.fail(f"{reason} (required in CI)")
    pytest.skip(reason)


def chromium_path():
    configured = os.environ.get("CHROMIUM_PATH")
    if configured:
        return configured
    for name in CHROMIUM_CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def pytest_collection_modifyitems(config, items):
    """PostgreSQL-only tests run in the PostgreSQL pass; the SQLite pass leaves them out."""
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"]
    if "postgresql" in engine:
        return
    kept, deselected = [], []
    for item in items:
        (deselected if item.get_closest_marker("postgres") else kept).append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept
        config._civic_postgres_deselected = len(deselected)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    count = getattr(config, "_civic_postgres_deselected", 0)
    if count:
        terminalreporter.write_line(
            f"{count} PostgreSQL-only tests left out of this SQLite run; they run when "
            "DATABASE_URL points at PostgreSQL (make test-postgres)."
        )


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: rolled-back or flushed rows (Wagtail's site root
    paths, throttling counters) must not outlive the test that made them."""
    from django.core.cache import cache

    cache.clear()
    # The consultation's rate limits keep a few counts per process in front of the cache.
    limits = sys.modules.get("civic_consultation.limits")
    if limits is not None:
        limits.reset()


@pytest.fixture(scope="session")
def browser():
    """A headless Debian Chromium driven by Playwright (no browser download needed)."""
    executable = chromium_path()
    if executable is None:
        missing("Chromium is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("Playwright is not installed")
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test
    # body are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=executable,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="fr-FR")
    browser_page = context.new_page()
    browser_page.set_default_timeout(15_000)
    yield browser_page
    context.close()


AXE_SCRIPT = os.path.join(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
    ".cache",
    "axe",
    "node_modules",
    "axe-core",
    "axe.min.js",
)
BLOCKING_IMPACTS = {"serious", "critical"}
AXE_RULE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]  # RGAA follows WCAG 2.1 AA


@pytest.fixture
def axe_violations():
    """Run axe-core in the page and return its serious or critical violations."""
    if not os.path.exists(AXE_SCRIPT):
        missing("axe-core is not installed (make test installs it with npm)")

    def audit(browser_page):
        # Evaluated through the DevTools protocol: a <script> tag would be refused by the
        # site's Content-Security-Policy, which the journeys run under.
        with open(AXE_SCRIPT, encoding="utf-8") as source:
            browser_page.evaluate(source.read())
        result = browser_page.evaluate(
            "async (tags) => await axe.run(document, {runOnly: tags})", AXE_RULE_TAGS
        )
        return [
            {
                "id": violation["id"],
                "impact": violation["impact"],
                "nodes": [node["target"] for node in violation["nodes"]][:5],
            }
            for violation in result["violations"]
            if violation["impact"] in BLOCKING_IMPACTS
        ]

    return audit


@pytest.fixture
def wagtail_roots(transactional_db, settings):
    """What Wagtail's migrations create: default locale, root collection, root page, and a
    default site on a welcome page.

    Transactional tests (live server, threads) flush every table afterwards, migration data
    included: recreate what the next such test needs, then let every app's post_migrate
    handlers (role groups, page permissions) run again on top of it. Returns the root page.
    """
    from django.core.management.sql import emit_post_migrate_signal
    from wagtail.models import Collection, Locale, Page, Site

    Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    if not Collection.get_first_root_node():
        Collection.add_root(name="Root")
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(title="Root", slug="root", locale=Locale.get_default())
    if not Site.objects.filter(is_default_site=True).exists():
        welcome = root.add_child(instance=Page(title="Welcome", slug="welcome"))
        Site.objects.create(hostname="localhost", root_page=welcome, is_default_site=True)
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    return root
