"""The full recomputation of the rollups (``fengqiao analytics rebuild``; nightly job).

One transaction over a consistent snapshot: readers keep the old figures until the
new ones are complete, and the watermark moves to the snapshot's last transition
with the rows, so the incremental job continues exactly where the rebuild stopped.

How it stays within minutes for millions of disputes:
- disputes and their steps are read in id ranges — sequential reads — with each
  dispute's steps as one text (``sql.steps_where``);
- every dispute is replayed by ``replay.contribution``, the same function the
  incremental job uses, so the two paths cannot define a figure differently;
- the contributions become numpy rows keyed by one 63-bit integer (place, month,
  type, tier, channel; ``Keys``), and every grain is a sort-and-sum of the grain below,
  city by city, so memory holds the compact base rows and one city at a time;
- rows are appended with COPY (PostgreSQL) or multi-row INSERTs (SQLite).
"""

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from django.db import connection, transaction
from django.db.models import F

from fengqiao.analytics import sql
from fengqiao.analytics.measures import INDEX, WIDTH
from fengqiao.analytics.models import Grain, Rollup, RollupState
from fengqiao.analytics.periods import add_months
from fengqiao.analytics.replay import Case, Contribution, contribution
from fengqiao.analytics.rollups import GAP_WINDOW, STATE, insert_rows
from fengqiao.core import clock
from fengqiao.geography.choices import SPAN, Level

CHUNK = 50_000  # disputes read and replayed at a time
AMOUNT = INDEX["accepted_amount"]  # the one measure that can outgrow 32 bits in a dispute

# Key layout, low bits first: channel 4, tier 2, type 6, month 11 (months since
# 1970-01), place 40 (a 12-digit code is below 2**40) — 63 bits, a positive int64.
_CH, _TIER, _TYPE, _MONTH, _UNIT = 0, 4, 6, 12, 23
_CH_MASK, _TIER_MASK, _TYPE_MASK = 0xF, 0x3 << _TIER, 0x3F << _TYPE
_LOW = (1 << _UNIT) - 1


