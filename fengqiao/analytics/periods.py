"""Months as integers (``202610`` is October 2026) and periods of whole months.

Rollups are kept per calendar month in the platform's time zone, so every period the
dashboard, the API and the report accept is a run of whole months. Pure Python.
"""

import datetime as dt
import re
from dataclasses import dataclass

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?$")
EARLIEST = 200001
LATEST = 209912


def month_of(day: dt.date) -> int:
    return day.year * 100 + day.month


def add_months(month: int, k: int) -> int:
    index = (month // 100) * 12 + (month % 100 - 1) + k
    return (index // 12) * 100 + index % 12 + 1


def months_between(first: int, last: int) -> list[int]:
    """Every month from ``first`` to ``last``, both included (empty if reversed)."""
    out = []
    m = first
    while m <= last:
        out.append(m)
        m = add_months(m, 1)
    return out


def first_day(month: int) -> dt.date:
    return dt.date(month // 100, month % 100, 1)


def last_day(month: int) -> dt.date:
    return first_day(add_months(month, 1)) - dt.timedelta(days=1)


def label(month: int) -> str:
    return f"{month // 100}年{month % 100}月"


def iso(month: int) -> str:
    return f"{month // 100:04d}-{month % 100:02d}"


def parse_month(text: str) -> int | None:
    """'2026-10' or '2026-10-15' (the month it falls in); None when not a month."""
    m = _MONTH.match(text.strip()) if text else None
    if not m:
        return None
    year, month = int(m.group(1)), int(m.group(2))
    if not 1 <= month <= 12:
        return None
    if m.group(3) is not None:
        try:
            dt.date(year, month, int(m.group(3)))
        except ValueError:
            return None
    value = year * 100 + month
    return value if EARLIEST <= value <= LATEST else None


@dataclass(frozen=True)
class Period:
    """The months ``first``..``last``, both included."""

    first: int
    last: int

    @property
    def months(self) -> list[int]:
        return months_between(self.first, self.last)

    @property
    def label(self) -> str:
        if self.first == self.last:
            return label(self.first)
        return f"{label(self.first)}至{label(self.last)}"

    def shifted(self, months: int) -> "Period":
        return Period(add_months(self.first, months), add_months(self.last, months))

    def year_earlier(self) -> "Period":
        return self.shifted(-12)


def default_period(today: dt.date) -> Period:
    """The year so far: January to the current month."""
    return Period(today.year * 100 + 1, month_of(today))


def period_from(first: str, last: str, today: dt.date) -> Period:
    """A period from two optional month texts; missing or invalid ends take the default,
    and reversed ends are swapped (a user typing the months the other way round)."""
    default = default_period(today)
    a = parse_month(first) or default.first
    b = parse_month(last) or (month_of(today) if parse_month(first) else default.last)
    return Period(min(a, b), max(a, b))
