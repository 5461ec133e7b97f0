"""The statute corpus, loaded into the test database once per run (the test database is
kept between tests, each test runs in a transaction that is rolled back)."""

from typing import Any

import pytest


@pytest.fixture(scope="session")
def statute_corpus(django_db_setup: Any, django_db_blocker: Any) -> Any:
    from fengqiao.statutes.actions import corpus_loaded, load_corpus

    with django_db_blocker.unblock():
        return None if corpus_loaded() else load_corpus()


@pytest.fixture
def corpus(statute_corpus: Any, db: Any) -> None:
    """Use in tests that read statutes from the database."""
