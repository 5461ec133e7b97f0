"""The one clock. Everything that asks "what time is it" asks here, so tests can freeze it."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime

from django.utils import timezone

_frozen: datetime | None = None


def now() -> datetime:
    return _frozen if _frozen is not None else timezone.now()


def today() -> date:
    """Today's date in the platform's time zone (Asia/Shanghai), not UTC."""
    return timezone.localdate(now())


@contextmanager
def frozen(at: datetime) -> Iterator[None]:
    """Freeze the clock at an aware datetime for the duration of the block (tests)."""
    global _frozen
    if timezone.is_naive(at):
        at = timezone.make_aware(at)
    previous, _frozen = _frozen, at
    try:
        yield
    finally:
        _frozen = previous