class Keys:
    """Codes for the dimension values met (0 is '' — "all"), and the key arithmetic."""

    def __init__(self) -> None:
        self.types, self.tiers, self.channels = [""], [""], [""]
        self._t: dict[str, int] = {"": 0}
        self._x: dict[str, int] = {"": 0}
        self._c: dict[str, int] = {"": 0}

    @staticmethod
    def _code(value: str, index: dict[str, int], values: list[str], room: int) -> int:
        code = index.get(value)
        if code is None:
            if len(values) >= room:
                raise ValueError(f"too many distinct values for the rollup key: {values}")
            code = index[value] = len(values)
            values.append(value)
        return code

    def key(self, unit: int, month: int, dispute_type: str, tier: str, channel: str) -> int:
        m = (month // 100 - 1970) * 12 + month % 100 - 1
        return (
            (unit << _UNIT)
            | (m << _MONTH)
            | (self._code(dispute_type, self._t, self.types, 64) << _TYPE)
            | (self._code(tier, self._x, self.tiers, 4) << _TIER)
            | self._code(channel, self._c, self.channels, 16)
        )

    def cells(self, grain: int, keys: np.ndarray) -> list[tuple[int, int, int, str, str, str]]:
        units = (keys >> _UNIT).tolist()
        months = ((keys >> _MONTH) & 0x7FF).tolist()
        types = ((keys >> _TYPE) & 0x3F).tolist()
        tiers = ((keys >> _TIER) & 0x3).tolist()
        channels = (keys & _CH_MASK).tolist()
        return [
            (grain, u, add_months(197001, m), self.types[t], self.tiers[x], self.channels[c])
            for u, m, t, x, c in zip(units, months, types, tiers, channels, strict=True)
        ]


def _group(keys: np.ndarray, matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sum the rows of ``matrix`` that share a key; keys come back sorted."""
    if len(keys) == 0:
        return keys, matrix
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    starts = np.concatenate(([0], np.flatnonzero(np.diff(sorted_keys)) + 1))
    return sorted_keys[starts], np.add.reduceat(matrix[order], starts, axis=0)


def _within(keys: np.ndarray, level: Level) -> np.ndarray:
    """Each key's place replaced by its ancestor at ``level`` (−1 where it has none)."""
    units = keys >> _UNIT
    span = SPAN[level]
    above = SPAN[Level(level - 1)] if level > Level.PROVINCE else None
    anc = units // span * span
    out = (anc << _UNIT) | (keys & _LOW)
    if above is not None:  # a place recorded above this level has no ancestor at it
        out = np.where(units % above == 0, -1, out)
    return np.where(keys < 0, -1, out)


def _sets(keys: np.ndarray) -> list[np.ndarray]:
    """The keys of the four grouping sets: by type, by tier, by channel, total."""
    return [
        keys & ~(_TIER_MASK | _CH_MASK),
        keys & ~(_TYPE_MASK | _CH_MASK),
        keys & ~(_TYPE_MASK | _TIER_MASK),
        keys & ~(_TYPE_MASK | _TIER_MASK | _CH_MASK),
    ]


@dataclass
class RebuildResult:
    disputes: int = 0
    transitions: int = 0
    rows: int = 0
    seconds: float = 0.0
    last_id: int = 0
    timings: dict[str, float] = field(default_factory=dict)

    def took(self, what: str, since: float) -> float:
        now = time.perf_counter()
        self.timings[what] = self.timings.get(what, 0.0) + now - since
        return now


class _Base:
    """The replayed contributions, compacted chunk by chunk into numpy rows: counts as
    int32 (a dispute adds small numbers), the amount column apart as int64."""

    def __init__(self) -> None:
        self.keys = Keys()
        self.parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        self._k: list[int] = []
        self._v: list[list[int]] = []

    def add(self, case: Case, c: Contribution) -> None:
        key = self.keys.key
        for month, vector in c.months.items():
            self._k.append(key(case.unit, month, c.dispute_type, c.tier, case.channel))
            self._v.append(vector)

    def seal(self) -> None:
        if not self._k:
            return
        keys, rows = _group(np.array(self._k, dtype=np.int64), np.array(self._v, dtype=np.int64))
        amount = rows[:, AMOUNT].copy()
        rows[:, AMOUNT] = 0
        self.parts.append((keys, rows.astype(np.int32), amount))
        self._k, self._v = [], []

    def take(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        self.seal()
        if not self.parts:
            return np.zeros(0, np.int64), np.zeros((0, WIDTH), np.int32), np.zeros(0, np.int64)
        keys, rows, amount = (np.concatenate(p) for p in zip(*self.parts, strict=True))
        self.parts = []
        return keys, rows, amount


def _write(keys: Keys, grain: int, k: np.ndarray, rows: np.ndarray) -> int:
    keep = np.flatnonzero(rows.any(axis=1) & (k >= 0))
    if len(keep) == 0:
        return 0
    cells = keys.cells(grain, k[keep])
    insert_rows([(*c, *v) for c, v in zip(cells, rows[keep].tolist(), strict=True)])
    return len(keep)


def _aggregate(
    keys: Keys, base_k: np.ndarray, base: np.ndarray, result: RebuildResult
) -> tuple[np.ndarray, np.ndarray]:
    """Write one city's base rows, its counties' and its own sets; return its rows with
    the full breakdown, keyed by the province, for the province's rows."""
    result.rows += _write(keys, Grain.BASE, base_k, base)
    county_k, county = _group(_within(base_k, Level.COUNTY), base)
    for set_k in _sets(county_k):
        result.rows += _write(keys, Grain.COUNTY, *_group(set_k, county))
    city_k, city = _group(_within(county_k, Level.CITY), county)
    for set_k in _sets(city_k):
        result.rows += _write(keys, Grain.CITY, *_group(set_k, city))
    return _group(_within(city_k, Level.PROVINCE), city)


def _snapshot(outermost: bool) -> tuple[RollupState, int, list[list[object]]]:
    """Lock the watermark row and fix the snapshot: its last transition, and on
    PostgreSQL the ids just below it that transactions still running may hold.

    Only the outermost transaction (the worker, the command) can choose its isolation
    level; inside a caller's transaction (the tests) that transaction's snapshot rules."""
    if connection.vendor == "postgresql" and outermost:
        with connection.cursor() as cursor:  # one snapshot for every read below
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
    st = RollupState.objects.select_for_update().filter(name=STATE).first() or RollupState.objects.create(
        name=STATE
    )
    up_to = sql.id_range(sql.TRANSITIONS)[1]
    gaps: list[list[object]] = []
    if connection.vendor == "postgresql":  # SQLite has one writer at a time: no such ids
        seen = clock.now().isoformat()
        gaps = [[a, b, seen] for a, b in sql.missing_ids(max(1, up_to - GAP_WINDOW + 1), up_to)]
    return st, up_to, gaps


def rebuild(say: Callable[[str], None] | None = None) -> RebuildResult:
    """Recompute every rollup row from the transitions."""
    started = time.perf_counter()
    result = RebuildResult()
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        st, up_to, gaps = _snapshot(outermost)
        Rollup.objects.all().delete()
        base = _Base()
        first, last = sql.id_range(sql.DISPUTES)
        for lo in range(first, last + 1, CHUNK):
            t = time.perf_counter()
            cases = sql.cases_where("d.id >= %s AND d.id < %s", [lo, lo + CHUNK])
            steps = sql.steps_where(
                "t.dispute_id >= %s AND t.dispute_id < %s AND t.id <= %s", [lo, lo + CHUNK, up_to]
            )
            t = result.took("read", t)
            for pk, mine in steps.items():
                case = cases.get(pk)
                c = contribution(case, mine) if case is not None else None
                if case is not None and c is not None:
                    base.add(case, c)
                    result.disputes += 1
                    result.transitions += len(mine)
            t = result.took("replay", t)
            base.seal()
            result.took("compact", t)
            if say and (lo - first) // CHUNK % 20 == 19:
                say(f"  已重放纠纷 {result.disputes:,} 件（{time.perf_counter() - started:.0f} 秒）")
        t = time.perf_counter()
        keys, rows32, amount = base.take()
        province_k: list[np.ndarray] = []
        province: list[np.ndarray] = []
        cities = keys >> _UNIT
        city_of = cities // SPAN[Level.CITY] * SPAN[Level.CITY]
        for city in np.unique(city_of).tolist():
            mask = city_of == city
            k, r = _group(keys[mask], rows32[mask].astype(np.int64))
            _, a = _group(keys[mask], amount[mask])
            r[:, AMOUNT] = a
            pk_, p = _aggregate(base.keys, k, r, result)
            province_k.append(pk_)
            province.append(p)
        if province_k:
            prov_k, prov = _group(np.concatenate(province_k), np.vstack(province))
            result.rows += _write(base.keys, Grain.PROVINCE, prov_k, prov)
            for set_k in _sets(prov_k):
                result.rows += _write(base.keys, Grain.PROVINCE, *_group(set_k, prov))
        result.took("aggregate+write", t)
        result.seconds = time.perf_counter() - started
        result.last_id = up_to
        RollupState.objects.filter(pk=st.pk).update(
            last_id=up_to,
            version=F("version") + 1,
            gaps=gaps,
            applied=result.transitions,
            updated_at=clock.now(),
            rebuilt_at=clock.now(),
            rebuild_seconds=result.seconds,
        )
    return result
