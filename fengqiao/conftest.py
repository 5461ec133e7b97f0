"""Test set-up shared by every app: the real Sichuan divisions, loaded once per run."""

from typing import Any

import pytest

from fengqiao.core.testing import Personas, make_personas


def pytest_configure(config: Any) -> None:
    from django.conf import settings

    # Hashing is deliberately slow in production; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The live server's request threads must not keep connections open past the run.
    settings.DATABASES["default"]["CONN_MAX_AGE"] = 0


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
