"""Test set-up shared by every app: the real Sichuan divisions, loaded once per run."""

from collections.abc import Iterator
from typing import Any

import pytest

from fengqiao.core.testing import Personas, make_personas


def pytest_configure(config: Any) -> None:
    from django.conf import settings

    # Hashing is deliberately slow in production; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The live server's request threads must not keep connections open past the run.
    settings.DATABASES["default"]["CONN_MAX_AGE"] = 0


_corpus_wanted = False  # some test of this worker loaded the statute corpus


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    """A transactional test (the browser journeys, on the live server) ends by emptying every
    table, the reference data loaded once per run included: once its fixtures are torn down,
    the divisions (and the statute corpus, if this worker loaded it) are loaded again, so the
    tests after it on the same worker find them."""
    result = yield
    if nextitem is not None and "transactional_db" in getattr(item, "fixturenames", ()):
        from pytest_django.plugin import blocking_manager_key

        from fengqiao.geography.actions import load_divisions
        from fengqiao.geography.models import AdminUnit
        from fengqiao.statutes.actions import corpus_loaded, load_corpus

        with item.config.stash[blocking_manager_key].unblock():
            if not AdminUnit.objects.exists():
                load_divisions()
            if _corpus_wanted and not corpus_loaded():
                load_corpus()
    return result


@pytest.fixture(scope="session")
def statute_corpus(django_db_setup: Any, django_db_blocker: Any) -> Any:
    """The statute corpus, loaded into the test database once per run (each test runs in a
    transaction that is rolled back)."""
    global _corpus_wanted
    from fengqiao.statutes.actions import corpus_loaded, load_corpus

    _corpus_wanted = True
    with django_db_blocker.unblock():
        return None if corpus_loaded() else load_corpus()


@pytest.fixture
def corpus(statute_corpus: Any, db: Any) -> None:
    """Use in tests that read statutes from the database."""


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    from fengqiao.geography.actions import load_divisions

    with django_db_blocker.unblock():
        load_divisions()


@pytest.fixture
def personas(db: Any) -> Personas:
    return make_personas()


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Rate limits count in the cache: each test starts with none spent."""
    from django.core.cache import cache

    cache.clear()


CHROMIUM = "/usr/bin/chromium"  # Debian's package (make setup installs it); never a downloaded one


@pytest.fixture
def browser_page(live_server: Any, transactional_db: Any) -> Iterator[Any]:
    """A phone-sized page in real headless Chromium, driven by Playwright, against the live
    server; ``page.base_url`` is the server's address. Downloads are accepted. The live
    server's database is not rolled back but emptied when the test ends; the divisions are
    loaded again then (``pytest_runtest_teardown``)."""
    import os

    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the test
    # makes around it are ordinary synchronous calls.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        context = browser.new_context(
            viewport={"width": 390, "height": 844}, locale="zh-CN", accept_downloads=True
        )
        page = context.new_page()
        page.set_default_timeout(30_000)
        page.base_url = live_server.url  # type: ignore[attr-defined]
        try:
            yield page
        finally:
            context.close()
            browser.close()
            # ORM calls made while Playwright runs use a connection of their own context
            connections.close_all()
